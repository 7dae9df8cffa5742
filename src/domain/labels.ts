import type { DeadlineKind, UndatedObligationKind } from './project/deadlines';
import type { ProjectStatus } from './project-status';
import type { Category, Nature } from './project-values';
import type { Role } from './roles';

/**
 * The Chinese names the measures and the offices use for the domain's codes: what exports and
 * printed files show instead of the codes (event types have theirs in EVENT_CATALOGUE).
 */
export const STATUS_LABELS: Record<ProjectStatus, string> = {
  DRAFT_PLAN: '项目计划',
  PROPOSAL: '项目建议书',
  FEASIBILITY: '可行性研究',
  PRELIMINARY_DESIGN: '初步设计',
  APPROVED: '初步设计已批复',
  UNDER_CONSTRUCTION: '建设中',
  COMPLETED: '建成待验收',
  ACCEPTED: '已验收',
  ASSET_REGISTERED: '已登记资产',
  REJECTED: '未获批复',
  SUSPENDED: '暂停建设',
  TERMINATED: '已终止',
  ACCEPTANCE_FAILED: '验收未通过',
};

/** 第二条 the four kinds of project. */
export const CATEGORY_LABELS: Record<Category, string> = {
  INFRASTRUCTURE: '电子政务基础设施',
  SOFTWARE: '软件开发及购买',
  OPERATIONS: '运维运营服务',
  THIRD_PARTY: '第三方服务',
};

export const NATURE_LABELS: Record<Nature, string> = { NEW: '新建', UPGRADE: '升级改造', CONTINUATION: '续建' };

export const ROLE_LABELS: Record<Role, string> = {
  CONSTRUCTION_UNIT: '项目建设单位',
  OFFICE: '领导小组办公室',
  LEADING_GROUP: '领导小组',
  FINANCE: '市财政局',
  AUDIT: '市审计局',
  SUPERVISOR: '监管部门',
  GOVERNMENT: '市人民政府',
  SYSTEM: '系统（期限监测）',
};

/** Dated deadlines (第十七、二十一、二十七条) and the undated obligations (第十八、十九、二十三条). */
export const OBLIGATION_LABELS: Record<DeadlineKind | UndatedObligationKind, string> = {
  ACCEPTANCE: '项目验收',
  PERFORMANCE_REPORT: '绩效评价报告',
  RECTIFICATION: '限期整改',
  SURPLUS_RETURN: '结余资金收回',
  ASSET_REGISTRATION: '资产登记',
  INCIDENT_DECISION: '重大事项待决定',
};

/** A code's label, or the code itself when the table has none (a value stored before the label existed). */
export function labelOf(table: Readonly<Record<string, string>>, code: unknown): string {
  if (typeof code !== 'string') return '';
  return Object.prototype.hasOwnProperty.call(table, code) ? table[code] : code;
}
