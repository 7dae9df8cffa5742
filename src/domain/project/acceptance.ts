/**
 * 验收: the acceptance plan and its experts, extension (第二十一条), the archive acceptance
 * (第二十二条), acceptance itself with its key content (第十三条), and asset registration after it
 * (第二十三条). The construction unit organizes the acceptance on the plan agreed with the office
 * and records its result; the office agrees the plan, records the archive acceptance and grants
 * extensions.
 */
import { IsoDate, isAfter } from '../calendar';
import { AWAITING_ACCEPTANCE, PRE_ACCEPTANCE } from '../project-status';
import {
  ACCEPTANCE_MATERIALS,
  AcceptanceKeyContent,
  AcceptanceKeyContentItem,
  AcceptanceMaterial,
  AcceptanceMaterials,
  Category,
} from '../project-values';
import { citing, defineRules, refusal } from '../rule';
import { ON_A_PROJECT, SHARED_RULES, SharedRuleCode, requireDate, requireFen } from '../shared';
import { hasVisibleText } from '../text';
import { ProjectCommandDefinitions, ProjectEventDefinitions, present, requireStatus } from './guards';
import { RegisteredProject } from './state';
import { DocumentRuleCode, materialDocuments } from './documents';

const KEY_CONTENT = '第十三条';
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
  EXTENSION_TOO_LATE: {
    kind: 'RULE_VIOLATION',
    article: ACCEPTANCE,
    zh: '验收期限已过，不能再申请延期验收；延期验收须在期限届满前申请',
    en: 'an extension must be requested before the acceptance due date has passed',
  },
  KEY_CONTENT_INCOMPLETE: {
    kind: 'RULE_VIOLATION',
    article: KEY_CONTENT,
    zh: '验收重点内容不全（产品安全可靠、密码及安全审查、硬件及新建数据中心能效）',
    en: 'the key content of acceptance is incomplete',
  },
  KEY_CONTENT_NOT_PASSED: {
    kind: 'RULE_VIOLATION',
    article: KEY_CONTENT,
    zh: '密码应用安全性评估或安全审查未通过的，不得通过项目验收',
    en: 'acceptance cannot pass while the crypto assessment or the security review has not passed',
  },
  MAJOR_SECURITY_HAZARD_OPEN: {
    kind: 'RULE_VIOLATION',
    article: KEY_CONTENT,
    zh: '存在未消除的重大安全隐患，不得通过项目验收',
    en: 'acceptance cannot pass while a major security hazard is open',
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
  ASSET_COST_EXCEEDS_ACTUAL: {
    kind: 'RULE_VIOLATION',
    article: ASSET,
    zh: '资产登记金额不得超过项目实际成本（调整后的批复总投资减结余资金）',
    en: 'the asset cost exceeds the project’s actual cost (the approved total after adjustments, less the surplus)',
  },
});
/** The refusal codes this module's commands may name. */
type Code = SharedRuleCode | keyof typeof acceptanceRules | DocumentRuleCode;
const R = acceptanceRules;
const EXTENSION_DATE = citing(SHARED_RULES.INVALID_DATE, ACCEPTANCE);
const ASSET_COST = citing(SHARED_RULES.INVALID_AMOUNT, ASSET);

/** A document reference or statement given: a string with more than white space. */

function missingMaterials(materials: Partial<AcceptanceMaterials> | undefined | null): AcceptanceMaterial[] {
  return ACCEPTANCE_MATERIALS.filter((key) => {
    return !hasVisibleText(materials?.[key]);
  });
}

function isComplete(materials: Partial<AcceptanceMaterials> | undefined): materials is AcceptanceMaterials {
  return missingMaterials(materials).length === 0;
}

/** 第十三条 key content not stated; energy efficiency is key content of hardware and new data centres. */
function missingKeyContent(
  content: Partial<AcceptanceKeyContent> | undefined | null,
  category: Category,
): AcceptanceKeyContentItem[] {
  const missing: AcceptanceKeyContentItem[] = [];
  if (!hasVisibleText(content?.productSecurityReliability)) missing.push('productSecurityReliability');
  if (typeof content?.cryptoAssessmentPassed !== 'boolean') missing.push('cryptoAssessmentPassed');
  if (typeof content?.securityReviewPassed !== 'boolean') missing.push('securityReviewPassed');
  if (category === 'INFRASTRUCTURE' && !hasVisibleText(content?.energyEfficiency)) missing.push('energyEfficiency');
  return missing;
}

/**
 * 第十三条 what a passed acceptance must show: its key content complete, the crypto assessment and
 * the security review passed, and no major security hazard open. A hazard is open while the latest
 * compliance record (record-compliance, by the office or a supervisor) found one: only a newer
 * record that finds none clears it — a rectification report alone does not.
 */
function checkKeyContent(
  content: Partial<AcceptanceKeyContent> | undefined,
  state: RegisteredProject,
): asserts content is AcceptanceKeyContent {
  const missing = missingKeyContent(content, state.registration.category);
  if (missing.length > 0) throw refusal(R.KEY_CONTENT_INCOMPLETE, { missing, category: state.registration.category });
  const failed = (['cryptoAssessmentPassed', 'securityReviewPassed'] as const).filter((key) => content?.[key] !== true);
  if (failed.length > 0) throw refusal(R.KEY_CONTENT_NOT_PASSED, { failed });
  if (state.compliance.facts?.majorSecurityHazard === true) {
    throw refusal(R.MAJOR_SECURITY_HAZARD_OPEN, { majorSecurityHazard: true });
  }
}

