import { isInstant, localDateOf } from './calendar';
import { COMMAND_CATALOGUE, decisionArticle } from './catalogue';
import {
  decideApproveDesign,
  decideRegister,
  decideReviewDesign,
  decideSubmitDesign,
  decideSubmitFeasibility,
  decideSubmitProposal,
  requireAwaitingDecision,
} from './decide-approval';
import {
  decideAgreeAcceptancePlan,
  decideArchiveAcceptance,
  decideGrantExtension,
  decideRecordAcceptance,
  decideRegisterAsset,
  decideRequestExtension,
} from './decide-acceptance';
import {
  decideAssignResponsibility,
  decideCompleteConstruction,
  decideEngageSupervision,
  decidePerformanceReport,
  decideReportIncident,
  decideStartConstruction,
} from './decide-construction';
import { decideAcceptanceOverdue, decideRectificationOverdue, decideReportOverdue } from './decide-deadlines';
import { decideFileAdjustment, decideReturnSurplus } from './decide-funds';
import {
  decideCriticize,
  decideDeferInvestment,
  decideGrantExemption,
  decideOrderRectification,
  decideRecordCompliance,
  decideResume,
  decideSubmitRectification,
  decideSuspend,
  decideTerminate,
  decideVerifyRectification,
} from './decide-oversight';
import { DomainError } from './errors';
import { NoPolicyInForceError, POLICIES, Policy, PolicyInForce, policyAt } from './policy';
import { CommandMetadata, ProjectCommand } from './project-commands';
import { Decided, ProjectEvent } from './project-events';
import { DecisionContext, requireStatus } from './project-guards';
import { ProjectState } from './project-state';
import { canActOnProject } from './roles';
import { refuse } from './rules';

/** The policy of the command's instant; refusal before the measures existed (第三十三条). */
export function decisionContext(metadata: CommandMetadata, policies: readonly Policy[]): DecisionContext {
  if (!isInstant(metadata.now)) {
    throw new DomainError({ code: 'INVALID_DATE', kind: 'RULE_VIOLATION', article: '第三十三条', messageZh: '命令时间无效', messageEn: 'metadata.now is not an ISO instant' });
  }
  let inForce: PolicyInForce;
  try {
    inForce = policyAt(metadata.now, policies);
  } catch (error) {
    if (error instanceof NoPolicyInForceError) throw refuse('NO_POLICY_IN_FORCE', { date: error.date });
    throw error;
  }
  return { policy: inForce.policy, lapsed: inForce.lapsed, today: localDateOf(metadata.now), actor: metadata.actor };
}

/** Envelope facts: the article and the policy (and its lapse) the decision rests on. */
export function stamp<E extends ProjectEvent>(event: E, ctx: DecisionContext): Decided<E> {
  const article = decisionArticle(event);
  return {
    ...event,
    ...(article ? { article } : {}),
    policy: ctx.policy.id,
    ...(ctx.lapsed ? { policyLapsed: true } : {}),
  };
}

