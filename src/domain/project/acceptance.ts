/**
 * 验收: the acceptance plan and its experts, extension (第二十一条), the archive acceptance
 * (第二十二条), acceptance itself, and asset registration after it (第二十三条).
 */
import { isAfter } from '../calendar';
import { AWAITING_ACCEPTANCE, PRE_ACCEPTANCE } from '../project-status';
import { ACCEPTANCE_MATERIALS, AcceptanceMaterial, AcceptanceMaterials } from '../project-values';
import { citing, defineRules, refusal } from '../rule';
import { ON_A_PROJECT, SHARED_RULES, SharedRuleCode, requireDate, requireFen } from '../shared';
import { hasVisibleText } from '../text';
import { ProjectCommandDefinitions, ProjectEventDefinitions, present, requireStatus } from './guards';

const ACCEPTANCE = '第二十一条';
const ARCHIVE = '第二十二条';
const ASSET = '第二十三条';

export const acceptanceRules = defineRules({
  EXPERT_PANEL_REQUIRED: {
    kind: 'RULE_VIOLATION',
    article: ACCEPTANCE,
    zh: '验收方案须确定专家组成',
    en: 'the acceptance plan needs an expert panel',
  },
  ACCEPTANCE_PLAN_REQUIRED: {
    kind: 'RULE_VIOLATION',
    article: ACCEPTANCE,
    zh: '须先会同领导小组办公室确定验收方案',
    en: 'the acceptance plan must be agreed with the office first',
  },
  MATERIALS_INCOMPLETE: {
    kind: 'RULE_VIOLATION',
    article: ACCEPTANCE,
    zh: '验收材料不全',
    en: 'acceptance materials are incomplete',
  },
  ARCHIVE_ACCEPTANCE_REQUIRED: {
    kind: 'RULE_VIOLATION',
    article: ARCHIVE,
    zh: '未进行档案验收或档案验收不合格的，不得通过项目验收',
    en: 'acceptance cannot pass without a passed archive acceptance',
  },
  EXTENSION_NOT_LATER: {
    kind: 'RULE_VIOLATION',
    article: ACCEPTANCE,
    zh: '延期验收日期须晚于当前验收期限',
    en: 'the extension must end after the current acceptance due date',
  },
  EXTENSION_NOT_REQUESTED: {
    kind: 'RULE_VIOLATION',
    article: ACCEPTANCE,
    zh: '项目建设单位未提出延期验收申请',
    en: 'no acceptance extension was requested',
  },
  ASSET_BEFORE_ACCEPTANCE: {
    kind: 'RULE_VIOLATION',
    article: ASSET,
    zh: '完成项目验收后方可办理资产登记',
    en: 'assets are registered only after acceptance',
  },
});
/** The refusal codes this module's commands may name. */
type Code = SharedRuleCode | keyof typeof acceptanceRules;
const R = acceptanceRules;
const EXTENSION_DATE = citing(SHARED_RULES.INVALID_DATE, ACCEPTANCE);
const ASSET_COST = citing(SHARED_RULES.INVALID_AMOUNT, ASSET);

function missingMaterials(materials: Partial<AcceptanceMaterials> | undefined | null): AcceptanceMaterial[] {
  return ACCEPTANCE_MATERIALS.filter((key) => {
    return !hasVisibleText(materials?.[key]);
  });
}

function isComplete(materials: Partial<AcceptanceMaterials> | undefined): materials is AcceptanceMaterials {
  return missingMaterials(materials).length === 0;
}

export const acceptanceCommands: ProjectCommandDefinitions<
  | 'AgreeAcceptancePlan'
  | 'RecordArchiveAcceptance'
  | 'RequestAcceptanceExtension'
  | 'GrantAcceptanceExtension'
  | 'RecordAcceptance'
  | 'RegisterAsset',
  Code