/**
 * 第二十一条 the first due date missed: one already on record (marked overdue, or passed before an
 * extension was granted), else today's due date when today is after it.
 */
function missedDueDate(acceptance: { missedDueOn: IsoDate | null; dueOn: IsoDate }, today: IsoDate): IsoDate | null {
  return acceptance.missedDueOn ?? (isAfter(today, acceptance.dueOn) ? acceptance.dueOn : null);
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
    refusals: [...ON_A_PROJECT, 'INVALID_STATE', 'EXTENSION_TOO_LATE', 'INVALID_DATE', 'EXTENSION_NOT_LATER'],
    decide(command, state, ctx) {
      requireStatus(state, ctx);
      const currentDueOn = present(state.acceptance, state, ctx).dueOn;
      // 不能按期验收的 applies before the deadline: once it has passed the acceptance is late, and
      // an extension asked now would only hide that (the due date itself is still in time).
      if (isAfter(ctx.today, currentDueOn)) {
        throw refusal(R.EXTENSION_TOO_LATE, { currentDueOn, today: ctx.today });
      }
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
    ready: (state) => Boolean(state.acceptance?.pendingExtension),
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
   * 第二十一条 the construction unit organizes the acceptance on the plan agreed with the office and
   * records its result: every material; 第二十二条 archive acceptance passed; 第十三条 the key
   * content. A `passed` verdict that the facts do not support is refused (docs/api.md 422) rather
   * than silently turned into a failure: the unit records `passed: false` to fail the acceptance,
   * and then no funds may be paid.
   */
  RecordAcceptance: {
    roles: ['CONSTRUCTION_UNIT'],
    articles: '第十三条、第二十一条、第二十二条',
    route: 'record-acceptance',
    accepts: AWAITING_ACCEPTANCE,
    refusals: [
      ...ON_A_PROJECT,
      'INVALID_STATE',
      'ACCEPTANCE_PLAN_REQUIRED',
      'MATERIALS_INCOMPLETE',
      'ARCHIVE_ACCEPTANCE_REQUIRED',
      'KEY_CONTENT_INCOMPLETE',
      'KEY_CONTENT_NOT_PASSED',
      'MAJOR_SECURITY_HAZARD_OPEN',
      'DOCUMENT_KIND_MISMATCH',
    ],
    decide(command, state, ctx) {
      requireStatus(state, ctx);
      const acceptance = present(state.acceptance, state, ctx);
      if (!acceptance.planAgreed) throw refusal(R.ACCEPTANCE_PLAN_REQUIRED);
      const d = command.data;
      const files = materialDocuments(state, d.materials);
      const missing = missingMaterials(d.materials);
      const archivePassed = acceptance.archivePassed === true;
      if (d.passed) {
        if (!isComplete(d.materials)) throw refusal(R.MATERIALS_INCOMPLETE, { missing });
        if (!archivePassed) {
          throw refusal(R.ARCHIVE_ACCEPTANCE_REQUIRED, { archiveAcceptancePassed: acceptance.archivePassed });
        }
        checkKeyContent(d.keyContent, state);
        const missedDueOn = missedDueDate(acceptance, ctx.today);
        return [
          {
            type: 'AcceptancePassed',
            data: {
              projectId: d.projectId,
              opinion: d.opinion,
              materials: d.materials,
              keyContent: d.keyContent,
              acceptedOn: ctx.today,
              acceptanceDueOn: acceptance.dueOn,
              onTime: missedDueOn === null,
              missedDueOn,
              ...files,
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
            keyContent: d.keyContent ?? {},
            archiveAcceptancePassed: archivePassed,
            fundsBlocked: true,
            failedOn: ctx.today,
            ...files,
          },
        },
      ];
    },
  },
  /**
   * 第二十三条: only after acceptance; before it the refusal names the article, not the state. An
   * intangible asset is entered at cost (按成本), and no asset at more than the project cost: the
   * approved total as last adjusted (第二十条; fixed at completion) less the surplus declared then
   * (第十九条), whether or not finance has recorded it returned yet.
   */
  RegisterAsset: {
    roles: ['CONSTRUCTION_UNIT'],
    articles: ASSET,
    route: 'register-asset',
    accepts: ['ACCEPTED'],
    refusals: [
      ...ON_A_PROJECT,
      'ASSET_BEFORE_ACCEPTANCE',
      'INVALID_STATE',
      'INVALID_AMOUNT',
      'ASSET_COST_EXCEEDS_ACTUAL',
    ],
    decide(command, state, ctx) {
      if (PRE_ACCEPTANCE.includes(state.status)) throw refusal(R.ASSET_BEFORE_ACCEPTANCE, { status: state.status });
      requireStatus(state, ctx);
      const costFen = requireFen(command.data.costFen, 'costFen', ASSET_COST, { positive: true });
      const totalFen = present(state.approved, state, ctx).currentTotalFen;
      const surplusFen = present(state.acceptance, state, ctx).surplusFen;
      const actualCostFen = totalFen - surplusFen;
      if (costFen > actualCostFen) {
        throw refusal(R.ASSET_COST_EXCEEDS_ACTUAL, { costFen, actualCostFen, totalFen, surplusFen });
      }
      const { projectId, assetClass } = command.data;
      return [
        { type: 'AssetRegistered', data: { projectId, assetClass, costFen, actualCostFen, registeredOn: ctx.today } },
      ];
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
