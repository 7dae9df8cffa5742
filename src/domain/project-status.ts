/** DOMAIN.md lifecycle; side states REJECTED, SUSPENDED, TERMINATED, ACCEPTANCE_FAILED. */
export type ProjectStatus =
  | 'DRAFT_PLAN' // 项目计划
  | 'PROPOSAL' // 项目建议书
  | 'FEASIBILITY' // 可行性研究
  | 'PRELIMINARY_DESIGN' // 初步设计
  | 'APPROVED' // 初步设计已批复
  | 'UNDER_CONSTRUCTION' // 建设中
  | 'COMPLETED' // 建成/试运行
  | 'ACCEPTED' // 已验收
  | 'ASSET_REGISTERED' // 已登记资产
  | 'REJECTED' // 未获批复
  | 'SUSPENDED' // 暂停建设
  | 'TERMINATED' // 已终止
  | 'ACCEPTANCE_FAILED'; // 验收未通过

export const PROJECT_STATUSES: readonly ProjectStatus[] = [
  'DRAFT_PLAN',
  'PROPOSAL',
  'FEASIBILITY',
  'PRELIMINARY_DESIGN',
  'APPROVED',
  'UNDER_CONSTRUCTION',
  'COMPLETED',
  'ACCEPTED',
  'ASSET_REGISTERED',
  'REJECTED',
  'SUSPENDED',
  'TERMINATED',
  'ACCEPTANCE_FAILED',
];

/** The approval stages of 第六条/第八条, each submitted then approved or rejected. */
export type ApprovalStage = 'PROPOSAL' | 'FEASIBILITY' | 'PRELIMINARY_DESIGN';

/** Before 初步设计已批复: 第八条 forbids construction in these. */
export const PRE_APPROVAL: readonly ProjectStatus[] = ['DRAFT_PLAN', 'PROPOSAL', 'FEASIBILITY', 'PRELIMINARY_DESIGN'];

/** Planning and building: people and supervision may still be named (第十条, 第十六条). */
export const PRE_COMPLETION: readonly ProjectStatus[] = [...PRE_APPROVAL, 'APPROVED', 'UNDER_CONSTRUCTION'];

/** Construction has started: performance reports exist from here on (第十七条). */
export const POST_START: readonly ProjectStatus[] = [
  'UNDER_CONSTRUCTION',
  'COMPLETED',
  'ACCEPTANCE_FAILED',
  'ACCEPTED',
  'ASSET_REGISTERED',
];

/** Built, acceptance pending (第二十一条): a failed acceptance may be held again. */
export const AWAITING_ACCEPTANCE: readonly ProjectStatus[] = ['COMPLETED', 'ACCEPTANCE_FAILED'];

/** Before acceptance: 第二十三条 refuses asset registration here with its own code. */
export const PRE_ACCEPTANCE: readonly ProjectStatus[] = [...PRE_COMPLETION, ...AWAITING_ACCEPTANCE];

/** Neither suspended, terminated nor rejected: supervision facts may be recorded. */
export const LIVE: readonly ProjectStatus[] = [
  ...PRE_COMPLETION,
  ...AWAITING_ACCEPTANCE,
  'ACCEPTED',
  'ASSET_REGISTERED',
];

/** Everything but the final TERMINATED. */
export const NOT_TERMINATED: readonly ProjectStatus[] = PROJECT_STATUSES.filter((s) => s !== 'TERMINATED');
