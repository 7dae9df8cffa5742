import { DomainError, DomainErrorKind } from './errors';

interface RuleText {
  kind: DomainErrorKind;
  article: string;
  zh: string;
  en: string;
}

const RE_APPROVAL_ZH = '不符合调整备案情形，须按新建项目重新履行审批手续';
const RE_APPROVAL_EN = 'needs re-approval as a new project';

/**
 * Every refusal the measures give, with a stable code and the article it comes from.
 * Codes are part of the public contract (API.md problem+json `code`): never rename one.
 */
export const RULES = {
  ROLE_NOT_ALLOWED: { kind: 'FORBIDDEN', article: '第三条', zh: '该角色无权执行此操作', en: 'this role may not issue this command' },
  OTHER_DEPARTMENT: { kind: 'FORBIDDEN', article: '第三条', zh: '项目建设单位只能办理本部门的项目', en: 'a construction unit acts on its own department’s projects only' },
  PROJECT_NOT_FOUND: { kind: 'NOT_FOUND', article: '第九条', zh: '项目不在项目总目录中', en: 'project is not registered' },
  PROJECT_EXISTS: { kind: 'CONFLICT', article: '第九条', zh: '项目已登记', en: 'project is already registered' },
  NO_POLICY_IN_FORCE: { kind: 'RULE_VIOLATION', article: '第三十三条', zh: '该时间点本办法尚未施行', en: 'the measures were not in force at that time' },
  INVALID_AMOUNT: { kind: 'RULE_VIOLATION', article: '第五条', zh: '金额必须为以分计的整数', en: 'amounts are integer fen within range' },
  INVALID_DATE: { kind: 'RULE_VIOLATION', article: '第二十一条', zh: '日期无效', en: 'invalid date' },
  DEPARTMENT_MISMATCH: { kind: 'FORBIDDEN', article: '第三条、第七条', zh: '项目所属部门须为申报部门（跨部门项目须为牵头或参建部门）', en: 'the project’s department must be the caller’s (lead or participant for cross-department projects)' },
  CROSS_DEPARTMENT_INVALID: { kind: 'RULE_VIOLATION', article: '第七条', zh: '跨部门项目须有牵头部门、参建部门及统一框架方案', en: 'cross-department projects need a lead, distinct participants and a joint framework plan' },
  FAST_TRACK_NOT_URGENT: { kind: 'RULE_VIOLATION', article: '第六条', zh: '直接编报可研须情况紧急', en: 'fast track requires urgency' },
  FAST_TRACK_OVER_LIMIT: { kind: 'RULE_VIOLATION', article: '第六条', zh: '直接编报可研须项目总资金小于500万元', en: 'fast track requires total funds below 5,000,000 yuan' },
  FAST_TRACK_DEPTH_NOT_MET: { kind: 'RULE_VIOLATION', article: '第六条', zh: '直接编报可研须前期工作深度达到规定要求', en: 'fast track requires the preliminary work depth to be met' },
  FAST_TRACK_REASON_INVALID: { kind: 'RULE_VIOLATION', article: '第六条', zh: '直接编报可研须市委市政府明确要求或重大战略、安全等特殊原因', en: 'fast track requires a city requirement, major strategy or security reason' },
  PROPOSAL_REQUIRED: { kind: 'RULE_VIOLATION', article: '第六条', zh: '须先编报项目建议书并获批复', en: 'the project proposal must be approved first (no fast track)' },
  PRODUCT_SECURITY_STATEMENT_REQUIRED: { kind: 'RULE_VIOLATION', article: '第十三条', zh: '报批阶段须说明软硬件产品安全可靠情况', en: 'a product security and reliability statement is required at approval' },
  DESIGN_REVIEW_REQUIRED: { kind: 'RULE_VIOLATION', article: '第八条', zh: '初步设计评审和核价通过后方可出具初步设计审批意见', en: 'the preliminary design must pass review and pricing before approval' },
  ESTIMATE_MISMATCH: { kind: 'RULE_VIOLATION', article: '第八条', zh: '批复概算须与核价结果一致', en: 'the approved estimate must equal the verified (priced) estimate' },
  CONSTRUCTION_BEFORE_APPROVAL: { kind: 'RULE_VIOLATION', article: '第八条', zh: '初步设计方案和投资概算未获批复前不得开工建设', en: 'construction may not start before the preliminary design and estimate are approved' },
  RESPONSIBILITY_REQUIRED: { kind: 'RULE_VIOLATION', article: '第十条', zh: '开工前须确定项目实施机构和项目责任人', en: 'an implementing body and a responsible person must be named before construction' },
  SUPERVISION_REQUIRED: { kind: 'RULE_VIOLATION', article: '第十六条', zh: '概算200万元（含）以上的项目须委托工程监理单位', en: 'an engineering supervision unit is required for approved estimates of 2,000,000 yuan or more' },
  REPORT_YEAR_OUT_OF_RANGE: { kind: 'RULE_VIOLATION', article: '第十七条', zh: '绩效评价报告年度须在建设期内', en: 'the report year must be a construction year' },
  PERFORMANCE_REPORT_DUPLICATE: { kind: 'CONFLICT', article: '第十七条', zh: '该年度绩效评价报告已提交', en: 'the performance report for this year was already submitted' },
  SUPERVISION_OPINION_REQUIRED: { kind: 'RULE_VIOLATION', article: '第十七条', zh: '绩效评价报告须征求监理单位意见', en: 'the supervision unit’s opinion is required' },
  TRIAL_RUN_NOTES_REQUIRED: { kind: 'RULE_VIOLATION', article: '第十七条', zh: '已投入试运行的系统须说明试运行效果及问题', en: 'trial-run results are required for systems in trial run' },
  ADJUSTMENT_REASON_NOT_ALLOWED: { kind: 'RULE_VIOLATION', article: '第二十条', zh: `调整理由不属于三种情形，${RE_APPROVAL_ZH}`, en: `the reason is not one of the three allowed: ${RE_APPROVAL_EN}` },
  ADJUSTMENT_OBJECTIVES_CHANGED: { kind: 'RULE_VIOLATION', article: '第二十条', zh: `建设目标改变，${RE_APPROVAL_ZH}`, en: `the objectives change: ${RE_APPROVAL_EN}` },
  ADJUSTMENT_EXCEEDS_ESTIMATE: { kind: 'RULE_VIOLATION', article: '第二十条', zh: `投资规模超出概算批复，${RE_APPROVAL_ZH}`, en: `the total exceeds the approved estimate: ${RE_APPROVAL_EN}` },
  ADJUSTMENT_EXCEEDS_LIMIT: { kind: 'RULE_VIOLATION', article: '第二十条', zh: `资金调整累计超过概算总投资10%，${RE_APPROVAL_ZH}`, en: `adjusted funds would exceed 10 % of the approved estimate: ${RE_APPROVAL_EN}` },
  COMPLETION_BEFORE_START: { kind: 'RULE_VIOLATION', article: '第二十一条', zh: '建成日期不得早于开工日期', en: 'completion cannot precede the start of construction' },
  SURPLUS_EXCEEDS_TOTAL: { kind: 'RULE_VIOLATION', article: '第十九条', zh: '结余资金不得超过项目总投资', en: 'surplus cannot exceed the project total' },
  SURPLUS_RETURN_EXCEEDS: { kind: 'RULE_VIOLATION', article: '第十九条', zh: '退回金额超过结余资金', en: 'the amount returned exceeds the surplus' },
  EXPERT_PANEL_REQUIRED: { kind: 'RULE_VIOLATION', article: '第二十一条', zh: '验收方案须确定专家组成', en: 'the acceptance plan needs an expert panel' },
  ACCEPTANCE_PLAN_REQUIRED: { kind: 'RULE_VIOLATION', article: '第二十一条', zh: '须先会同领导小组办公室确定验收方案', en: 'the acceptance plan must be agreed with the office first' },
  MATERIALS_INCOMPLETE: { kind: 'RULE_VIOLATION', article: '第二十一条', zh: '验收材料不全', en: 'acceptance materials are incomplete' },
  ARCHIVE_ACCEPTANCE_REQUIRED: { kind: 'RULE_VIOLATION', article: '第二十二条', zh: '未进行档案验收或档案验收不合格的，不得通过项目验收', en: 'acceptance cannot pass without a passed archive acceptance' },
  EXTENSION_NOT_LATER: { kind: 'RULE_VIOLATION', article: '第二十一条', zh: '延期验收日期须晚于当前验收期限', en: 'the extension must end after the current acceptance due date' },
  EXTENSION_NOT_REQUESTED: { kind: 'RULE_VIOLATION', article: '第二十一条', zh: '项目建设单位未提出延期验收申请', en: 'no acceptance extension was requested' },
  ASSET_BEFORE_ACCEPTANCE: { kind: 'RULE_VIOLATION', article: '第二十三条', zh: '完成项目验收后方可办理资产登记', en: 'assets are registered only after acceptance' },
  EXEMPTION_ALREADY_GRANTED: { kind: 'CONFLICT', article: '第二十四条', zh: '已获市人民政府批准保留', en: 'the sharing exemption was already granted' },
  FINDINGS_REQUIRED: { kind: 'RULE_VIOLATION', article: '第二十七条', zh: '整改通知须列明问题', en: 'a rectification order lists its findings' },
  DEADLINE_NOT_IN_FUTURE: { kind: 'RULE_VIOLATION', article: '第二十七条', zh: '整改期限须晚于今日', en: 'the rectification deadline must be after today' },
  RECTIFICATION_EXISTS: { kind: 'CONFLICT', article: '第二十七条', zh: '整改编号已存在', en: 'a rectification with this id exists' },
  RECTIFICATION_NOT_FOUND: { kind: 'NOT_FOUND', article: '第二十七条', zh: '整改事项不存在', en: 'no such rectification' },
  RECTIFICATION_NOT_OPEN: { kind: 'INVALID_STATE', article: '第二十七条', zh: '整改事项不处于待整改状态', en: 'the rectification is not awaiting a report' },
  RECTIFICATION_NOT_SUBMITTED: { kind: 'INVALID_STATE', article: '第二十七条', zh: '整改报告尚未提交', en: 'no rectification report awaits verification' },
  ACCEPTANCE_NOT_OVERDUE: { kind: 'RULE_VIOLATION', article: '第二十一条', zh: '验收尚未逾期', en: 'acceptance is not overdue' },
  REPORT_NOT_OVERDUE: { kind: 'RULE_VIOLATION', article: '第十七条', zh: '绩效评价报告尚未逾期或已提交', en: 'the performance report is not overdue' },
  RECTIFICATION_NOT_OVERDUE: { kind: 'RULE_VIOLATION', article: '第二十七条', zh: '整改尚未逾期', en: 'the rectification is not overdue' },
  PLAN_YEAR_MISMATCH: { kind: 'RULE_VIOLATION', article: '第五条', zh: '项目计划年度与年度建设计划年度不一致', en: "the project's plan year is not the annual plan's year" },
  PLAN_FROZEN: { kind: 'RULE_VIOLATION', article: '第五条', zh: '年度建设计划一经确定，无特殊情况不再调整', en: 'the adopted annual plan changes only for a recorded special circumstance' },
  PLAN_EMPTY: { kind: 'RULE_VIOLATION', article: '第五条', zh: '年度建设计划尚无项目', en: 'the annual plan has no projects' },
  PLAN_NOT_ADOPTED: { kind: 'RULE_VIOLATION', article: '第五条', zh: '年度建设计划尚未经领导小组联席会议通过', en: 'the annual plan is not yet adopted' },
  PROJECT_NOT_IN_PLAN: { kind: 'RULE_VIOLATION', article: '第五条', zh: '项目未纳入年度建设计划', en: 'the project is not in the annual plan' },
  ALREADY_IN_PLAN: { kind: 'CONFLICT', article: '第五条', zh: '项目已纳入年度建设计划', en: 'the project is already in the annual plan' },
  BUDGET_CONTROL_INCONSISTENT: { kind: 'RULE_VIOLATION', article: '第五条', zh: '未纳入预算的项目不下达控制数', en: 'a project outside the budget has no control amount' },
} as const satisfies Record<string, RuleText>;

export type RuleCode = keyof typeof RULES;

export function refuse(code: RuleCode, details?: Record<string, unknown>, article?: string): DomainError {
  const rule: RuleText = RULES[code];
  return new DomainError({
    code,
    kind: rule.kind,
    article: article ?? rule.article,
    messageZh: rule.zh,
    messageEn: rule.en,
    details,
  });
}

/** The command does not fit the status (API.md 409 INVALID_STATE, with the current status). */
export function invalidState(command: string, status: string | null, article: string, extra?: Record<string, unknown>): DomainError {
  return new DomainError({
    code: 'INVALID_STATE',
    kind: 'INVALID_STATE',
    article,
    messageZh: `项目当前状态（${status}）不允许此操作`,
    messageEn: `${command} does not fit the current status ${status}`,
    details: { status, command, ...extra },
  });
}
