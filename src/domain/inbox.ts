/**
 * 待办 (GET /inbox): what awaits a role now — approvals to give, reports to file, rectifications to
 * verify, incidents to decide, funds to release, assets to register, annual-plan work. Each item
 * names the command that would discharge it; whether that command fits now is read from the
 * command's own definition (its `roles` and the statuses it `accepts`, catalogue.ts), never from a
 * second copy of the state machine. What a candidate adds is only the state's own reason to act
 * (a stage submitted and not yet decided, a report not yet filed, …).
 *
 * Dates: `dueOn` is the date the measures give (null when they give none), `overdueDays` the days
 * past it as of `today` (0 when not past), `since` the day the item became due to act when the
 * state knows it (null otherwise).
 */
import { IsoDate, isAfter, localDateOf } from './calendar';
import { COMMAND_CATALOGUE, CommandType, PROJECT_COMMANDS } from './catalogue';
import { AnnualPlanState } from './annual-plan/types';
import { ProjectCommandType } from './project-commands';
import { Actor, Role } from './roles';
import { awaitingConfirmation } from './framework/framework';
import { FrameworkState } from './framework/types';
import { deadlinesOf, nextDueDates, surplusOutstandingOf } from './project/deadlines';
import { RegisteredProject, ProjectState } from './project/state';

export type InboxKind =
  // OFFICE 领导小组办公室
  | 'APPROVE_PROPOSAL'
  | 'REVIEW_SHARING'
  | 'APPROVE_FEASIBILITY'
  | 'CONFIRM_FAST_TRACK'
  | 'REVIEW_DESIGN'
  | 'APPROVE_DESIGN'
  | 'AGREE_ACCEPTANCE_PLAN'
  | 'RECORD_ARCHIVE_ACCEPTANCE'
  | 'DECIDE_EXTENSION'
  | 'DECIDE_INCIDENT'
  // OFFICE, FINANCE, SUPERVISOR: the one who ordered
  | 'VERIFY_RECTIFICATION'
  // OFFICE, SUPERVISOR: an existing system never assessed (第二十四条)
  | 'ASSESS_SYSTEM'
  // 第七条 a framework: a participant confirms it (CONSTRUCTION_UNIT), then the office acknowledges it
  | 'CONFIRM_FRAMEWORK'
  | 'ACKNOWLEDGE_FRAMEWORK'
  // GOVERNMENT 市人民政府
  | 'GRANT_SHARING_EXEMPTION'
  // FINANCE 市财政局
  | 'RELEASE_INVESTMENT'
  | 'RECORD_SURPLUS_RETURN'
  | 'RECORD_BUDGET_FEEDBACK'
  // LEADING_GROUP 领导小组
  | 'ADOPT_ANNUAL_PLAN'
  // CONSTRUCTION_UNIT 项目建设单位
  | 'SUBMIT_PROPOSAL'
  | 'SUBMIT_FEASIBILITY'
  | 'SUBMIT_DESIGN'
  | 'ASSIGN_RESPONSIBILITY'
  | 'ENGAGE_SUPERVISION'
  | 'START_CONSTRUCTION'
  | 'SUBMIT_PERFORMANCE_REPORT'
  | 'HOLD_ACCEPTANCE'
  | 'SUBMIT_RECTIFICATION'
  | 'REGISTER_ASSET';

export interface InboxItem {
  kind: InboxKind;
  /** the command that discharges the item and its route (COMMAND_CATALOGUE `route`) */
  command: CommandType;
  action: string;
  article: string;
  /** the project it is about (null for an annual plan's own work) */
  project: { projectId: string; name: string; departmentCode: string } | null;
  /** the annual plan's year (plan items; a project's items name its plan year too) */
  planYear: number | null;
  dueOn: IsoDate | null;
  overdueDays: number;
  since: IsoDate | null;
  rectificationId?: string;
  incidentId?: string;
  year?: number;
  amountFen?: number;
  /** a plan item's project (its name and department when the project is readable) */
  projectId?: string;
  /** an existing system's item (第二十四条): the system it is about */
  system?: { systemId: string; name: string; departmentCode: string };
  /** a framework's item (第七条): the framework it is about */
  framework?: { frameworkId: string; name: string; leadDepartment: string };
}