function route(command: ProjectCommand, state: ProjectState, ctx: DecisionContext): ProjectEvent[] {
  switch (command.type) {
    case 'RegisterProject':
      return decideRegister(command, state, ctx);
    case 'SubmitProposal':
      return decideSubmitProposal(command, state, ctx);
    case 'ApproveProposal':
      requireAwaitingDecision(command.type, state);
      return [{ type: 'ProposalApproved', data: { projectId: command.data.projectId, opinion: command.data.opinion, approvedOn: ctx.today } }];
    case 'RejectProposal':
      requireAwaitingDecision(command.type, state);
      return [{ type: 'ProposalRejected', data: { projectId: command.data.projectId, opinion: command.data.opinion, rejectedOn: ctx.today } }];
    case 'SubmitFeasibilityStudy':
      return decideSubmitFeasibility(command, state, ctx);
    case 'ApproveFeasibility':
      requireAwaitingDecision(command.type, state);
      return [{ type: 'FeasibilityApproved', data: { projectId: command.data.projectId, opinion: command.data.opinion, approvedOn: ctx.today } }];
    case 'RejectFeasibility':
      requireAwaitingDecision(command.type, state);
      return [{ type: 'FeasibilityRejected', data: { projectId: command.data.projectId, opinion: command.data.opinion, rejectedOn: ctx.today } }];
    case 'SubmitPreliminaryDesign':
      return decideSubmitDesign(command, state, ctx);
    case 'ReviewPreliminaryDesign':
      return decideReviewDesign(command, state, ctx);
    case 'ApprovePreliminaryDesign':
      return decideApproveDesign(command, state, ctx);
    case 'RejectPreliminaryDesign':
      requireStatus(command.type, state);
      return [{ type: 'PreliminaryDesignRejected', data: { projectId: command.data.projectId, opinion: command.data.opinion, rejectedOn: ctx.today } }];
    case 'AssignResponsibility':
      return decideAssignResponsibility(command, state);
    case 'EngageSupervisionUnit':
      return decideEngageSupervision(command, state);
    case 'StartConstruction':
      return decideStartConstruction(command, state, ctx);
    case 'SubmitPerformanceReport':
      return decidePerformanceReport(command, state, ctx);
    case 'ReportIncident':
      return decideReportIncident(command, state, ctx);
    case 'FileAdjustment':
      return decideFileAdjustment(command, state, ctx);
    case 'CompleteConstruction':
      return decideCompleteConstruction(command, state, ctx);
    case 'ReturnSurplusFunds':
      return decideReturnSurplus(command, state, ctx);
    case 'AgreeAcceptancePlan':
      return decideAgreeAcceptancePlan(command, state, ctx);
    case 'RecordArchiveAcceptance':
      return decideArchiveAcceptance(command, state, ctx);
    case 'RequestAcceptanceExtension':
      return decideRequestExtension(command, state, ctx);
    case 'GrantAcceptanceExtension':
      return decideGrantExtension(command, state, ctx);
    case 'RecordAcceptance':
      return decideRecordAcceptance(command, state, ctx);
    case 'RegisterAsset':
      return decideRegisterAsset(command, state, ctx);
    case 'RecordCompliance':
      return decideRecordCompliance(command, state, ctx);
    case 'GrantSharingExemption':
      return decideGrantExemption(command, state, ctx);
    case 'OrderRectification':
      return decideOrderRectification(command, state, ctx);
    case 'SubmitRectification':
      return decideSubmitRectification(command, state, ctx);
    case 'VerifyRectification':
      return decideVerifyRectification(command, state, ctx);
    case 'CriticizeProject':
      return decideCriticize(command, state, ctx);
    case 'DeferInvestment':
      return decideDeferInvestment(command, state, ctx);
    case 'SuspendProject':
      return decideSuspend(command, state, ctx);
    case 'ResumeProject':
      return decideResume(command, state, ctx);
    case 'TerminateProject':
      return decideTerminate(command, state, ctx);
    case 'MarkAcceptanceOverdue':
      return decideAcceptanceOverdue(command, state, ctx);
    case 'MarkPerformanceReportOverdue':
      return decideReportOverdue(command, state, ctx);
    case 'MarkRectificationOverdue':
      return decideRectificationOverdue(command, state, ctx);
    default: {
      const unexpected: never = command;
      throw new Error(`unknown command ${(unexpected as { type: string }).type}`);
    }
  }
}

/**
 * Checks run in the order a clerk would: is the time covered by the measures, may this role
 * issue it (第三条), does the project exist (第九条), is it the caller's department (第三条),
 * then the status and the article's own rules.
 */
export function decideProject(
  command: ProjectCommand,
  state: ProjectState,
  policies: readonly Policy[] = POLICIES,
): Decided<ProjectEvent>[] {
  const ctx = decisionContext(command.metadata, policies);
  const actor = command.metadata.actor;
  if (!COMMAND_CATALOGUE[command.type].roles.includes(actor.role)) {
    throw refuse('ROLE_NOT_ALLOWED', { role: actor.role, command: command.type, allowed: COMMAND_CATALOGUE[command.type].roles });
  }
  if (command.type !== 'RegisterProject') {
    if (state.status === null) throw refuse('PROJECT_NOT_FOUND', { projectId: command.data.projectId });
    if (!canActOnProject(actor, state)) {
      // Names the caller's own department only: never another department's code.
      throw refuse('OTHER_DEPARTMENT', { department: actor.department ?? null });
    }
  }
  return route(command, state, ctx).map((event) => stamp(event, ctx));
}
