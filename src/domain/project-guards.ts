import { IsoDate, isIsoDate } from './calendar';
import { COMMAND_CATALOGUE } from './catalogue';
import { isFen } from './money';
import { ProjectCommandType } from './project-commands';
import { ProjectState } from './project-state';
import {
  AWAITING_ACCEPTANCE,
  LIVE,
  NOT_TERMINATED,
  POST_START,
  PRE_COMPLETION,
  ProjectStatus,
} from './project-status';
import { Policy } from './policy';
import { Actor } from './roles';
import { invalidState, refuse } from './rules';

/** What every handler gets besides command and state; all derived from the command. */
export interface DecisionContext {
  policy: Policy;
  lapsed: boolean;
  /** Ordos civil date of the command's instant */
  today: IsoDate;
  actor: Actor;
}

/**
 * Statuses in which each command fits. Where DOMAIN.md is silent:
 * - a suspended project accepts only resume, rectification and termination (issue 3);
 *   terminated accepts nothing;
 * - compliance records and the sharing exemption apply from planning on (第二十四条: 经市人民
 *   政府批准后方可建设或者保留) until the end of life, but not to rejected projects;
 * - rectification may be ordered whenever the project lives, suspended included (第二十七条
 *   supervision does not stop), and open rectifications may be closed even after rejection;
 * - criticism and deferral (第二十七、三十条) may also follow a rejection (e.g. fraud);
 * - incidents and adjustments are construction-time facts (第十八条 项目建设过程中, 第二十条),
 *   from the design approval on;
 * - resubmission after a rejection is allowed for the rejected stage only.
 */
export const ACCEPTED_STATUSES: Record<Exclude<ProjectCommandType, 'RegisterProject'>, readonly ProjectStatus[]> = {
  SubmitProposal: ['DRAFT_PLAN', 'REJECTED'],
  ApproveProposal: ['PROPOSAL'],
  RejectProposal: ['PROPOSAL'],
  SubmitFeasibilityStudy: ['DRAFT_PLAN', 'PROPOSAL', 'REJECTED'],
  ApproveFeasibility: ['FEASIBILITY'],
  RejectFeasibility: ['FEASIBILITY'],
  SubmitPreliminaryDesign: ['FEASIBILITY', 'PRELIMINARY_DESIGN', 'REJECTED'],
  ReviewPreliminaryDesign: ['PRELIMINARY_DESIGN'],
  ApprovePreliminaryDesign: ['PRELIMINARY_DESIGN'],
  RejectPreliminaryDesign: ['PRELIMINARY_DESIGN'],
  AssignResponsibility: PRE_COMPLETION,
  EngageSupervisionUnit: PRE_COMPLETION,
  StartConstruction: ['APPROVED'],
  SubmitPerformanceReport: POST_START,
  ReportIncident: ['APPROVED', 'UNDER_CONSTRUCTION'],
  FileAdjustment: ['APPROVED', 'UNDER_CONSTRUCTION'],
  CompleteConstruction: ['UNDER_CONSTRUCTION'],
  ReturnSurplusFunds: [...AWAITING_ACCEPTANCE, 'ACCEPTED', 'ASSET_REGISTERED'],
  AgreeAcceptancePlan: AWAITING_ACCEPTANCE,
  RecordArchiveAcceptance: AWAITING_ACCEPTANCE,
  RequestAcceptanceExtension: AWAITING_ACCEPTANCE,
  GrantAcceptanceExtension: AWAITING_ACCEPTANCE,
  RecordAcceptance: AWAITING_ACCEPTANCE,
  RegisterAsset: ['ACCEPTED'],
  RecordCompliance: LIVE,
  GrantSharingExemption: LIVE,
  OrderRectification: [...LIVE, 'SUSPENDED'],
  SubmitRectification: NOT_TERMINATED,
  VerifyRectification: NOT_TERMINATED,
  MarkRectificationOverdue: NOT_TERMINATED,
  CriticizeProject: [...LIVE, 'REJECTED'],
  DeferInvestment: [...LIVE, 'REJECTED'],
  SuspendProject: [...PRE_COMPLETION, ...AWAITING_ACCEPTANCE],
  ResumeProject: ['SUSPENDED'],
  TerminateProject: NOT_TERMINATED.filter((s) => s !== 'ASSET_REGISTERED'),
  MarkAcceptanceOverdue: AWAITING_ACCEPTANCE,
  MarkPerformanceReportOverdue: POST_START,
};

export function requireStatus(type: Exclude<ProjectCommandType, 'RegisterProject'>, state: ProjectState): ProjectStatus {
  const status = state.status;
  if (status === null || !ACCEPTED_STATUSES[type].includes(status)) {
    throw invalidState(type, status, COMMAND_CATALOGUE[type].articles);
  }
  return status;
}

export function stateError(type: ProjectCommandType, state: ProjectState, extra?: Record<string, unknown>): Error {
  return invalidState(type, state.status, COMMAND_CATALOGUE[type].articles, extra);
}

export function requireFen(value: unknown, field: string, article: string, options: { positive?: boolean } = {}): number {
  if (!isFen(value) || value < 0 || (options.positive && value === 0)) {
    throw refuse('INVALID_AMOUNT', { field, value }, article);
  }
  return value;
}

export function requireDate(value: unknown, field: string, article: string): IsoDate {
  if (!isIsoDate(value)) throw refuse('INVALID_DATE', { field, value }, article);
  return value;
}

export function recordedBy(actor: Actor) {
  return actor.department === undefined
    ? { sub: actor.sub, name: actor.name, role: actor.role }
    : { sub: actor.sub, name: actor.name, role: actor.role, department: actor.department };
}