/** What another aggregate knows about the project (the application layer reads it). */
export interface ProjectInboxFacts {
  /** 第五条 finance's budget feedback for the project's plan year; undefined when none recorded */
  inBudget?: boolean;
}

interface Candidate {
  kind: InboxKind;
  command: ProjectCommandType;
  /** the article asking for it; the command's first article when not given */
  article?: string;
  dueOn?: IsoDate | null;
  since?: IsoDate | null;
  /** only this role, of the command's roles, acts on it (第二十七条 the one who ordered verifies) */
  onlyRole?: string;
  rectificationId?: string;
  incidentId?: string;
  year?: number;
  amountFen?: number;
}

function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The days `today` is past `dueOn`, 0 when not past or undated. */
export function overdueDaysOf(dueOn: IsoDate | null, today: IsoDate): number {
  return dueOn !== null && isAfter(today, dueOn) ? daysBetween(dueOn, today) : 0;
}

/** 第六条、第八条 the approval stages: what awaits the office's decision. */
function approvals(s: RegisteredProject): Candidate[] {
  const out: Candidate[] = [];
  const { stageApproved, design, skippedProposal } = s.approval;
  const review = s.compliance.sharingReview;
  const reviewNeeded = s.registration.nature !== 'CONTINUATION' && review === null;
  const studyApproved = s.status === 'PRELIMINARY_DESIGN' || (s.status === 'FEASIBILITY' && stageApproved);
  // 第二十四条 reviewed before the study is approved; it may be reviewed from the plan on.
  if (reviewNeeded && !studyApproved) out.push({ kind: 'REVIEW_SHARING', command: 'ReviewSharing' });
  if (!stageApproved) {
    out.push({ kind: 'APPROVE_PROPOSAL', command: 'ApproveProposal' });
    if (!reviewNeeded) {
      out.push(
        skippedProposal
          ? { kind: 'CONFIRM_FAST_TRACK', command: 'ApproveFeasibility', article: '第六条' }
          : { kind: 'APPROVE_FEASIBILITY', command: 'ApproveFeasibility' },
      );
    }
  }
  if (design && design.review === null) out.push({ kind: 'REVIEW_DESIGN', command: 'ReviewPreliminaryDesign' });
  const exemptionAwaited = review !== null && !review.shareable && s.compliance.sharingExemption === null;
  if (design?.review?.passed && !exemptionAwaited) {
    out.push({ kind: 'APPROVE_DESIGN', command: 'ApprovePreliminaryDesign' });
  }
  if (exemptionAwaited) {
    const since = review.reviewedOn;
    out.push({ kind: 'GRANT_SHARING_EXEMPTION', command: 'GrantSharingExemption', since });
  }
  return out;
}

/** 第六条、第八条、第十条、第十六条 the construction unit's next step before construction. */
function preparations(s: RegisteredProject): Candidate[] {
  const { status, approval, approved, responsibility } = s;
  const rejected = status === 'REJECTED' ? approval.rejectedStage : null;
  if (status === 'DRAFT_PLAN' || rejected !== null) {
    const fastTrack = status === 'DRAFT_PLAN' && s.registration.fastTrack !== null;
    if (rejected === 'PROPOSAL' || (status === 'DRAFT_PLAN' && !fastTrack)) {
      return [{ kind: 'SUBMIT_PROPOSAL', command: 'SubmitProposal' }];
    }
    if (rejected === 'FEASIBILITY' || fastTrack)
      return [{ kind: 'SUBMIT_FEASIBILITY', command: 'SubmitFeasibilityStudy' }];
    return [{ kind: 'SUBMIT_DESIGN', command: 'SubmitPreliminaryDesign' }];
  }
  if (status === 'PROPOSAL' && approval.stageApproved) {
    return [{ kind: 'SUBMIT_FEASIBILITY', command: 'SubmitFeasibilityStudy' }];
  }
  const redesign = status === 'PRELIMINARY_DESIGN' && approval.design?.review?.passed === false;
  if ((status === 'FEASIBILITY' && approval.stageApproved) || redesign) {
    return [{ kind: 'SUBMIT_DESIGN', command: 'SubmitPreliminaryDesign' }];
  }
  if (!approved || s.construction !== null) return [];
  const since = approved.approvedOn;
  const out: Candidate[] = [];
  const named = responsibility.implementingBody !== null && responsibility.responsiblePerson !== null;
  const supervised = !approved.supervisionRequired || responsibility.supervisionUnit !== null;
  if (!named) out.push({ kind: 'ASSIGN_RESPONSIBILITY', command: 'AssignResponsibility', since });
  if (!supervised) out.push({ kind: 'ENGAGE_SUPERVISION', command: 'EngageSupervisionUnit', since });
  if (named && supervised) out.push({ kind: 'START_CONSTRUCTION', command: 'StartConstruction', since });
  return out;
}

