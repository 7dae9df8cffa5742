/**
 * 建设: naming who is responsible (第十条) and the supervision unit (第十六条), starting only
 * after the design approval (第八条), the yearly performance report (第十七条), incidents
 * (第十八条) and completion with its surplus and acceptance due date (第十九条, 第二十一条).
 */
import { addCalendarMonths, dueDateInYear, isAfter, isBefore, yearOf } from '../calendar';
import { POST_START, PRE_APPROVAL, PRE_COMPLETION } from '../project-status';
import { citing, defineRules, refusal } from '../rule';
import { ON_A_PROJECT, SHARED_RULES, SharedRuleCode, requireFen, requirePastDate } from '../shared';
import { hasVisibleText } from '../text';
import { ConstructionBanCode, requireNoConstructionBan } from './compliance';
import { ProjectCommandDefinitions, ProjectEventDefinitions, present, requireStatus } from './guards';
import { ProjectState } from './state';

const APPROVAL_FIRST = '第八条';
const RESPONSIBILITY = '第十条';
const SUPERVISION = '第十六条';
const PERFORMANCE_REPORT = '第十七条';
const SURPLUS = '第十九条';
const COMPLETION = '第二十一条';

export const constructionRules = defineRules({
  CONSTRUCTION_BEFORE_APPROVAL: {
    kind: 'RULE_VIOLATION',
    article: APPROVAL_FIRST,
    zh: '初步设计方案和投资概算未获批复前不得开工建设',
    en: 'construction may not start before the preliminary design and estimate are approved',
  },
  RESPONSIBILITY_REQUIRED: {
    kind: 'RULE_VIOLATION',
    article: RESPONSIBILITY,
    zh: '开工前须确定项目实施机构和项目责任人',
    en: 'an implementing body and a responsible person must be named before construction',
  },
  SUPERVISION_REQUIRED: {
    kind: 'RULE_VIOLATION',
    article: SUPERVISION,
    zh: '概算200万元（含）以上的项目须委托工程监理单位',
    en: 'an engineering supervision unit is required for approved estimates of 2,000,000 yuan or more',
  },
  REPORT_YEAR_OUT_OF_RANGE: {
    kind: 'RULE_VIOLATION',
    article: PERFORMANCE_REPORT,
    zh: '绩效评价报告年度须在建设期内且不晚于本年度',
    en: 'the report year must be a construction year, not after this year',
  },
  PERFORMANCE_REPORT_DUPLICATE: {
    kind: 'CONFLICT',
    article: PERFORMANCE_REPORT,
    zh: '该年度绩效评价报告已提交',
    en: 'the performance report for this year was already submitted',
  },
  SUPERVISION_OPINION_REQUIRED: {
    kind: 'RULE_VIOLATION',
    article: PERFORMANCE_REPORT,
    zh: '绩效评价报告须征求监理单位意见',
    en: 'the supervision unit’s opinion is required',
  },
  TRIAL_RUN_NOTES_REQUIRED: {
    kind: 'RULE_VIOLATION',
    article: PERFORMANCE_REPORT,
    zh: '已投入试运行的系统须说明试运行效果及问题',
    en: 'trial-run results are required for systems in trial run',
  },
  COMPLETION_BEFORE_START: {
    kind: 'RULE_VIOLATION',
    article: COMPLETION,
    zh: '建成日期不得早于开工日期',
    en: 'completion cannot precede the start of construction',
  },
  SURPLUS_EXCEEDS_TOTAL: {
    kind: 'RULE_VIOLATION',
    article: SURPLUS,
    zh: '结余资金不得超过项目总投资',
    en: 'surplus cannot exceed the project total',
  },
  INCIDENT_EXISTS: {
    kind: 'CONFLICT',
    article: '第十八条',
    zh: '该编号的重大问题报告已存在',
    en: 'an incident with this id was already reported',
  },
});
/** The refusal codes this module's commands may name. */
type Code = SharedRuleCode | keyof typeof constructionRules | ConstructionBanCode;
const R = constructionRules;
const START_DATE = citing(SHARED_RULES.INVALID_DATE, APPROVAL_FIRST);
const COMPLETION_DATE = citing(SHARED_RULES.INVALID_DATE, COMPLETION);
/** 第八条 开工建设 is a fact: the day it started has come. */
const START_IN_FUTURE = {
  ...citing(SHARED_RULES.DATE_IN_FUTURE, APPROVAL_FIRST),
  zh: '开工日期不得晚于今天',
  en: 'construction cannot have started after today',
};
/** 第二十一条 建成: the completion date starts the six months and must have come. */
const COMPLETION_IN_FUTURE = {
  ...citing(SHARED_RULES.DATE_IN_FUTURE, COMPLETION),
  zh: '建成日期不得晚于今天',
  en: 'construction cannot have been completed after today',
};
const REPORT_AMOUNT = citing(SHARED_RULES.INVALID_AMOUNT, PERFORMANCE_REPORT);
const SURPLUS_AMOUNT = citing(SHARED_RULES.INVALID_AMOUNT, SURPLUS);

