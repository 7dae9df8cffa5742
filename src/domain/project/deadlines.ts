/**
 * 期限: the dated obligations — acceptance within six months of completion or by the granted
 * extension (第二十一条), a performance report per construction year (第十七条), each
 * rectification deadline (第二十七条) — and the clock-driven watcher's commands that record
 * them as overdue. Marking twice is a no-op (no event), so the watcher may retry freely after a
 * crash; marking before the deadline is refused, which catches a wrong clock rather than hiding it.
 */
import { IsoDate, dueDateInYear, isAfter, localDateOf, yearOf } from '../calendar';
import { ORDOS_2020, POLICIES, Policy, policyAt } from '../policy';
import { AWAITING_ACCEPTANCE, NOT_TERMINATED, POST_START } from '../project-status';
import { defineRules, refusal } from '../rule';
import { ON_A_PROJECT, SharedRuleCode } from '../shared';
import { constructionRules, constructionYears } from './construction';
import { ProjectCommandDefinitions, ProjectEventDefinitions, present, requireStatus } from './guards';
import { awaitsReport, findRectification, oversightRules } from './oversight';
import { IncidentKind } from '../project-values';
import { ProjectState, RegisteredProject, effectiveStatus } from './state';

const ACCEPTANCE = '第二十一条';
const PERFORMANCE_REPORT = '第十七条';
const RECTIFICATION = '第二十七条';

export const deadlineRules = defineRules({
  ACCEPTANCE_NOT_OVERDUE: {
    kind: 'RULE_VIOLATION',
    article: ACCEPTANCE,
    zh: '验收尚未逾期',
    en: 'acceptance is not overdue',
  },
  REPORT_NOT_OVERDUE: {
    kind: 'RULE_VIOLATION',
    article: PERFORMANCE_REPORT,
    zh: '绩效评价报告尚未逾期或已提交',
    en: 'the performance report is not overdue',
  },
  RECTIFICATION_NOT_OVERDUE: {
    kind: 'RULE_VIOLATION',
    article: RECTIFICATION,
    zh: '整改尚未逾期',
    en: 'the rectification is not overdue',
  },
});
/** The refusal codes this module's commands may name: its own, and checks of construction and oversight. */
type Code =
  | SharedRuleCode
  | keyof typeof deadlineRules
  | (typeof constructionRules)['REPORT_YEAR_OUT_OF_RANGE']['code']
  | (typeof oversightRules)['RECTIFICATION_NOT_FOUND']['code'];
const R = deadlineRules;

export const deadlineCommands: ProjectCommandDefinitions<
  'MarkAcceptanceOverdue' | 'MarkPerformanceReportOverdue' | 'MarkRectificationOverdue',
  Code
> = {
  MarkAcceptanceOverdue: {
    roles: ['SYSTEM'],
    articles: ACCEPTANCE,
    route: '(deadline watcher)',
    accepts: AWAITING_ACCEPTANCE,
    refusals: [...ON_A_PROJECT, 'INVALID_STATE', 'ACCEPTANCE_NOT_OVERDUE'],
    decide(command, state, ctx) {
      requireStatus(state, ctx);
      const { completedOn, dueOn: acceptanceDueOn, overdueMarkedFor } = present(state.acceptance, state, ctx);
      if (!isAfter(ctx.today, acceptanceDueOn))
        throw refusal(R.ACCEPTANCE_NOT_OVERDUE, { acceptanceDueOn, today: ctx.today });
      if (overdueMarkedFor === acceptanceDueOn) return [];
      const projectId = command.data.projectId;
      return [{ type: 'AcceptanceOverdue', data: { projectId, completedOn, acceptanceDueOn, detectedOn: ctx.today } }];
    },
  },
  MarkPerformanceReportOverdue: {
    roles: ['SYSTEM'],
    articles: PERFORMANCE_REPORT,
    route: '(deadline watcher)',
    accepts: POST_START,
    refusals: [...ON_A_PROJECT, 'INVALID_STATE', 'REPORT_YEAR_OUT_OF_RANGE', 'REPORT_NOT_OVERDUE'],
    decide(command, state, ctx) {
      requireStatus(state, ctx);
      const { reportedYears, overdueReportYears } = present(state.construction, state, ctx);
      const year = command.data.year;
      if (!constructionYears(state, ctx.today).includes(year))
        throw refusal(constructionRules.REPORT_YEAR_OUT_OF_RANGE, { year });
      const dueOn = dueDateInYear(year, ctx.policy.performanceReportDueMonthDay);
      const submitted = reportedYears.includes(year);
      if (submitted || !isAfter(ctx.today, dueOn)) throw refusal(R.REPORT_NOT_OVERDUE, { year, dueOn, submitted });
      if (overdueReportYears.includes(year)) return [];
      return [
        {
          type: 'PerformanceReportOverdue',
          data: { projectId: command.data.projectId, year, dueOn, detectedOn: ctx.today },
        },
      ];
    },
  },
  MarkRectificationOverdue: {
    roles: ['SYSTEM'],
    articles: RECTIFICATION,
    route: '(deadline watcher)',
    accepts: NOT_TERMINATED,
    refusals: [...ON_A_PROJECT, 'INVALID_STATE', 'RECTIFICATION_NOT_FOUND', 'RECTIFICATION_NOT_OVERDUE'],
    decide(command, state, ctx) {
      requireStatus(state, ctx);
      const r = findRectification(state, command.data.rectificationId);
      const { rectificationId, deadline } = r;
      if (!awaitsReport(r) || !isAfter(ctx.today, deadline)) {
        throw refusal(R.RECTIFICATION_NOT_OVERDUE, { rectificationId, deadline, rectificationStatus: r.status });
      }
      if (r.overdueMarked) return [];
      return [
        {
          type: 'RectificationOverdue',
          data: { projectId: command.data.projectId, rectificationId, deadline, detectedOn: ctx.today },
        },
      ];
    },
  },
};