/** 第十七、二十一、二十七条 the dated obligations of the construction unit, and the office's part in acceptance. */
function dated(s: RegisteredProject, now: string | undefined): Candidate[] {
  const out: Candidate[] = [];
  for (const d of deadlinesOf(s, now)) {
    if (!d.open) continue;
    if (d.kind === 'PERFORMANCE_REPORT') {
      out.push({ kind: 'SUBMIT_PERFORMANCE_REPORT', command: 'SubmitPerformanceReport', dueOn: d.dueOn, year: d.year });
    } else if (d.kind === 'RECTIFICATION') {
      const r = { rectificationId: d.rectificationId, dueOn: d.dueOn };
      out.push({ kind: 'SUBMIT_RECTIFICATION', command: 'SubmitRectification', ...r });
    }
  }
  // Not yet reported this construction year: next 12-31 (nextDueDates), with today unknown.
  const next = nextDueDates(s).PERFORMANCE_REPORT;
  if (now === undefined && next && !out.some((c) => c.kind === 'SUBMIT_PERFORMANCE_REPORT')) {
    out.push({ kind: 'SUBMIT_PERFORMANCE_REPORT', command: 'SubmitPerformanceReport', dueOn: next });
  }
  const acceptance = s.acceptance;
  if (acceptance && acceptance.acceptedOn === null) {
    const at = { dueOn: acceptance.dueOn, since: acceptance.completedOn };
    out.push({ kind: 'HOLD_ACCEPTANCE', command: 'RecordAcceptance', article: '第二十一条', ...at });
    if (!acceptance.planAgreed) out.push({ kind: 'AGREE_ACCEPTANCE_PLAN', command: 'AgreeAcceptancePlan', ...at });
    if (acceptance.archivePassed !== true) {
      out.push({ kind: 'RECORD_ARCHIVE_ACCEPTANCE', command: 'RecordArchiveAcceptance', ...at });
    }
    if (acceptance.pendingExtension) {
      out.push({ kind: 'DECIDE_EXTENSION', command: 'GrantAcceptanceExtension', dueOn: acceptance.dueOn });
    }
  }
  return out;
}

/** 第十八、二十七条 oversight: incidents to decide, reports to verify by the one who ordered. */
function oversight(s: RegisteredProject): Candidate[] {
  const out: Candidate[] = [];
  for (const i of s.oversight.incidentLog) {
    if (i.decision !== null) continue;
    out.push({ kind: 'DECIDE_INCIDENT', command: 'DecideIncident', incidentId: i.incidentId, since: i.reportedOn });
  }
  for (const r of Object.values(s.rectifications)) {
    if (r.status !== 'SUBMITTED') continue;
    const { rectificationId, orderedByRole } = r;
    out.push({
      kind: 'VERIFY_RECTIFICATION',
      command: 'VerifyRectification',
      rectificationId,
      onlyRole: orderedByRole,
    });
  }
  return out;
}

