/**
 * 第五条 年度建设计划: the office includes reviewed projects, the leading group's joint meeting
 * adopts the plan, finance feeds back the budget (一下). 一经确定，无特殊情况不再调整.
 */
import { CommandDefinition, DecisionContext, EventDefinition } from '../definitions';
import { Actor } from '../roles';
import { defineRules, refusal } from '../rule';
import { BEFORE_ANY_DECISION, SHARED_RULES, SharedRuleCode, recordedBy, requireFen } from '../shared';
import { hasVisibleText } from '../text';
import {
  AnnualPlanCommandOf,
  AnnualPlanCommandType,
  AnnualPlanEvent,
  AnnualPlanEventOf,
  AnnualPlanEventType,
  AnnualPlanState,
  SpecialCircumstance,
} from './types';

const PLAN = '第五条';

export const annualPlanRules = defineRules({
  PLAN_YEAR_MISMATCH: {
    kind: 'RULE_VIOLATION',
    article: PLAN,
    zh: '项目计划年度与年度建设计划年度不一致',
    en: "the project's plan year is not the annual plan's year",
  },
  PLAN_FROZEN: {
    kind: 'RULE_VIOLATION',
    article: PLAN,
    zh: '年度建设计划一经确定，无特殊情况不再调整',
    en: 'the adopted annual plan changes only for a recorded special circumstance',
  },
  PLAN_EMPTY: {
    kind: 'RULE_VIOLATION',
    article: PLAN,
    zh: '年度建设计划尚无项目',
    en: 'the annual plan has no projects',
  },
  PLAN_NOT_ADOPTED: {
    kind: 'RULE_VIOLATION',
    article: PLAN,
    zh: '年度建设计划尚未经领导小组联席会议通过',
    en: 'the annual plan is not yet adopted',
  },
  PROJECT_NOT_IN_PLAN: {
    kind: 'RULE_VIOLATION',
    article: PLAN,
    zh: '项目未纳入年度建设计划',
    en: 'the project is not in the annual plan',
  },
  ALREADY_IN_PLAN: {
    kind: 'CONFLICT',
    article: PLAN,
    zh: '项目已纳入年度建设计划',
    en: 'the project is already in the annual plan',
  },
  BUDGET_CONTROL_INCONSISTENT: {
    kind: 'RULE_VIOLATION',
    article: PLAN,
    zh: '未纳入预算的项目不下达控制数',
    en: 'a project outside the budget has no control amount',
  },
});
const R = annualPlanRules;

/** 一经确定，无特殊情况不再调整: after adoption a change needs a reason, recorded with who. */
function specialCircumstance(reason: string | null | undefined, actor: Actor): SpecialCircumstance {
  if (!hasVisibleText(reason)) throw refusal(R.PLAN_FROZEN);
  return { reason, recordedBy: recordedBy(actor) };
}

type AnnualPlanCommandDefinitions = {
  [K in AnnualPlanCommandType]: CommandDefinition<
    AnnualPlanCommandOf<K>,
    AnnualPlanState,
    AnnualPlanEvent,
    DecisionContext,
    SharedRuleCode | keyof typeof annualPlanRules
  >;
};

export const annualPlanCommands: AnnualPlanCommandDefinitions = {
  IncludeProjectInPlan: {
    roles: ['OFFICE'],
    articles: PLAN,
    route: '/annual-plans/:year/include',
    refusals: [...BEFORE_ANY_DECISION, 'PROJECT_NOT_FOUND', 'PLAN_YEAR_MISMATCH', 'ALREADY_IN_PLAN', 'PLAN_FROZEN'],
    decide(command, state, ctx) {
      const { year, projectId, reviewOpinion, project } = command.data;
      if (project && !project.registered) throw refusal(SHARED_RULES.PROJECT_NOT_FOUND, { projectId });
      if (project && project.planYear !== year) {
        throw refusal(R.PLAN_YEAR_MISMATCH, { projectId, year, planYear: project.planYear });
      }
      if (state.entries[projectId]) throw refusal(R.ALREADY_IN_PLAN, { projectId, year });
      const special = state.adopted ? specialCircumstance(command.data.specialCircumstance, ctx.actor) : null;
      return [
        {
          type: 'ProjectIncludedInPlan',
          data: {
            year,
            projectId,
            reviewOpinion,
            includedOn: ctx.today,
            afterAdoption: state.adopted,
            specialCircumstance: special,
          },
        },
      ];
    },
  },
  AdoptAnnualPlan: {
    roles: ['LEADING_GROUP'],
    articles: PLAN,
    route: '/annual-plans/:year/adopt',
    refusals: [...BEFORE_ANY_DECISION, 'PLAN_EMPTY', 'PLAN_FROZEN'],
    decide(command, state, ctx) {
      const year = command.data.year;
      const projectIds = Object.keys(state.entries);
      if (projectIds.length === 0) throw refusal(R.PLAN_EMPTY, { year });
      const special = state.adopted ? specialCircumstance(command.data.specialCircumstance, ctx.actor) : null;
      const meetingRef = command.data.meetingRef;
      return [
        {
          type: 'AnnualPlanAdopted',
          data: {
            year,
            meetingRef,
            projectIds,
            adoptedOn: ctx.today,
            readoption: state.adopted,
            specialCircumstance: special,
          },
        },
      ];
    },
  },
  RecordBudgetFeedback: {
    roles: ['FINANCE'],
    articles: PLAN,
    route: '/annual-plans/:year/budget-feedback',
    refusals: [
      ...BEFORE_ANY_DECISION,
      'PLAN_NOT_ADOPTED',
      'PROJECT_NOT_IN_PLAN',
      'INVALID_AMOUNT',
      'BUDGET_CONTROL_INCONSISTENT',
    ],
    decide(command, state, ctx) {
      const { year, projectId, inBudget } = command.data;
      // 一下 follows the adopted plan (市财政局结合年度建设计划反馈).
      if (!state.adopted) throw refusal(R.PLAN_NOT_ADOPTED, { year });
      if (!state.entries[projectId]) throw refusal(R.PROJECT_NOT_IN_PLAN, { projectId, year });
      const controlAmountFen = requireFen(
        command.data.controlAmountFen,
        'controlAmountFen',
        SHARED_RULES.INVALID_AMOUNT,
      );
      if (!inBudget && controlAmountFen !== 0) throw refusal(R.BUDGET_CONTROL_INCONSISTENT, { controlAmountFen });
      const others = Object.values(state.entries)
        .filter((e) => e.projectId !== projectId)
        .reduce((sum, e) => sum + (e.budget?.controlAmountFen ?? 0), 0);
      return [
        {
          type: 'BudgetFeedbackRecorded',
          data: {
            year,
            projectId,
            inBudget,
            controlAmountFen,
            recordedOn: ctx.today,
            controlTotalFen: others + controlAmountFen,
          },
        },
      ];
    },
  },
};

export const annualPlanEvents: { [K in AnnualPlanEventType]: EventDefinition<AnnualPlanEventOf<K>> } = {
  ProjectIncludedInPlan: { label: '项目已纳入年度建设计划', family: '立项', article: PLAN },
  AnnualPlanAdopted: { label: '年度建设计划已通过', family: '立项', article: PLAN },
  BudgetFeedbackRecorded: { label: '预算反馈及控制数已下达', family: '立项', article: PLAN },
};