/**
 * Construction years run from the start year to the completion year (or to this year while
 * building): the system was under construction during each of them (第十七条 建设期内每年).
 */
export function constructionYears(state: ProjectState, today: string): number[] {
  if (state.status === null || !state.construction) return [];
  const first = yearOf(state.construction.startedOn);
  const completedOn = state.acceptance?.completedOn;
  const last = completedOn ? yearOf(completedOn) : Math.max(first, yearOf(today));
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

export const constructionCommands: ProjectCommandDefinitions<
  | 'AssignResponsibility'
  | 'EngageSupervisionUnit'
  | 'StartConstruction'
  | 'SubmitPerformanceReport'
  | 'ReportIncident'
  | 'CompleteConstruction',
  Code
> = {
  AssignResponsibility: {
    roles: ['CONSTRUCTION_UNIT'],
    articles: RESPONSIBILITY,
    route: 'assign-responsibility',
    accepts: PRE_COMPLETION,
    refusals: [...ON_A_PROJECT, 'INVALID_STATE'],
    decide(command, state, ctx) {
      requireStatus(state, ctx);
      const { projectId, implementingBody, responsiblePerson } = command.data;
      return [{ type: 'ResponsibilityAssigned', data: { projectId, implementingBody, responsiblePerson } }];
    },
  },
  EngageSupervisionUnit: {
    roles: ['CONSTRUCTION_UNIT'],
    articles: SUPERVISION,
    route: 'engage-supervision',
    accepts: PRE_COMPLETION,
    refusals: [...ON_A_PROJECT, 'INVALID_STATE'],
    decide(command, state, ctx) {
      requireStatus(state, ctx);
      const { projectId, supervisionUnit, contractRef } = command.data;
      return [{ type: 'SupervisionUnitEngaged', data: { projectId, supervisionUnit, contractRef } }];
    },
  },
  /**
   * 第八条 no start before the design approval (refused as a rule, not a mere state mismatch,
   * because starting early is the violation the article names); 第十条 responsibility named;
   * 第十六条 supervision engaged at or above the threshold of the policy in force today.
   */
  StartConstruction: {
    roles: ['CONSTRUCTION_UNIT'],
    articles: '第八条、第十条、第十六条',
    route: 'start-construction',
    accepts: ['APPROVED'],
    refusals: [
      ...ON_A_PROJECT,
      'CONSTRUCTION_BEFORE_APPROVAL',
      'INVALID_STATE',
      'INVALID_DATE',
      'DATE_IN_FUTURE',
      'RESPONSIBILITY_REQUIRED',
      'SUPERVISION_REQUIRED',
      'CONSTRUCTION_BANNED',
    ],
    decide(command, state, ctx) {
      if (PRE_APPROVAL.includes(state.status)) throw refusal(R.CONSTRUCTION_BEFORE_APPROVAL, { status: state.status });
      requireStatus(state, ctx);
      // 第二十四条 不得新建、改建、扩建: a department under the ban does not start building.
      requireNoConstructionBan(state.registration.departmentCode, command.data.underBan);
      const startedOn = requirePastDate(
        command.data.startedOn,
        'startedOn',
        { invalid: START_DATE, future: START_IN_FUTURE },
        ctx,
      );
      const { approvedOn, approvedEstimateFen } = present(state.approved, state, ctx);
      if (isBefore(startedOn, approvedOn)) throw refusal(R.CONSTRUCTION_BEFORE_APPROVAL, { startedOn, approvedOn });
      const { implementingBody, responsiblePerson, supervisionUnit } = state.responsibility;
      const missing = [
        ...(implementingBody ? [] : ['implementingBody']),
        ...(responsiblePerson ? [] : ['responsiblePerson']),
      ];
      if (missing.length > 0) throw refusal(R.RESPONSIBILITY_REQUIRED, { missing });
      const thresholdFen = ctx.policy.supervisionThresholdFen;
      const supervisionRequired = approvedEstimateFen >= thresholdFen;
      if (supervisionRequired && !supervisionUnit)
        throw refusal(R.SUPERVISION_REQUIRED, { approvedEstimateFen, thresholdFen });
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
    },
  },
  SubmitPerformanceReport: {
    roles: ['CONSTRUCTION_UNIT'],
    articles: PERFORMANCE_REPORT,
    route: 'submit-performance-report',
    accepts: POST_START,
    refusals: [
      ...ON_A_PROJECT,
      'INVALID_STATE',
      'REPORT_YEAR_OUT_OF_RANGE',
      'PERFORMANCE_REPORT_DUPLICATE',
      'INVALID_AMOUNT',
      'SUPERVISION_OPINION_REQUIRED',
      'TRIAL_RUN_NOTES_REQUIRED',
    ],
    decide(command, state, ctx) {
      requireStatus(state, ctx);
      const construction = present(state.construction, state, ctx);
      const d = command.data;
      // 第十七条 建设期内每年: a year of construction that has begun; a start stored before the
      // dates were checked could lie ahead, so this year bounds the range as well.
      const thisYear = yearOf(ctx.today);
      const years = constructionYears(state, ctx.today);
      if (!years.includes(d.year) || d.year > thisYear)
        throw refusal(R.REPORT_YEAR_OUT_OF_RANGE, { year: d.year, constructionYears: years, thisYear });
      if (construction.reportedYears.includes(d.year)) throw refusal(R.PERFORMANCE_REPORT_DUPLICATE, { year: d.year });
      if (!Number.isInteger(d.progressPercent) || d.progressPercent < 0 || d.progressPercent > 100) {
        throw refusal(REPORT_AMOUNT, { field: 'progressPercent', value: d.progressPercent });
      }
      requireFen(d.investmentExecutedFen, 'investmentExecutedFen', REPORT_AMOUNT);
      // 第十七条 征求监理单位的意见: once a supervision unit exists its opinion is part of the report.
      if (state.responsibility.supervisionUnit && !hasVisibleText(d.supervisionOpinion))
        throw refusal(R.SUPERVISION_OPINION_REQUIRED);
      // 第十七条 已投入试运行的系统: the completion year's report covers the trial run.
      const completedOn = state.acceptance?.completedOn;
      if (completedOn && d.year === yearOf(completedOn) && !hasVisibleText(d.trialRunNotes))
        throw refusal(R.TRIAL_RUN_NOTES_REQUIRED);
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
    },
  },
  /** 第十八条 项目建设过程中: from the design approval on. */
  ReportIncident: {
    roles: ['CONSTRUCTION_UNIT'],
    articles: '第十八条',
    route: 'report-incident',
    accepts: ['APPROVED', 'UNDER_CONSTRUCTION'],
    refusals: [...ON_A_PROJECT, 'INVALID_STATE', 'INCIDENT_EXISTS'],
    decide(command, state, ctx) {
      requireStatus(state, ctx);
      const { projectId, incidentId, kind, description } = command.data;
      // the id names the incident in the office's decision (第十八条) and in a suspension's basis
      if (state.oversight.incidentLog.some((i) => i.incidentId === incidentId))
        throw refusal(R.INCIDENT_EXISTS, { incidentId });
      return [{ type: 'IncidentReported', data: { projectId, incidentId, kind, description, reportedOn: ctx.today } }];
    },
  },
  /** 第二十一条: the six months run from the completion date, under the policy of today. */
  CompleteConstruction: {
    roles: ['CONSTRUCTION_UNIT'],
    articles: '第十九条、第二十一条',
    route: 'complete-construction',
    accepts: ['UNDER_CONSTRUCTION'],
    refusals: [
      ...ON_A_PROJECT,
      'INVALID_STATE',
      'INVALID_DATE',
      'DATE_IN_FUTURE',
      'COMPLETION_BEFORE_START',
      'INVALID_AMOUNT',
      'SURPLUS_EXCEEDS_TOTAL',
    ],
    decide(command, state, ctx) {
      requireStatus(state, ctx);
      const { startedOn } = present(state.construction, state, ctx);
      const totalFen = present(state.approved, state, ctx).currentTotalFen;
      const completedOn = requirePastDate(
        command.data.completedOn,
        'completedOn',
        { invalid: COMPLETION_DATE, future: COMPLETION_IN_FUTURE },
        ctx,
      );
      if (isBefore(completedOn, startedOn)) throw refusal(R.COMPLETION_BEFORE_START, { completedOn, startedOn });
      const surplusFen = requireFen(command.data.surplusFen, 'surplusFen', SURPLUS_AMOUNT);
      if (surplusFen > totalFen) throw refusal(R.SURPLUS_EXCEEDS_TOTAL, { surplusFen, totalFen });
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
    },
  },
};

export const constructionEvents: ProjectEventDefinitions<
  | 'ResponsibilityAssigned'
  | 'SupervisionUnitEngaged'
  | 'ConstructionStarted'
  | 'PerformanceReportSubmitted'
  | 'IncidentReported'
  | 'ConstructionCompleted'
> = {
  ResponsibilityAssigned: { label: '项目实施机构和责任人已确定', family: '建设', article: RESPONSIBILITY },
  SupervisionUnitEngaged: { label: '工程监理单位已委托', family: '建设', article: SUPERVISION },
  ConstructionStarted: { label: '项目已开工', family: '建设', article: '第八条、第十条、第十六条' },
  PerformanceReportSubmitted: { label: '绩效评价报告已提交', family: '建设', article: PERFORMANCE_REPORT },
  IncidentReported: { label: '重大问题已报告', family: '建设', article: '第十八条' },
  ConstructionCompleted: { label: '项目已建成', family: '建设', article: '第十九条、第二十一条' },
};