/** 第五、八、十九、二十一、二十三、二十七条 funds and the asset. */
function funds(s: RegisteredProject, facts: ProjectInboxFacts): Candidate[] {
  const out: Candidate[] = [];
  const { approved, acceptance } = s;
  const blockedByFailure = acceptance !== null && acceptance.failures > 0 && acceptance.acceptedOn === null;
  if (approved && !s.oversight.investmentDeferred && !blockedByFailure && facts.inBudget !== false) {
    const amountFen = approved.currentTotalFen - (approved.releasedFen ?? 0);
    if (amountFen > 0) {
      const since = approved.approvedOn;
      out.push({ kind: 'RELEASE_INVESTMENT', command: 'ReleaseInvestment', article: '第八条', since, amountFen });
    }
  }
  const outstandingFen = surplusOutstandingOf(s);
  if (outstandingFen > 0 && acceptance) {
    const since = acceptance.completedOn;
    out.push({ kind: 'RECORD_SURPLUS_RETURN', command: 'ReturnSurplusFunds', since, amountFen: outstandingFen });
  }
  if (s.status === 'ACCEPTED' && s.asset === null) {
    out.push({ kind: 'REGISTER_ASSET', command: 'RegisterAsset', since: acceptance?.acceptedOn ?? null });
  }
  return out;
}

function candidatesOf(s: RegisteredProject, now: string | undefined, facts: ProjectInboxFacts): Candidate[] {
  return [...approvals(s), ...preparations(s), ...dated(s, now), ...oversight(s), ...funds(s, facts)];
}

/** The command fits now and the role issues it (decide would not refuse on role or status). */
function actsOn(role: Role, s: RegisteredProject, c: Candidate): boolean {
  const definition = PROJECT_COMMANDS[c.command as Exclude<ProjectCommandType, 'RegisterProject'>];
  if (!definition.roles.includes(role) || !definition.accepts.includes(s.status)) return false;
  return c.onlyRole === undefined || c.onlyRole === role;
}

function firstArticle(type: CommandType): string {
  return COMMAND_CATALOGUE[type].articles.split('、')[0];
}

/**
 * What awaits `role` on one project as of `now`. The caller scopes a construction unit to its own
 * department's projects (第三条); SYSTEM-only commands (the deadline watcher) are never items.
 */
export function projectInbox(state: ProjectState, role: Role, now: string, facts: ProjectInboxFacts = {}): InboxItem[] {
  const today = localDateOf(now);
  if (state.status === null || role === 'SYSTEM') return [];
  const s = state;
  const project = { projectId: s.projectId, name: s.registration.name, departmentCode: s.registration.departmentCode };
  return candidatesOf(s, now, facts)
    .filter((c) => actsOn(role, s, c))
    .map(({ kind, command, article, dueOn = null, since = null, onlyRole: _, ...refs }) => ({
      kind,
      command,
      action: COMMAND_CATALOGUE[command].route,
      article: article ?? firstArticle(command),
      project,
      planYear: s.registration.planYear,
      dueOn,
      overdueDays: overdueDaysOf(dueOn, today),
      since,
      ...refs,
    }));
}

/**
 * The roles something awaits on the project whatever the date (a read model indexes it, so the
 * inbox reads only the projects where its role has work). Funds facts of other aggregates are not
 * known here: finance is listed whenever a release could be due.
 */
export function inboxRolesOf(state: ProjectState): Role[] {
  if (state.status === null) return [];
  const s = state;
  const roles = new Set<Role>();
  for (const c of candidatesOf(s, undefined, {})) {
    const definition = PROJECT_COMMANDS[c.command as Exclude<ProjectCommandType, 'RegisterProject'>];
    for (const role of definition.roles) if (actsOn(role, s, c)) roles.add(role);
  }
  return [...roles].sort();
}

/** 第五条 the annual plan: the leading group adopts it, finance feeds back each entry's budget (一下). */
export function annualPlanInbox(plan: AnnualPlanState, role: Role, today: IsoDate): InboxItem[] {
  const year = plan.year;
  if (year === null) return [];
  const items: InboxItem[] = [];
  const item = (kind: InboxKind, command: CommandType, since: IsoDate | null, projectId?: string): InboxItem => ({
    kind,
    command,
    action: COMMAND_CATALOGUE[command].route.replace(':year', String(year)),
    article: firstArticle(command),
    // the application layer names the entry's project where the caller may read it
    project: null,
    planYear: year,
    dueOn: null,
    overdueDays: overdueDaysOf(null, today),
    since,
    ...(projectId === undefined ? {} : { projectId }),
  });
  const entries = Object.values(plan.entries);
  if (!plan.adopted && entries.length > 0 && COMMAND_CATALOGUE.AdoptAnnualPlan.roles.includes(role)) {
    items.push(item('ADOPT_ANNUAL_PLAN', 'AdoptAnnualPlan', null));
  }
  if (plan.adopted && COMMAND_CATALOGUE.RecordBudgetFeedback.roles.includes(role)) {
    for (const e of entries) {
      if (e.budget === null)
        items.push(item('RECORD_BUDGET_FEEDBACK', 'RecordBudgetFeedback', plan.adoptedOn, e.projectId));
    }
  }
  return items;
}

