import { dueDateInYear, isAfter } from './calendar';
import { constructionYears } from './decide-construction';
import { findRectification } from './decide-oversight';
import { MarkAcceptanceOverdue, MarkPerformanceReportOverdue, MarkRectificationOverdue } from './project-commands';
import { ProjectEvent } from './project-events';
import { DecisionContext, requireStatus } from './project-guards';
import { ProjectState } from './project-state';
import { refuse } from './rules';

/*
 * The clock-driven watcher (role SYSTEM) appends these. Marking twice is a no-op (no event),
 * so the watcher may retry freely after a crash; marking before the deadline is refused, which
 * catches a wrong clock rather than hiding it.
 */

export function decideAcceptanceOverdue(command: MarkAcceptanceOverdue, state: ProjectState, ctx: DecisionContext): ProjectEvent[] {
  requireStatus(command.type, state);
  const acceptanceDueOn = state.acceptanceDueOn as string;
  if (!isAfter(ctx.today, acceptanceDueOn)) throw refuse('ACCEPTANCE_NOT_OVERDUE', { acceptanceDueOn, today: ctx.today });
  if (state.acceptanceOverdueMarkedFor === acceptanceDueOn) return [];
  return [
    {
      type: 'AcceptanceOverdue',
      data: { projectId: command.data.projectId, completedOn: state.completedOn as string, acceptanceDueOn, detectedOn: ctx.today },
    },
  ];
}

export function decideReportOverdue(command: MarkPerformanceReportOverdue, state: ProjectState, ctx: DecisionContext): ProjectEvent[] {
  requireStatus(command.type, state);
  const year = command.data.year;
  if (!constructionYears(state, ctx.today).includes(year)) throw refuse('REPORT_YEAR_OUT_OF_RANGE', { year });
  const dueOn = dueDateInYear(year, ctx.policy.performanceReportDueMonthDay);
  if (state.reportedYears.includes(year) || !isAfter(ctx.today, dueOn)) {
    throw refuse('REPORT_NOT_OVERDUE', { year, dueOn, submitted: state.reportedYears.includes(year) });
  }
  if (state.overdueReportYears.includes(year)) return [];
  return [{ type: 'PerformanceReportOverdue', data: { projectId: command.data.projectId, year, dueOn, detectedOn: ctx.today } }];
}

export function decideRectificationOverdue(command: MarkRectificationOverdue, state: ProjectState, ctx: DecisionContext): ProjectEvent[] {
  requireStatus(command.type, state);
  const r = findRectification(state, command.data.rectificationId);
  const open = r.status === 'OPEN' || r.status === 'REJECTED';
  if (!open || !isAfter(ctx.today, r.deadline)) {
    throw refuse('RECTIFICATION_NOT_OVERDUE', { rectificationId: r.rectificationId, deadline: r.deadline, rectificationStatus: r.status });
  }
  if (r.overdueMarked) return [];
  return [
    {
      type: 'RectificationOverdue',
      data: { projectId: command.data.projectId, rectificationId: r.rectificationId, deadline: r.deadline, detectedOn: ctx.today },
    },
  ];
}