export const deadlineEvents: ProjectEventDefinitions<
  'AcceptanceOverdue' | 'PerformanceReportOverdue' | 'RectificationOverdue'
> = {
  AcceptanceOverdue: { label: '验收逾期', family: '验收', article: ACCEPTANCE },
  PerformanceReportOverdue: { label: '绩效评价报告逾期', family: '建设', article: PERFORMANCE_REPORT },
  RectificationOverdue: { label: '整改逾期', family: '整改', article: RECTIFICATION },
};

export type DeadlineKind = 'ACCEPTANCE' | 'PERFORMANCE_REPORT' | 'RECTIFICATION';

export interface Deadline {
  kind: DeadlineKind;
  dueOn: IsoDate;
  article: string;
  /** the obligation is still to be met */
  open: boolean;
  /** open and past due: against `now` when given, else as marked by the deadline watcher */
  overdue: boolean;
  /** an …Overdue event has been recorded */
  markedOverdue: boolean;
  year?: number;
  rectificationId?: string;
  /** acceptance only: the due date comes from a granted extension (延期验收) */
  extended?: boolean;
  /**
   * acceptance only: an earlier due date that passed unmet (marked overdue, or passed before the
   * extension was granted). The record stays when the extension moves `dueOn`: the acceptance is
   * late whenever it is held (第二十一条).
   */
  missedDueOn?: IsoDate | null;
}

/** The report due day of the policy that was in force in that year (第十七条). */
function reportDueOn(year: number, policies: readonly Policy[]): IsoDate {
  let policy: Policy = ORDOS_2020;
  try {
    policy = policyAt(`${year}-12-31T12:00:00+08:00`, policies).policy;
  } catch {
    // before the first policy: no reports were due under these measures; keep the 2020 day
  }
  return dueDateInYear(year, policy.performanceReportDueMonthDay);
}

