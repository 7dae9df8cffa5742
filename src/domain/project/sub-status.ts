import type { ProjectState } from './state';

/**
 * Where a project stands within its status (the dashboard shows "项目建议书 · 待审批" beside
 * "项目建议书 · 已批复，待报送可研"): read from the folded state only, so a document submitted and
 * one approved and waiting for the next can be told apart in every list without a second state
 * machine. null where the status says all there is (建设中, 已登记资产, 已终止).
 */
export type SubStatus =
  // 项目计划 (第五条): the next document to file, 建议书 or, on the fast track (第六条), 可研
  | 'AWAITING_PROPOSAL'
  | 'AWAITING_FEASIBILITY'
  // 建议书、可研 (第六条) and 初步设计 (第八条) submitted: the office's decision awaits
  | 'AWAITING_APPROVAL'
  // a stage approved: the construction unit files the next document
  | 'APPROVED_AWAITING_FEASIBILITY'
  | 'APPROVED_AWAITING_DESIGN'
  // 初步设计 (第八条): the review and pricing (评审核价) before the approval
  | 'AWAITING_REVIEW'
  | 'REVIEWED_AWAITING_APPROVAL'
  | 'REVIEW_FAILED'
  // 初步设计已批复: construction may start (第十条、第十六条 first)
  | 'AWAITING_START'
  // 建成 (第二十一条): the acceptance plan, the archive acceptance, the acceptance itself, an extension asked
  | 'AWAITING_ACCEPTANCE_PLAN'
  | 'AWAITING_ARCHIVE_ACCEPTANCE'
  | 'AWAITING_ACCEPTANCE'
  | 'EXTENSION_REQUESTED'
  // 已验收: the asset is registered next (第二十三条)
  | 'AWAITING_ASSET_REGISTRATION'
  // 未获批复: the stage refused
  | 'REJECTED_PROPOSAL'
  | 'REJECTED_FEASIBILITY'
  | 'REJECTED_DESIGN'
  // 暂停建设: the status the project returns to on resumption
  | 'SUSPENDED_BEFORE_START'
  | 'SUSPENDED_IN_CONSTRUCTION'
  | 'SUSPENDED_AFTER_COMPLETION';

export function subStatusOf(state: ProjectState): SubStatus | null {
  if (state.status === null) return null;
  const { approval, acceptance, status } = state;
  switch (status) {
    case 'DRAFT_PLAN':
      return state.registration.fastTrack ? 'AWAITING_FEASIBILITY' : 'AWAITING_PROPOSAL';
    case 'PROPOSAL':
      return approval.stageApproved ? 'APPROVED_AWAITING_FEASIBILITY' : 'AWAITING_APPROVAL';
    case 'FEASIBILITY':
      return approval.stageApproved ? 'APPROVED_AWAITING_DESIGN' : 'AWAITING_APPROVAL';
    case 'PRELIMINARY_DESIGN': {
      const review = approval.design?.review ?? null;
      if (review === null) return 'AWAITING_REVIEW';
      return review.passed ? 'REVIEWED_AWAITING_APPROVAL' : 'REVIEW_FAILED';
    }
    case 'APPROVED':
      return 'AWAITING_START';
    case 'COMPLETED':
    case 'ACCEPTANCE_FAILED':
      if (acceptance === null) return null;
      if (acceptance.pendingExtension !== null) return 'EXTENSION_REQUESTED';
      if (!acceptance.planAgreed) return 'AWAITING_ACCEPTANCE_PLAN';
      return acceptance.archivePassed === true ? 'AWAITING_ACCEPTANCE' : 'AWAITING_ARCHIVE_ACCEPTANCE';
    case 'ACCEPTED':
      return 'AWAITING_ASSET_REGISTRATION';
    case 'REJECTED':
      return approval.rejectedStage === 'PROPOSAL'
        ? 'REJECTED_PROPOSAL'
        : approval.rejectedStage === 'FEASIBILITY'
          ? 'REJECTED_FEASIBILITY'
          : approval.rejectedStage === 'PRELIMINARY_DESIGN'
            ? 'REJECTED_DESIGN'
            : null;
    case 'SUSPENDED':
      return state.statusBeforeSuspension === 'APPROVED'
        ? 'SUSPENDED_BEFORE_START'
        : state.statusBeforeSuspension === 'UNDER_CONSTRUCTION'
          ? 'SUSPENDED_IN_CONSTRUCTION'
          : state.statusBeforeSuspension === 'COMPLETED'
            ? 'SUSPENDED_AFTER_COMPLETION'
            : null;
    case 'UNDER_CONSTRUCTION':
    case 'ASSET_REGISTERED':
    case 'TERMINATED':
      return null;
    default: {
      const never: never = status;
      return never;
    }
  }
}
