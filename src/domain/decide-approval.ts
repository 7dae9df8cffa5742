import { ceilingOf } from './money';
import {
  ApprovePreliminaryDesign,
  RegisterProject,
  ReviewPreliminaryDesign,
  SubmitFeasibilityStudy,
  SubmitPreliminaryDesign,
  SubmitProposal,
} from './project-commands';
import { ProjectEvent } from './project-events';
import { DecisionContext, requireFen, requireStatus, stateError } from './project-guards';
import { ProjectState } from './project-state';
import { FAST_TRACK_REASONS, FastTrack } from './project-values';
import { refuse } from './rules';

/** 第六条 fast track: every condition must hold; the refusal names the first that fails. */
function checkFastTrack(fastTrack: FastTrack, totalFen: number, ctx: DecisionContext): void {
  if (!FAST_TRACK_REASONS.includes(fastTrack.reason)) throw refuse('FAST_TRACK_REASON_INVALID', { reason: fastTrack.reason });
  if (fastTrack.urgent !== true) throw refuse('FAST_TRACK_NOT_URGENT');
  if (!(totalFen < ctx.policy.fastTrackCeilingFen)) {
    throw refuse('FAST_TRACK_OVER_LIMIT', { totalFen, ceilingFen: ctx.policy.fastTrackCeilingFen });
  }
  if (fastTrack.depthMet !== true) throw refuse('FAST_TRACK_DEPTH_NOT_MET');
}

/**
 * 第五条 project plan; 第七条 cross-department parts; 第九条 the catalogue entry. The estimate's
 * match with the budget's 一上 cannot be checked here (the budget is not in this system): the
 * annual plan's budget feedback records finance's side.
 */
export function decideRegister(command: RegisterProject, state: ProjectState, ctx: DecisionContext): ProjectEvent[] {
  if (state.status !== null) throw refuse('PROJECT_EXISTS', { projectId: command.data.projectId });
  const d = command.data;
  const cross = d.crossDepartment ?? null;
  if (cross) {
    const members = [cross.leadDepartment, ...cross.participants];
    if (!cross.frameworkPlanRef || cross.participants.length === 0 || new Set(members).size !== members.length) {
      throw refuse('CROSS_DEPARTMENT_INVALID', { crossDepartment: cross });
    }
  }
  const departmentOk =
    d.departmentCode === ctx.actor.department &&
    (!cross || cross.leadDepartment === d.departmentCode || cross.participants.includes(d.departmentCode));
  if (!departmentOk) {
    throw refuse('DEPARTMENT_MISMATCH', { departmentCode: d.departmentCode, callerDepartment: ctx.actor.department ?? null });
  }
  requireFen(d.estimateFen, 'estimateFen', '第五条', { positive: true });
  if (d.fastTrack) checkFastTrack(d.fastTrack, d.estimateFen, ctx);
  return [
    {
      type: 'ProjectRegistered',
      data: {
        projectId: d.projectId,
        name: d.name,
        category: d.category,
        departmentCode: d.departmentCode,
        planYear: d.planYear,
        nature: d.nature,
        estimateFen: d.estimateFen,
        basis: d.basis,
        schedule: d.schedule,
        cloudResources: d.cloudResources,
        dataSharing: d.dataSharing,
        networkNeeds: d.networkNeeds,
        omGuarantee: d.omGuarantee,
        followsMasterPlan: d.followsMasterPlan,
        crossDepartment: cross,
        fastTrack: d.fastTrack ?? null,
        registeredOn: ctx.today,
      },
    },
  ];
}

export function decideSubmitProposal(command: SubmitProposal, state: ProjectState, ctx: DecisionContext): ProjectEvent[] {
  const status = requireStatus(command.type, state);
  if (status === 'REJECTED' && state.rejectedStage !== 'PROPOSAL') throw stateError(command.type, state, { rejectedStage: state.rejectedStage });
  return [{ type: 'ProposalSubmitted', data: { projectId: command.data.projectId, documentRef: command.data.documentRef, submittedOn: ctx.today } }];
}

/** Approve/reject a submitted stage: the stage must await a decision. */
export function requireAwaitingDecision(
  type: 'ApproveProposal' | 'RejectProposal' | 'ApproveFeasibility' | 'RejectFeasibility',
  state: ProjectState,
): void {
  requireStatus(type, state);
  if (state.stageApproved) throw stateError(type, state, { stage: 'APPROVED' });
}