function reportYears(state: RegisteredProject, today: IsoDate | null): number[] {
  const construction = state.construction;
  if (!construction) return [];
  const first = yearOf(construction.startedOn);
  const completedOn = state.acceptance?.completedOn;
  const last = completedOn
    ? yearOf(completedOn)
    : Math.max(first, today ? yearOf(today) : first, ...construction.reportedYears, ...construction.overdueReportYears);
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

/**
 * Every dated obligation of a project. Read models and the deadline watcher use this; the dates
 * themselves come from events, so the answer never depends on today's policy.
 */
export function deadlinesOf(state: ProjectState, now?: string, policies: readonly Policy[] = POLICIES): Deadline[] {
  if (state.status === null) return [];
  const today = now ? localDateOf(now) : null;
  const terminated = state.status === 'TERMINATED';
  const isOverdue = (open: boolean, dueOn: IsoDate, marked: boolean) =>
    open && (today ? isAfter(today, dueOn) : marked);
  const deadlines: Deadline[] = [];

  const acceptance = state.acceptance;
  if (acceptance) {
    const effective = effectiveStatus(state);
    const open = effective !== null && AWAITING_ACCEPTANCE.includes(effective);
    const marked = acceptance.overdueMarkedFor === acceptance.dueOn;
    deadlines.push({
      kind: 'ACCEPTANCE',
      dueOn: acceptance.dueOn,
      article: deadlineEvents.AcceptanceOverdue.article,
      open,
      overdue: isOverdue(open, acceptance.dueOn, marked),
      markedOverdue: marked,
      extended: acceptance.extended,
      missedDueOn: acceptance.missedDueOn,
    });
  }

  const construction = state.construction;
  for (const year of reportYears(state, today)) {
    const dueOn = reportDueOn(year, policies);
    const open = !terminated && !construction?.reportedYears.includes(year);
    const marked = construction?.overdueReportYears.includes(year) ?? false;
    deadlines.push({
      kind: 'PERFORMANCE_REPORT',
      dueOn,
      article: deadlineEvents.PerformanceReportOverdue.article,
      open,
      overdue: isOverdue(open, dueOn, marked),
      markedOverdue: marked,
      year,
    });
  }

  for (const r of Object.values(state.rectifications)) {
    const open = !terminated && awaitsReport(r);
    deadlines.push({
      kind: 'RECTIFICATION',
      dueOn: r.deadline,
      article: deadlineEvents.RectificationOverdue.article,
      open,
      overdue: isOverdue(open, r.deadline, r.overdueMarked),
      markedOverdue: r.overdueMarked,
      rectificationId: r.rectificationId,
    });
  }
  return deadlines;
}

/** The open obligations the measures give no date for (第十八条, 第十九条, 第二十三条). */
export type UndatedObligationKind = 'SURPLUS_RETURN' | 'ASSET_REGISTRATION' | 'INCIDENT_DECISION';
export const UNDATED_OBLIGATION_KINDS: readonly UndatedObligationKind[] = [
  'SURPLUS_RETURN',
  'ASSET_REGISTRATION',
  'INCIDENT_DECISION',
];

interface Undated<K extends UndatedObligationKind> {
  kind: K;
  dueOn: null;
  article: string;
  open: true;
  overdue: false;
  markedOverdue: false;
}

export type UndatedObligation =
  | (Undated<'SURPLUS_RETURN'> & { outstandingFen: number })
  /** 第二十三条 及时: the asset of a passed acceptance, to register (at most the actual cost, acceptance.ts). */
  | (Undated<'ASSET_REGISTRATION'> & { acceptedOn: IsoDate | null })
  /** 第十八条: a reported serious delay or major loss awaiting the office's decision (incidents.ts). */
  | (Undated<'INCIDENT_DECISION'> & { incidentId: string; incidentKind: IncidentKind; reportedOn: IsoDate });

const UNDATED = { dueOn: null, open: true, overdue: false, markedOverdue: false } as const;

/**
 * The open obligations the measures give no date for: the surplus declared at completion and not
 * yet returned to finance (第十九条 结余资金按规定收回, no time limit stated); the asset of a passed
 * acceptance not yet registered (第二十三条 及时办理资产登记: "in time", no number of days); each
 * reported incident the office has not yet decided on (第十八条). Listed beside the dated ones by
 * the read models; never overdue, and outside the deadline watcher and nextDueDates. A terminated
 * project owes no asset and no decision; its surplus is still owed back (终止 does not return funds).
 */
export function undatedObligationsOf(state: ProjectState): UndatedObligation[] {
  if (state.status === null) return [];
  const obligations: UndatedObligation[] = [];
  const outstandingFen = surplusOutstandingOf(state);
  if (outstandingFen > 0) {
    obligations.push({ kind: 'SURPLUS_RETURN', ...UNDATED, article: '第十九条', outstandingFen });
  }
  if (state.status === 'ACCEPTED' && state.asset === null) {
    const acceptedOn = state.acceptance?.acceptedOn ?? null;
    obligations.push({ kind: 'ASSET_REGISTRATION', ...UNDATED, article: '第二十三条', acceptedOn });
  }
  if (state.status !== 'TERMINATED') {
    for (const { incidentId, kind, reportedOn, decision } of state.oversight.incidentLog) {
      if (decision !== null) continue;
      obligations.push({
        kind: 'INCIDENT_DECISION',
        ...UNDATED,
        article: '第十八条',
        incidentId,
        incidentKind: kind,
        reportedOn,
      });
    }
  }
  return obligations;
}

/** 第十九条 the surplus declared at completion minus what was returned; 0 before completion. */
export function surplusOutstandingOf(state: ProjectState): number {
  if (state.status === null || !state.acceptance) return 0;
  return state.acceptance.surplusFen - state.acceptance.surplusReturnedFen;
}

/**
 * The earliest open due date per kind, independent of today, so read models can index and page
 * deadlines. A project still under construction owes next year's performance report even when
 * every year so far is reported (第十七条).
 */
export function nextDueDates(
  state: ProjectState,
  policies: readonly Policy[] = POLICIES,
): Partial<Record<DeadlineKind, IsoDate>> {
  const next: Partial<Record<DeadlineKind, IsoDate>> = {};
  for (const d of deadlinesOf(state, undefined, policies)) {
    const earliest = next[d.kind];
    if (d.open && (earliest === undefined || d.dueOn < earliest)) next[d.kind] = d.dueOn;
  }
  if (state.status === null) return next;
  const construction = state.construction;
  const building = effectiveStatus(state) === 'UNDER_CONSTRUCTION';
  if (next.PERFORMANCE_REPORT === undefined && building && construction && !state.acceptance) {
    const { startedOn, reportedYears, overdueReportYears } = construction;
    const lastKnown = Math.max(yearOf(startedOn), ...reportedYears, ...overdueReportYears);
    next.PERFORMANCE_REPORT = reportDueOn(lastKnown + 1, policies);
  }
  return next;
}
