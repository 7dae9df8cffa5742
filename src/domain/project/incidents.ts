/**
 * 第十八条 重大问题: a reported serious delay or major investment loss awaits the office's
 * decision (order rectification RECTIFY, suspend construction SUSPEND, or take note NOTED) and
 * is an open obligation until then. A suspension resting on an incident decides it, by either
 * route (decide-incident SUSPEND, or suspend with `basis: { incidentId }`): the same two facts.
 */
import { ProjectEvent } from '../project-events';
import { AWAITING_ACCEPTANCE, NOT_TERMINATED, PRE_COMPLETION } from '../project-status';
import { INCIDENT_DECISIONS, RecordedBasis } from '../project-values';
import { defineRules, refusal } from '../rule';
import { ON_A_PROJECT, SharedRuleCode } from '../shared';
import {
  ProjectCommandDefinitions,
  ProjectDecisionContext,
  ProjectEventDefinitions,
  requireStatus,
  stateError,
} from './guards';
import { Incident, RegisteredProject } from './state';

export const INCIDENT = '第十八条';
/** Where a suspension fits: before completion and while acceptance is awaited. */
export const SUSPENDABLE = [...PRE_COMPLETION, ...AWAITING_ACCEPTANCE];

export const incidentRules = defineRules({
  INCIDENT_DECIDED_OTHERWISE: {
    kind: 'RULE_VIOLATION',
    article: INCIDENT,
    zh: '该重大问题已决定责令整改或知悉，不能据此暂停建设',
    en: 'the incident was decided otherwise (RECTIFY or NOTED): no suspension rests on it',
  },
  INCIDENT_NOT_FOUND: {
    kind: 'NOT_FOUND',
    article: INCIDENT,
    zh: '重大问题报告不存在',
    en: 'no such incident',
  },
  INCIDENT_ALREADY_DECIDED: {
    kind: 'CONFLICT',
    article: INCIDENT,
    zh: '该重大问题已作出处理决定',
    en: 'the incident was already decided',
  },
  INVALID_INCIDENT_DECISION: {
    kind: 'RULE_VIOLATION',
    article: INCIDENT,
    zh: '处理决定须为责令整改、暂停建设或知悉',
    en: 'the decision is one of RECTIFY, SUSPEND, NOTED',
  },
});
/** The refusal codes this module's commands may name. */
type Code = SharedRuleCode | keyof typeof incidentRules;
const R = incidentRules;

export function findIncident(state: RegisteredProject, incidentId: string): Incident | undefined {
  return state.oversight.incidentLog.find((i) => i.incidentId === incidentId);
}

/**
 * A suspension (暂停项目建设) and, when it rests on an incident not yet decided, the office's
 * decision on that incident: suspending on an incident is deciding it (第十八条), by either route.
 */
export function suspension(
  state: RegisteredProject,
  ctx: ProjectDecisionContext,
  reason: string,
  basis: RecordedBasis,
): ProjectEvent[] {
  const projectId = state.projectId;
  const decided: ProjectEvent[] = [];
  if ('incidentId' in basis && findIncident(state, basis.incidentId)?.decision === null) {
    const data = { projectId, incidentId: basis.incidentId, decision: 'SUSPEND' as const, opinion: reason };
    decided.push({ type: 'IncidentDecided', data: { ...data, decidedOn: ctx.today } });
  }
  if (state.status === 'SUSPENDED') return decided;
  if (!SUSPENDABLE.includes(state.status)) throw stateError(state, ctx, { decision: 'SUSPEND' });
  const previousStatus = state.status;
  return [
    ...decided,
    { type: 'ProjectSuspended', data: { projectId, reason, previousStatus, suspendedOn: ctx.today, basis } },
  ];
}

export const incidentCommands: ProjectCommandDefinitions<'DecideIncident', Code> = {
  /**
   * 第十八条 the office decides on a reported serious delay or major loss: RECTIFY (the order
   * follows with order-rectification, citing 第十八条), SUSPEND (the project is suspended with the
   * incident as basis, unless it already is), or NOTED. Until then the incident is an open obligation.
   */
  DecideIncident: {
    roles: ['OFFICE'],
    articles: INCIDENT,
    route: 'decide-incident',
    accepts: NOT_TERMINATED,
    refusals: [
      ...ON_A_PROJECT,
      'INVALID_STATE',
      'INCIDENT_NOT_FOUND',
      'INCIDENT_ALREADY_DECIDED',
      'INVALID_INCIDENT_DECISION',
    ],
    ready: (state) => state.oversight.incidentLog.some((i) => i.decision === null),
    decide(command, state, ctx) {
      requireStatus(state, ctx);
      const { projectId, incidentId, decision, opinion } = command.data;
      const incident = findIncident(state, incidentId);
      if (!incident) throw refusal(R.INCIDENT_NOT_FOUND, { incidentId });
      if (incident.decision !== null)
        throw refusal(R.INCIDENT_ALREADY_DECIDED, { incidentId, decision: incident.decision });
      if (!INCIDENT_DECISIONS.includes(decision))
        throw refusal(R.INVALID_INCIDENT_DECISION, { decision, allowed: INCIDENT_DECISIONS });
      if (decision === 'SUSPEND') return suspension(state, ctx, opinion, { incidentId });
      return [{ type: 'IncidentDecided', data: { projectId, incidentId, decision, opinion, decidedOn: ctx.today } }];
    },
  },
};

export const incidentEvents: ProjectEventDefinitions<'IncidentDecided'> = {
  IncidentDecided: { label: '重大问题已作出处理决定', family: '整改', article: INCIDENT },
};
