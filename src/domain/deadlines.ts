import { IsoDate, dueDateInYear, isAfter, localDateOf, yearOf } from './calendar';
import { ORDOS_2020, POLICIES, Policy, policyAt } from './policy';
import { ProjectState } from './project-state';
import { AWAITING_ACCEPTANCE } from './project-status';

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

function reportYears(state: ProjectState, today: IsoDate | null): number[] {
  if (!state.startedOn) return [];
  const first = yearOf(state.startedOn);
  const last = state.completedOn
    ? yearOf(state.completedOn)
    : Math.max(first, today ? yearOf(today) : first, ...state.reportedYears, ...state.overdueReportYears);
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

/**
 * Every dated obligation of a project: acceptance within six months of completion or by the
 * granted extension (第二十一条), a performance report per construction year (第十七条), each
 * rectification deadline (第二十七条). Read models and the deadline watcher use this; the dates
 * themselves come from events, so the answer never depends on today's policy.
 */
export function deadlinesOf(state: ProjectState, now?: string, policies: readonly Policy[] = POLICIES): Deadline[] {
  const today = now ? localDateOf(now) : null;
  const terminated = state.status === 'TERMINATED';
  const isOverdue = (open: boolean, dueOn: IsoDate, marked: boolean) => open && (today ? isAfter(today, dueOn) : marked);
  const deadlines: Deadline[] = [];

  if (state.acceptanceDueOn) {
    const effective = state.status === 'SUSPENDED' ? state.statusBeforeSuspension : state.status;
    const open = effective !== null && AWAITING_ACCEPTANCE.includes(effective);
    const marked = state.acceptanceOverdueMarkedFor === state.acceptanceDueOn;
    deadlines.push({
      kind: 'ACCEPTANCE',
      dueOn: state.acceptanceDueOn,
      article: '第二十一条',
      open,
      overdue: isOverdue(open, state.acceptanceDueOn, marked),
      markedOverdue: marked,
      extended: state.acceptanceExtended,
    });
  }

  for (const year of reportYears(state, today)) {
    const dueOn = reportDueOn(year, policies);
    const open = !terminated && !state.reportedYears.includes(year);
    const marked = state.overdueReportYears.includes(year);
    deadlines.push({ kind: 'PERFORMANCE_REPORT', dueOn, article: '第十七条', open, overdue: isOverdue(open, dueOn, marked), markedOverdue: marked, year });
  }

  for (const r of Object.values(state.rectifications)) {
    const open = !terminated && (r.status === 'OPEN' || r.status === 'REJECTED');
    deadlines.push({
      kind: 'RECTIFICATION',
      dueOn: r.deadline,
      article: '第二十七条',
      open,
      overdue: isOverdue(open, r.deadline, r.overdueMarked),
      markedOverdue: r.overdueMarked,
      rectificationId: r.rectificationId,
    });
  }
  return deadlines;
}

/**
 * The earliest open due date per kind, independent of today, so read models can index and page
 * deadlines. A project still under construction owes next year's performance report even when
 * every year so far is reported (第十七条).
 */
export function nextDueDates(state: ProjectState, policies: readonly Policy[] = POLICIES): Partial<Record<DeadlineKind, IsoDate>> {
  const next: Partial<Record<DeadlineKind, IsoDate>> = {};
  for (const d of deadlinesOf(state, undefined, policies)) {
    if (d.open && (next[d.kind] === undefined || d.dueOn < next[d.kind]!)) next[d.kind] = d.dueOn;
  }
  const building = state.status === 'UNDER_CONSTRUCTION' || (state.status === 'SUSPENDED' && state.statusBeforeSuspension === 'UNDER_CONSTRUCTION');
  if (next.PERFORMANCE_REPORT === undefined && building && state.startedOn && !state.completedOn) {
    const lastKnown = Math.max(yearOf(state.startedOn), ...state.reportedYears, ...state.overdueReportYears);
    next.PERFORMANCE_REPORT = reportDueOn(lastKnown + 1, policies);
  }
  return next;
}