> = {
  /** 第二十一条 验收方案: method, materials and the expert panel, agreed with the office. */
  AgreeAcceptancePlan: {
    roles: ['OFFICE'],
    articles: ACCEPTANCE,
    route: 'agree-acceptance-plan',
    accepts: AWAITING_ACCEPTANCE,
    refusals: [...ON_A_PROJECT, 'INVALID_STATE', 'EXPERT_PANEL_REQUIRED'],
    decide(command, state, ctx) {
      requireStatus(state, ctx);
      const { projectId, method, experts, materials } = command.data;
      // Each expert of the panel is named: a blank entry is nobody.
      if (!Array.isArray(experts) || experts.length === 0 || !experts.every(hasVisibleText))
        throw refusal(R.EXPERT_PANEL_REQUIRED);
      return [{ type: 'AcceptancePlanAgreed', data: { projectId, method, experts, materials, agreedOn: ctx.today } }];
    },
  },
  /** 第二十二条: may be recorded again (a failed archive acceptance is redone). */
  RecordArchiveAcceptance: {
    roles: ['OFFICE'],
    articles: ARCHIVE,
    route: 'record-archive-acceptance',
    accepts: AWAITING_ACCEPTANCE,
    refusals: [...ON_A_PROJECT, 'INVALID_STATE'],
    decide(command, state, ctx) {
      requireStatus(state, ctx);
      const { projectId, passed, opinion } = command.data;
      return [{ type: 'ArchiveAcceptanceRecorded', data: { projectId, passed, opinion, recordedOn: ctx.today } }];
    },
  },
  /** 第二十一条 延期验收申请: a later request replaces a pending one. */
  RequestAcceptanceExtension: {
    roles: ['CONSTRUCTION_UNIT'],
    articles: ACCEPTANCE,
    route: 'request-acceptance-extension',
    accepts: AWAITING_ACCEPTANCE,
    refusals: [...ON_A_PROJECT, 'INVALID_STATE', 'INVALID_DATE', 'EXTENSION_NOT_LATER'],
    decide(command, state, ctx) {
      requireStatus(state, ctx);
      const currentDueOn = present(state.acceptance, state, ctx).dueOn;
      const until = requireDate(command.data.until, 'until', EXTENSION_DATE);
      if (!isAfter(until, currentDueOn)) throw refusal(R.EXTENSION_NOT_LATER, { until, currentDueOn });
      const { projectId, reason } = command.data;
      return [
        {
          type: 'AcceptanceExtensionRequested',
          data: { projectId, until, reason, currentDueOn, requestedOn: ctx.today },
        },
      ];
    },
  },
  GrantAcceptanceExtension: {
    roles: ['OFFICE'],
    articles: ACCEPTANCE,
    route: 'grant-acceptance-extension',
    accepts: AWAITING_ACCEPTANCE,
    refusals: [...ON_A_PROJECT, 'INVALID_STATE', 'EXTENSION_NOT_REQUESTED'],
    decide(command, state, ctx) {
      requireStatus(state, ctx);
      const { pendingExtension: pending, dueOn } = present(state.acceptance, state, ctx);
      if (!pending) throw refusal(R.EXTENSION_NOT_REQUESTED);
      return [
        {
          type: 'AcceptanceExtensionGranted',
          data: {
            projectId: command.data.projectId,
            opinion: command.data.opinion,
            until: pending.until,
            previousDueOn: dueOn,
            acceptanceDueOn: pending.until,
            grantedOn: ctx.today,
          },
        },
      ];
    },
  },
  /**
   * 第二十一条 every material; 第二十二条 archive acceptance passed. A `passed` verdict that the
   * facts do not support is refused (docs/api.md 422) rather than silently turned into a failure: the
   * office records `passed: false` to fail the acceptance, and then no funds may be paid.
   */
  RecordAcceptance: {
    roles: ['OFFICE'],
    articles: '第十三条、第二十一条、第二十二条',
    route: 'record-acceptance',
    accepts: AWAITING_ACCEPTANCE,
    refusals: [
      ...ON_A_PROJECT,
      'INVALID_STATE',
      'ACCEPTANCE_PLAN_REQUIRED',
      'MATERIALS_INCOMPLETE',
      'ARCHIVE_ACCEPTANCE_REQUIRED',
    ],
    decide(command, state, ctx) {
      requireStatus(state, ctx);
      const acceptance = present(state.acceptance, state, ctx);
      if (!acceptance.planAgreed) throw refusal(R.ACCEPTANCE_PLAN_REQUIRED);
      const d = command.data;
      const missing = missingMaterials(d.materials);
      const archivePassed = acceptance.archivePassed === true;
      if (d.passed) {
        if (!isComplete(d.materials)) throw refusal(R.MATERIALS_INCOMPLETE, { missing });
        if (!archivePassed) {
          throw refusal(R.ARCHIVE_ACCEPTANCE_REQUIRED, { archiveAcceptancePassed: acceptance.archivePassed });
        }
        const acceptanceDueOn = acceptance.dueOn;
        return [
          {
            type: 'AcceptancePassed',
            data: {
              projectId: d.projectId,
              opinion: d.opinion,
              materials: d.materials,
              acceptedOn: ctx.today,
              acceptanceDueOn,
              onTime: !isAfter(ctx.today, acceptanceDueOn),
            },
          },
        ];
      }
      return [
        {
          type: 'AcceptanceFailed',
          data: {
            projectId: d.projectId,
            opinion: d.opinion,
            materials: d.materials ?? {},
            missingMaterials: missing,
            archiveAcceptancePassed: archivePassed,
            fundsBlocked: true,
            failedOn: ctx.today,
          },
        },
      ];
    },
  },
  /** 第二十三条: only after acceptance; before it the refusal names the article, not the state. */
  RegisterAsset: {
    roles: ['CONSTRUCTION_UNIT'],
    articles: ASSET,
    route: 'register-asset',
    accepts: ['ACCEPTED'],
    refusals: [...ON_A_PROJECT, 'ASSET_BEFORE_ACCEPTANCE', 'INVALID_STATE', 'INVALID_AMOUNT'],
    decide(command, state, ctx) {
      if (PRE_ACCEPTANCE.includes(state.status)) throw refusal(R.ASSET_BEFORE_ACCEPTANCE, { status: state.status });
      requireStatus(state, ctx);
      const costFen = requireFen(command.data.costFen, 'costFen', ASSET_COST, { positive: true });
      const { projectId, assetClass } = command.data;
      return [{ type: 'AssetRegistered', data: { projectId, assetClass, costFen, registeredOn: ctx.today } }];
    },
  },
};

export const acceptanceEvents: ProjectEventDefinitions<
  | 'AcceptancePlanAgreed'
  | 'ArchiveAcceptanceRecorded'
  | 'AcceptanceExtensionRequested'
  | 'AcceptanceExtensionGranted'
  | 'AcceptancePassed'
  | 'AcceptanceFailed'
  | 'AssetRegistered'
> = {
  AcceptancePlanAgreed: { label: '验收方案已确定', family: '验收', article: ACCEPTANCE },
  ArchiveAcceptanceRecorded: { label: '档案验收已记录', family: '验收', article: ARCHIVE },
  AcceptanceExtensionRequested: { label: '已申请延期验收', family: '验收', article: ACCEPTANCE },
  AcceptanceExtensionGranted: { label: '延期验收已同意', family: '验收', article: ACCEPTANCE },
  AcceptancePassed: { label: '项目验收通过', family: '验收', article: '第十三条、第二十一条、第二十二条' },
  AcceptanceFailed: { label: '项目验收未通过', family: '验收', article: '第二十一条、第二十二条' },
  AssetRegistered: { label: '资产已登记', family: '验收', article: ASSET },
};
