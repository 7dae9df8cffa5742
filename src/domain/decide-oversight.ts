import { isAfter } from './calendar';
import {
  CriticizeProject,
  DeferInvestment,
  GrantSharingExemption,
  OrderRectification,
  RecordCompliance,
  ResumeProject,
  SubmitRectification,
  SuspendProject,
  TerminateProject,
  VerifyRectification,
} from './project-commands';
import { ProjectEvent } from './project-events';
import { DecisionContext, recordedBy, requireDate, requireStatus } from './project-guards';
import { ProjectState, Rectification } from './project-state';
import { ProjectStatus } from './project-status';
import { omEligibility } from './om-eligibility';
import { refuse } from './rules';

export function decideRecordCompliance(command: RecordCompliance, state: ProjectState, ctx: DecisionContext): ProjectEvent[] {
  requireStatus(command.type, state);
  const d = command.data;
  const facts = {
    sharesData: d.sharesData,
    duplicateCollection: d.duplicateCollection,
    inCatalogue: d.inCatalogue,
    cryptoAssessmentPassed: d.cryptoAssessmentPassed,
    securityAssessmentPassed: d.securityAssessmentPassed,
    majorSecurityHazard: d.majorSecurityHazard,
  };
  const eligibility = omEligibility({ compliance: facts, sharingExemption: state.sharingExemption });
  return [
    {
      type: 'ComplianceRecorded',
      data: {
        projectId: d.projectId,
        ...facts,
        recordedOn: ctx.today,
        recordedBy: recordedBy(ctx.actor),
        omEligible: eligibility.eligible,
        omReasonCodes: eligibility.reasons.map((r) => r.code),
      },
    },
  ];
}

/** 第二十四条 经市人民政府批准后方可建设或者保留. */
export function decideGrantExemption(command: GrantSharingExemption, state: ProjectState, ctx: DecisionContext): ProjectEvent[] {
  requireStatus(command.type, state);
  if (state.sharingExemption) throw refuse('EXEMPTION_ALREADY_GRANTED', { grantedOn: state.sharingExemption.grantedOn });
  return [
    {
      type: 'SharingExemptionGranted',
      data: { projectId: command.data.projectId, reason: command.data.reason, grantedOn: ctx.today, grantedBy: recordedBy(ctx.actor) },
    },
  ];
}

/** 第十八条、第二十七条 限期整改: findings and a deadline after today. */
export function decideOrderRectification(command: OrderRectification, state: ProjectState, ctx: DecisionContext): ProjectEvent[] {
  requireStatus(command.type, state);
  const d = command.data;
  if (state.rectifications[d.rectificationId]) throw refuse('RECTIFICATION_EXISTS', { rectificationId: d.rectificationId });
  if (!Array.isArray(d.findings) || d.findings.length === 0) throw refuse('FINDINGS_REQUIRED');
  const deadline = requireDate(d.deadline, 'deadline', '第二十七条');
  if (!isAfter(deadline, ctx.today)) throw refuse('DEADLINE_NOT_IN_FUTURE', { deadline, today: ctx.today });
  return [
    {
      type: 'RectificationOrdered',
      data: {
        projectId: d.projectId,
        rectificationId: d.rectificationId,
        findings: d.findings,
        deadline,
        article: d.article || '第二十七条',
        orderedBy: recordedBy(ctx.actor),
        orderedOn: ctx.today,
      },
    },
  ];
}

export function findRectification(state: ProjectState, rectificationId: string): Rectification {
  const rectification = state.rectifications[rectificationId];
  if (!rectification) throw refuse('RECTIFICATION_NOT_FOUND', { rectificationId });
  return rectification;
}

/** A report answers an open order or one whose previous report was not accepted. */
export function decideSubmitRectification(command: SubmitRectification, state: ProjectState, ctx: DecisionContext): ProjectEvent[] {
  requireStatus(command.type, state);
  const r = findRectification(state, command.data.rectificationId);
  if (r.status !== 'OPEN' && r.status !== 'REJECTED') throw refuse('RECTIFICATION_NOT_OPEN', { rectificationId: r.rectificationId, rectificationStatus: r.status });
  return [
    {
      type: 'RectificationSubmitted',
      data: {
        projectId: command.data.projectId,
        rectificationId: r.rectificationId,
        report: command.data.report,
        submittedOn: ctx.today,
        late: isAfter(ctx.today, r.deadline),
      },
    },
  ];
}

/** 第二十七条 整改后仍不符合要求: a rejected report reopens the order for a new report. */
export function decideVerifyRectification(command: VerifyRectification, state: ProjectState, ctx: DecisionContext): ProjectEvent[] {
  requireStatus(command.type, state);
  const r = findRectification(state, command.data.rectificationId);
  if (r.status !== 'SUBMITTED') throw refuse('RECTIFICATION_NOT_SUBMITTED', { rectificationId: r.rectificationId, rectificationStatus: r.status });
  const { projectId, opinion } = command.data;
  return command.data.passed
    ? [{ type: 'RectificationVerified', data: { projectId, rectificationId: r.rectificationId, opinion, verifiedOn: ctx.today } }]
    : [{ type: 'RectificationRejected', data: { projectId, rectificationId: r.rectificationId, opinion, rejectedOn: ctx.today, deadline: r.deadline } }];
}

/**
 * Sanctions (第二十七条, 第三十条). They are not conditioned on an overdue rectification
 * because 第三十条 lets them follow other violations (skipped approval, fraud, waste).
 */
export function decideCriticize(command: CriticizeProject, state: ProjectState, ctx: DecisionContext): ProjectEvent[] {
  requireStatus(command.type, state);
  return [
    {
      type: 'ProjectCriticized',
      data: { projectId: command.data.projectId, reason: command.data.reason, criticismCount: state.criticisms + 1, criticizedOn: ctx.today },
    },
  ];
}

export function decideDeferInvestment(command: DeferInvestment, state: ProjectState, ctx: DecisionContext): ProjectEvent[] {
  requireStatus(command.type, state);
  return [{ type: 'InvestmentDeferred', data: { projectId: command.data.projectId, reason: command.data.reason, deferredOn: ctx.today } }];
}

export function decideSuspend(command: SuspendProject, state: ProjectState, ctx: DecisionContext): ProjectEvent[] {
  const previousStatus = requireStatus(command.type, state);
  return [
    { type: 'ProjectSuspended', data: { projectId: command.data.projectId, reason: command.data.reason, previousStatus, suspendedOn: ctx.today } },
  ];
}

/** Resume returns to the status the project had when suspended. */
export function decideResume(command: ResumeProject, state: ProjectState, ctx: DecisionContext): ProjectEvent[] {
  requireStatus(command.type, state);
  const resumedStatus = state.statusBeforeSuspension as ProjectStatus;
  return [
    { type: 'ProjectResumed', data: { projectId: command.data.projectId, reason: command.data.reason, resumedStatus, resumedOn: ctx.today } },
  ];
}

export function decideTerminate(command: TerminateProject, state: ProjectState, ctx: DecisionContext): ProjectEvent[] {
  const previousStatus = requireStatus(command.type, state);
  return [
    { type: 'ProjectTerminated', data: { projectId: command.data.projectId, reason: command.data.reason, previousStatus, terminatedOn: ctx.today } },
  ];
}
