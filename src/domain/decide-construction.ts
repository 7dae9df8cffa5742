import { addCalendarMonths, dueDateInYear, isAfter, isBefore, yearOf } from './calendar';
import {
  AssignResponsibility,
  CompleteConstruction,
  EngageSupervisionUnit,
  ReportIncident,
  StartConstruction,
  SubmitPerformanceReport,
} from './project-commands';
import { ProjectEvent } from './project-events';
import { DecisionContext, requireDate, requireFen, requireStatus } from './project-guards';
import { ProjectState } from './project-state';
import { PRE_APPROVAL } from './project-status';
import { refuse } from './rules';

export function decideAssignResponsibility(command: AssignResponsibility, state: ProjectState): ProjectEvent[] {
  requireStatus(command.type, state);
  const { projectId, implementingBody, responsiblePerson } = command.data;
  return [{ type: 'ResponsibilityAssigned', data: { projectId, implementingBody, responsiblePerson } }];
}

export function decideEngageSupervision(command: EngageSupervisionUnit, state: ProjectState): ProjectEvent[] {
  requireStatus(command.type, state);
  const { projectId, supervisionUnit, contractRef } = command.data;
  return [{ type: 'SupervisionUnitEngaged', data: { projectId, supervisionUnit, contractRef } }];
}

/**
 * 第八条 no start before the design approval (refused as a rule, not a mere state mismatch,
 * because starting early is the violation the article names); 第十条 responsibility named;
 * 第十六条 supervision engaged at or above the threshold of the policy in force today.
 */
export function decideStartConstruction(command: StartConstruction, state: ProjectState, ctx: DecisionContext): ProjectEvent[] {
  if (state.status !== null && PRE_APPROVAL.includes(state.status)) {
    throw refuse('CONSTRUCTION_BEFORE_APPROVAL', { status: state.status });
  }
  requireStatus(command.type, state);
  const startedOn = requireDate(command.data.startedOn, 'startedOn', '第八条');
  const approvedOn = state.approvedOn as string;
  if (isBefore(startedOn, approvedOn)) throw refuse('CONSTRUCTION_BEFORE_APPROVAL', { startedOn, approvedOn });
  const missing = [
    ...(state.implementingBody ? [] : ['implementingBody']),
    ...(state.responsiblePerson ? [] : ['responsiblePerson']),
  ];
  if (missing.length > 0) throw refuse('RESPONSIBILITY_REQUIRED', { missing });
  const approvedEstimateFen = state.approvedEstimateFen as number;
  const supervisionRequired = approvedEstimateFen >= ctx.policy.supervisionThresholdFen;
  if (supervisionRequired && !state.supervisionUnit) {
    throw refuse('SUPERVISION_REQUIRED', { approvedEstimateFen, thresholdFen: ctx.policy.supervisionThresholdFen });
  }
  return [
    {
      type: 'ConstructionStarted',
      data: {
        projectId: command.data.projectId,
        startedOn,
        approvedEstimateFen,
        supervisionRequired,
        performanceReportDueOn: dueDateInYear(yearOf(startedOn), ctx.policy.performanceReportDueMonthDay),
      },
    },
  ];
}

/**
 * Construction years run from the start year to the completion year (or to this year while
 * building): the system was under construction during each of them (第十七条 建设期内每年).
 */
export function constructionYears(state: ProjectState, today: string): number[] {
  if (!state.startedOn) return [];
  const first = yearOf(state.startedOn);
  const last = state.completedOn ? yearOf(state.completedOn) : Math.max(first, yearOf(today));
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

export function decidePerformanceReport(command: SubmitPerformanceReport, state: ProjectState, ctx: DecisionContext): ProjectEvent[] {
  requireStatus(command.type, state);
  const d = command.data;
  if (!constructionYears(state, ctx.today).includes(d.year)) {
    throw refuse('REPORT_YEAR_OUT_OF_RANGE', { year: d.year, constructionYears: constructionYears(state, ctx.today) });
  }
  if (state.reportedYears.includes(d.year)) throw refuse('PERFORMANCE_REPORT_DUPLICATE', { year: d.year });
  if (!Number.isInteger(d.progressPercent) || d.progressPercent < 0 || d.progressPercent > 100) {
    throw refuse('INVALID_AMOUNT', { field: 'progressPercent', value: d.progressPercent }, '第十七条');
  }
  requireFen(d.investmentExecutedFen, 'investmentExecutedFen', '第十七条');
  // 第十七条 征求监理单位的意见: once a supervision unit exists its opinion is part of the report.
  if (state.supervisionUnit && !d.supervisionOpinion) throw refuse('SUPERVISION_OPINION_REQUIRED');
  // 第十七条 已投入试运行的系统: the completion year's report covers the trial run.
  if (state.completedOn && d.year === yearOf(state.completedOn) && !d.trialRunNotes) throw refuse('TRIAL_RUN_NOTES_REQUIRED');
  const dueOn = dueDateInYear(d.year, ctx.policy.performanceReportDueMonthDay);
  return [
    {
      type: 'PerformanceReportSubmitted',
      data: {
        projectId: d.projectId,
        year: d.year,
        progressPercent: d.progressPercent,
        investmentExecutedFen: d.investmentExecutedFen,
        userOpinions: d.userOpinions,
        supervisionOpinion: d.supervisionOpinion ?? null,
        trialRunNotes: d.trialRunNotes ?? null,
        dueOn,
        late: isAfter(ctx.today, dueOn),
        submittedOn: ctx.today,
      },
    },
  ];
}

export function decideReportIncident(command: ReportIncident, state: ProjectState, ctx: DecisionContext): ProjectEvent[] {
  requireStatus(command.type, state);
  const { projectId, kind, description } = command.data;
  return [{ type: 'IncidentReported', data: { projectId, kind, description, reportedOn: ctx.today } }];
}

/** 第二十一条: the six months run from the completion date, under the policy of today. */
export function decideCompleteConstruction(command: CompleteConstruction, state: ProjectState, ctx: DecisionContext): ProjectEvent[] {
  requireStatus(command.type, state);
  const completedOn = requireDate(command.data.completedOn, 'completedOn', '第二十一条');
  if (isBefore(completedOn, state.startedOn as string)) throw refuse('COMPLETION_BEFORE_START', { completedOn, startedOn: state.startedOn });
  const surplusFen = requireFen(command.data.surplusFen, 'surplusFen', '第十九条');
  const totalFen = state.currentTotalFen as number;
  if (surplusFen > totalFen) throw refuse('SURPLUS_EXCEEDS_TOTAL', { surplusFen, totalFen });
  return [
    {
      type: 'ConstructionCompleted',
      data: {
        projectId: command.data.projectId,
        completedOn,
        surplusFen,
        totalFen,
        acceptanceDueOn: addCalendarMonths(completedOn, ctx.policy.acceptanceWindowMonths),
      },
    },
  ];
}
