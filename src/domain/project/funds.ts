/**
 * 调整备案 and 结余资金: the unit's own adjustment filing within the approved estimate
 * (第二十条), the investment finance releases in tranches within the approved total (第八条,
 * 第十九条) and the surplus returned to finance (第十九条).
 */
import { ceilingOf, withinBasisPoints } from '../money';
import { AWAITING_ACCEPTANCE, PRE_APPROVAL } from '../project-status';
import { ADJUSTMENT_REASONS } from '../project-values';
import { citing, defineRules, refusal } from '../rule';
import { ON_A_PROJECT, SHARED_RULES, SharedRuleCode, requireFen } from '../shared';
import { ConstructionBanCode, requireNoConstructionBan } from './compliance';
import { ProjectCommandDefinitions, ProjectEventDefinitions, present, requireStatus } from './guards';

const ADJUSTMENT = '第二十条';
const SURPLUS = '第十九条';
const DESIGN_APPROVAL = '第八条';
const DEFERRAL = '第二十七条';
const ACCEPTANCE = '第二十一条';
const BUDGET = '第五条';

const RE_APPROVAL_ZH = '不符合调整备案情形，须按新建项目重新履行审批手续';
const RE_APPROVAL_EN = 'needs re-approval as a new project';

export const fundsRules = defineRules({
  ADJUSTMENT_REASON_NOT_ALLOWED: {
    kind: 'RULE_VIOLATION',
    article: ADJUSTMENT,
    zh: `调整理由不属于三种情形，${RE_APPROVAL_ZH}`,
    en: `the reason is not one of the three allowed: ${RE_APPROVAL_EN}`,
  },
  ADJUSTMENT_OBJECTIVES_CHANGED: {
    kind: 'RULE_VIOLATION',
    article: ADJUSTMENT,
    zh: `建设目标改变，${RE_APPROVAL_ZH}`,
    en: `the objectives change: ${RE_APPROVAL_EN}`,
  },
  ADJUSTMENT_EXCEEDS_ESTIMATE: {
    kind: 'RULE_VIOLATION',
    article: ADJUSTMENT,
    zh: `投资规模超出概算批复，${RE_APPROVAL_ZH}`,
    en: `the total exceeds the approved estimate: ${RE_APPROVAL_EN}`,
  },
  ADJUSTMENT_EXCEEDS_LIMIT: {
    kind: 'RULE_VIOLATION',
    article: ADJUSTMENT,
    zh: `资金调整累计超过概算总投资10%，${RE_APPROVAL_ZH}`,
    en: `adjusted funds would exceed 10 % of the approved estimate: ${RE_APPROVAL_EN}`,
  },
  INVESTMENT_DESIGN_NOT_APPROVED: {
    kind: 'RULE_VIOLATION',
    article: DESIGN_APPROVAL,
    zh: '初步设计方案和投资概算未经批复，不得下达投资',
    en: 'no investment is released before the preliminary design and estimate are approved',
  },
  INVESTMENT_NOT_IN_BUDGET: {
    kind: 'RULE_VIOLATION',
    article: BUDGET,
    zh: '财政预算反馈该项目未纳入年度预算，不得下达投资',
    en: "finance's budget feedback says the project is not in the budget",
  },
  INVESTMENT_RELEASE_DEFERRED: {
    kind: 'RULE_VIOLATION',
    article: DEFERRAL,
    zh: '项目投资已被暂缓安排',
    en: 'the investment is deferred',
  },
  INVESTMENT_ACCEPTANCE_FAILED: {
    kind: 'RULE_VIOLATION',
    article: ACCEPTANCE,
    zh: '项目验收未通过，验收通过前不得下达投资',
    en: 'the acceptance failed: no investment is released until it passes',
  },
  INVESTMENT_EXCEEDS_APPROVED: {
    kind: 'RULE_VIOLATION',
    article: SURPLUS,
    zh: '累计下达投资超过批复总投资',
    en: 'the released total would exceed the approved total investment',
  },
  SURPLUS_RETURN_EXCEEDS: {
    kind: 'RULE_VIOLATION',
    article: SURPLUS,
    zh: '退回金额超过结余资金',
    en: 'the amount returned exceeds the surplus',
  },
});
/** The refusal codes this module's commands may name. */
type Code = SharedRuleCode | keyof typeof fundsRules | ConstructionBanCode;
const R = fundsRules;
const ADJUSTMENT_AMOUNT = citing(SHARED_RULES.INVALID_AMOUNT, ADJUSTMENT);
const SURPLUS_AMOUNT = citing(SHARED_RULES.INVALID_AMOUNT, SURPLUS);
const RELEASE_AMOUNT = citing(SHARED_RULES.INVALID_AMOUNT, SURPLUS);