export function decideSubmitFeasibility(command: SubmitFeasibilityStudy, state: ProjectState, ctx: DecisionContext): ProjectEvent[] {
  const status = requireStatus(command.type, state);
  let fastTrack = false;
  if (status === 'DRAFT_PLAN') {
    // 第六条: only a registered, valid fast track skips the proposal; re-checked under today's policy.
    if (!state.fastTrack) throw refuse('PROPOSAL_REQUIRED');
    checkFastTrack(state.fastTrack, state.estimateFen ?? 0, ctx);
    fastTrack = true;
  } else if (status === 'PROPOSAL' && !state.stageApproved) {
    throw refuse('PROPOSAL_REQUIRED', { stage: 'SUBMITTED' });
  } else if (status === 'REJECTED') {
    if (state.rejectedStage !== 'FEASIBILITY') throw stateError(command.type, state, { rejectedStage: state.rejectedStage });
    fastTrack = state.skippedProposal;
  }
  return [
    {
      type: 'FeasibilityStudySubmitted',
      data: { projectId: command.data.projectId, documentRef: command.data.documentRef, submittedOn: ctx.today, fastTrack },
    },
  ];
}

/** A fast-tracked project stays under the ceiling through design (第六条 项目总资金小于500万). */
function checkFastTrackCeiling(state: ProjectState, totalFen: number, ctx: DecisionContext): void {
  if (state.skippedProposal && !(totalFen < ctx.policy.fastTrackCeilingFen)) {
    throw refuse('FAST_TRACK_OVER_LIMIT', { totalFen, ceilingFen: ctx.policy.fastTrackCeilingFen });
  }
}

export function decideSubmitDesign(command: SubmitPreliminaryDesign, state: ProjectState, ctx: DecisionContext): ProjectEvent[] {
  const status = requireStatus(command.type, state);
  if (status === 'FEASIBILITY' && !state.stageApproved) throw stateError(command.type, state, { stage: 'SUBMITTED' });
  // Resubmission within the stage only after a failed review (第八条 评审通过后方可批复).
  if (status === 'PRELIMINARY_DESIGN' && state.designReview?.passed !== false) throw stateError(command.type, state, { stage: 'SUBMITTED' });
  if (status === 'REJECTED' && state.rejectedStage !== 'PRELIMINARY_DESIGN') {
    throw stateError(command.type, state, { rejectedStage: state.rejectedStage });
  }
  const d = command.data;
  requireFen(d.estimateFen, 'estimateFen', '第八条', { positive: true });
  if (!d.productSecurityStatement || !d.productSecurityStatement.trim()) throw refuse('PRODUCT_SECURITY_STATEMENT_REQUIRED');
  checkFastTrackCeiling(state, d.estimateFen, ctx);
  return [
    {
      type: 'PreliminaryDesignSubmitted',
      data: {
        projectId: d.projectId,
        documentRef: d.documentRef,
        estimateFen: d.estimateFen,
        productSecurityStatement: d.productSecurityStatement,
        submittedOn: ctx.today,
      },
    },
  ];
}

export function decideReviewDesign(command: ReviewPreliminaryDesign, state: ProjectState, ctx: DecisionContext): ProjectEvent[] {
  requireStatus(command.type, state);
  const d = command.data;
  requireFen(d.verifiedEstimateFen, 'verifiedEstimateFen', '第八条', { positive: true });
  return [
    {
      type: 'PreliminaryDesignReviewed',
      data: { projectId: d.projectId, passed: d.passed, verifiedEstimateFen: d.verifiedEstimateFen, opinion: d.opinion, reviewedOn: ctx.today },
    },
  ];
}

/** 第八条: approval follows a passed review and pricing, and fixes that priced estimate. */
export function decideApproveDesign(command: ApprovePreliminaryDesign, state: ProjectState, ctx: DecisionContext): ProjectEvent[] {
  requireStatus(command.type, state);
  const d = command.data;
  if (!state.designReview?.passed) throw refuse('DESIGN_REVIEW_REQUIRED', { review: state.designReview });
  requireFen(d.approvedEstimateFen, 'approvedEstimateFen', '第八条', { positive: true });
  if (d.approvedEstimateFen !== state.designReview.verifiedEstimateFen) {
    throw refuse('ESTIMATE_MISMATCH', { approvedEstimateFen: d.approvedEstimateFen, verifiedEstimateFen: state.designReview.verifiedEstimateFen });
  }
  checkFastTrackCeiling(state, d.approvedEstimateFen, ctx);
  return [
    {
      type: 'PreliminaryDesignApproved',
      data: {
        projectId: d.projectId,
        opinion: d.opinion,
        approvedEstimateFen: d.approvedEstimateFen,
        approvedOn: ctx.today,
        supervisionRequired: d.approvedEstimateFen >= ctx.policy.supervisionThresholdFen,
        adjustmentCeilingFen: ceilingOf(d.approvedEstimateFen, ctx.policy.adjustmentCeilingBasisPoints),
      },
    },
  ];
}