/** What the inbox needs of an existing system (存量系统): from its read model. */
export interface SystemInboxFacts {
  systemId: string;
  name: string;
  departmentCode: string;
  inventoriedOn: IsoDate;
  /** a compliance record exists */
  assessed: boolean;
}

/**
 * 第二十四条 an existing system inventoried and never assessed: the office or a supervisor records
 * its compliance (sharing, catalogue, crypto, security), without which neither its O&M funds nor
 * the department's ban can be judged. No due date: the measures give none.
 */
export function systemInbox(system: SystemInboxFacts, role: Role, today: IsoDate): InboxItem[] {
  if (system.assessed || !COMMAND_CATALOGUE.RecordSystemCompliance.roles.includes(role)) return [];
  const { systemId, name, departmentCode, inventoriedOn } = system;
  return [
    {
      kind: 'ASSESS_SYSTEM',
      command: 'RecordSystemCompliance',
      action: COMMAND_CATALOGUE.RecordSystemCompliance.route.replace(':id', systemId),
      article: '第二十四条',
      project: null,
      planYear: null,
      dueOn: null,
      overdueDays: overdueDaysOf(null, today),
      since: inventoriedOn,
      system: { systemId, name, departmentCode },
    },
  ];
}

/**
 * 第七条 a framework filed by its lead: each participant not yet confirmed confirms it (the caller's
 * own department only, 第三条), and once all have, the office acknowledges it. No due date.
 */
export function frameworkInbox(state: FrameworkState, actor: Actor, today: IsoDate): InboxItem[] {
  const filed = state.filed;
  if (state.frameworkId === null || filed === null || state.acknowledgement !== null) return [];
  const awaiting = awaitingConfirmation(state);
  const item = (kind: InboxKind, command: 'ConfirmFramework' | 'AcknowledgeFramework'): InboxItem => ({
    kind,
    command,
    action: COMMAND_CATALOGUE[command].route.replace(':id', state.frameworkId ?? ''),
    article: '第七条',
    project: null,
    planYear: null,
    dueOn: null,
    overdueDays: overdueDaysOf(null, today),
    since: filed.filedOn,
    framework: { frameworkId: state.frameworkId ?? '', name: filed.name, leadDepartment: filed.leadDepartment },
  });
  const roles = (command: 'ConfirmFramework' | 'AcknowledgeFramework') =>
    COMMAND_CATALOGUE[command].roles.includes(actor.role);
  if (roles('ConfirmFramework') && actor.department !== undefined && awaiting.includes(actor.department)) {
    return [item('CONFIRM_FRAMEWORK', 'ConfirmFramework')];
  }
  if (roles('AcknowledgeFramework') && awaiting.length === 0)
    return [item('ACKNOWLEDGE_FRAMEWORK', 'AcknowledgeFramework')];
  return [];
}

/** Overdue first (the longest overdue first), then by due date, the undated last; counts per kind. */
export function assembleInbox(items: InboxItem[]): {
  items: InboxItem[];
  total: number;
  counts: Record<string, number>;
} {
  const sorted = [...items].sort(
    (a, b) =>
      Number(b.overdueDays > 0) - Number(a.overdueDays > 0) ||
      (a.dueOn ?? '9999-12-31').localeCompare(b.dueOn ?? '9999-12-31') ||
      (a.since ?? '9999-12-31').localeCompare(b.since ?? '9999-12-31') ||
      a.kind.localeCompare(b.kind),
  );
  const counts: Record<string, number> = {};
  for (const i of sorted) counts[i.kind] = (counts[i.kind] ?? 0) + 1;
  return { items: sorted, total: sorted.length, counts };
}