export const fundsCommands: ProjectCommandDefinitions<
  'FileAdjustment' | 'ReturnSurplusFunds' | 'ReleaseInvestment',
  Code
> = {
  /**
   * 第二十条 调整备案: the unit may adjust by itself only when every condition holds; otherwise
   * the change goes through approval again as a new project. The 10 % is of the approved total
   * estimate and counts every earlier filing (running total), compared exactly in fen.
   * Adjustments are construction-time facts, from the design approval on.
   */
  FileAdjustment: {
    roles: ['CONSTRUCTION_UNIT'],
    articles: ADJUSTMENT,
    route: 'file-adjustment',
    accepts: ['APPROVED', 'UNDER_CONSTRUCTION'],
    refusals: [
      ...ON_A_PROJECT,
      'INVALID_STATE',
      'ADJUSTMENT_REASON_NOT_ALLOWED',
      'ADJUSTMENT_OBJECTIVES_CHANGED',
      'INVALID_AMOUNT',
      'ADJUSTMENT_EXCEEDS_ESTIMATE',
      'ADJUSTMENT_EXCEEDS_LIMIT',
      'CONSTRUCTION_BANNED',
    ],
    decide(command, state, ctx) {
      requireStatus(state, ctx);
      // 第二十四条 不得改建、扩建: an adjustment changes what is built, refused under the ban.
      requireNoConstructionBan(state.registration.departmentCode, command.data.underBan);
      const approved = present(state.approved, state, ctx);
      const { approvedEstimateFen } = approved;
      const d = command.data;
      if (!ADJUSTMENT_REASONS.includes(d.reason)) throw refusal(R.ADJUSTMENT_REASON_NOT_ALLOWED, { reason: d.reason });
      if (d.objectivesUnchanged !== true) throw refusal(R.ADJUSTMENT_OBJECTIVES_CHANGED);
      requireFen(d.amountFen, 'amountFen', ADJUSTMENT_AMOUNT, { positive: true });
      requireFen(d.newTotalFen, 'newTotalFen', ADJUSTMENT_AMOUNT, { positive: true });
      if (d.newTotalFen > approvedEstimateFen) {
        throw refusal(R.ADJUSTMENT_EXCEEDS_ESTIMATE, { newTotalFen: d.newTotalFen, approvedEstimateFen });
      }
      const adjustedFundsTotalFen = approved.adjustedFundsTotalFen + d.amountFen;
      const basisPoints = ctx.policy.adjustmentCeilingBasisPoints;
      const adjustmentCeilingFen = ceilingOf(approvedEstimateFen, basisPoints);
      if (!withinBasisPoints(adjustedFundsTotalFen, approvedEstimateFen, basisPoints)) {
        throw refusal(R.ADJUSTMENT_EXCEEDS_LIMIT, {
          amountFen: d.amountFen,
          previouslyAdjustedFen: approved.adjustedFundsTotalFen,
          adjustedFundsTotalFen,
          adjustmentCeilingFen,
          approvedEstimateFen,
        });
      }
      return [
        {
          type: 'AdjustmentFiled',
          data: {
            projectId: d.projectId,
            reason: d.reason,
            amountFen: d.amountFen,
            previousTotalFen: approved.currentTotalFen,
            newTotalFen: d.newTotalFen,
            objectivesUnchanged: true,
            description: d.description,
            approvedEstimateFen,
            adjustedFundsTotalFen,
            adjustmentCeilingFen,
            filedOn: ctx.today,
          },
        },
      ];
    },
  },
  /**
   * 下达投资: finance releases the approved investment in tranches, only once the preliminary
   * design and estimate are approved (第八条), not while the investment is deferred (第二十七条),
   * not after a failed acceptance until one passes (第二十一条), and the tranches add up to at most
   * the approved total after every filed adjustment (第十九条, 第二十条), and never when finance's
   * budget feedback in the project's annual plan said it is not in the budget (第五条; the
   * application layer reads the plan's stream into `budget`; no feedback recorded does not refuse).
   */
  ReleaseInvestment: {
    roles: ['FINANCE'],
    articles: '第五条、第八条、第十九条、第二十一条、第二十七条',
    route: 'release-investment',
    accepts: [
      ...PRE_APPROVAL,
      'APPROVED',
      'UNDER_CONSTRUCTION',
      ...AWAITING_ACCEPTANCE,
      'ACCEPTED',
      'ASSET_REGISTERED',
    ],
    refusals: [
      ...ON_A_PROJECT,
      'INVALID_STATE',
      'INVESTMENT_DESIGN_NOT_APPROVED',
      'INVESTMENT_NOT_IN_BUDGET',
      'INVESTMENT_RELEASE_DEFERRED',
      'INVESTMENT_ACCEPTANCE_FAILED',
      'INVALID_AMOUNT',
      'INVESTMENT_EXCEEDS_APPROVED',
    ],
    // 第八条 funds follow the approved design; the other refusals are facts a release is told of
    ready: (state) => state.approved !== null,
    decide(command, state, ctx) {
      requireStatus(state, ctx);
      const approved = state.approved;
      if (!approved) throw refusal(R.INVESTMENT_DESIGN_NOT_APPROVED, { status: state.status });
      const budget = command.data.budget;
      if (budget?.inBudget === false) throw refusal(R.INVESTMENT_NOT_IN_BUDGET, { planYear: budget.planYear });
      if (state.oversight.investmentDeferred) throw refusal(R.INVESTMENT_RELEASE_DEFERRED);
      const acceptance = state.acceptance;
      if (acceptance && acceptance.failures > 0 && acceptance.acceptedOn === null) {
        throw refusal(R.INVESTMENT_ACCEPTANCE_FAILED, { acceptanceFailures: acceptance.failures });
      }
      const amountFen = requireFen(command.data.amountFen, 'amountFen', RELEASE_AMOUNT, { positive: true });
      const alreadyReleasedFen = approved.releasedFen ?? 0;
      const releasedTotalFen = alreadyReleasedFen + amountFen;
      const approvedTotalFen = approved.currentTotalFen;
      if (releasedTotalFen > approvedTotalFen) {
        throw refusal(R.INVESTMENT_EXCEEDS_APPROVED, { amountFen, alreadyReleasedFen, approvedTotalFen });
      }
      return [
        {
          type: 'InvestmentReleased',
          data: {
            projectId: command.data.projectId,
            amountFen,
            documentRef: command.data.documentRef,
            releasedOn: ctx.today,
            releasedTotalFen,
            approvedTotalFen,
          },
        },
      ];
    },
  },
  /** 第十九条 结余资金退回财政: the returns add up to at most the surplus declared at completion. */
  ReturnSurplusFunds: {
    roles: ['FINANCE'],
    articles: SURPLUS,
    route: 'return-surplus',
    accepts: [...AWAITING_ACCEPTANCE, 'ACCEPTED', 'ASSET_REGISTERED'],
    refusals: [...ON_A_PROJECT, 'INVALID_STATE', 'INVALID_AMOUNT', 'SURPLUS_RETURN_EXCEEDS'],
    ready: (state) => state.acceptance !== null && state.acceptance.surplusReturnedFen < state.acceptance.surplusFen,
    decide(command, state, ctx) {
      requireStatus(state, ctx);
      const { surplusFen, surplusReturnedFen } = present(state.acceptance, state, ctx);
      const amountFen = requireFen(command.data.amountFen, 'amountFen', SURPLUS_AMOUNT, { positive: true });
      const returnedTotalFen = surplusReturnedFen + amountFen;
      if (returnedTotalFen > surplusFen) {
        throw refusal(R.SURPLUS_RETURN_EXCEEDS, { amountFen, surplusFen, alreadyReturnedFen: surplusReturnedFen });
      }
      return [
        {
          type: 'SurplusFundsReturned',
          data: {
            projectId: command.data.projectId,
            amountFen,
            returnedTotalFen,
            outstandingSurplusFen: surplusFen - returnedTotalFen,
            returnedOn: ctx.today,
          },
        },
      ];
    },
  },
};

export const fundsEvents: ProjectEventDefinitions<'AdjustmentFiled' | 'SurplusFundsReturned' | 'InvestmentReleased'> = {
  AdjustmentFiled: { label: '调整已备案', family: '调整备案', article: ADJUSTMENT },
  SurplusFundsReturned: { label: '结余资金已退回财政', family: '建设', article: SURPLUS },
  InvestmentReleased: { label: '项目投资已下达', family: '建设', article: SURPLUS },
};
