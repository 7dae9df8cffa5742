/**
 * 批复: the approval stages, each submitted then approved or rejected — the project proposal
 * (第六条), the feasibility study (第六条, 第八条) and the preliminary design with its estimate,
 * reviewed and priced before approval (第八条), stating product security (第十三条) and carrying
 * its crypto application plan (第十二条 同步规划).
 * Resubmission after a rejection is allowed for the rejected stage only. Information sharing
 * (第二十四条) is reviewed before the study is approved; see compliance.ts.
 */
import { ceilingOf } from '../money';
import { ProjectCommandOf } from '../project-commands';
import { ProjectEvent } from '../project-events';
import { citing, defineRules, refusal } from '../rule';
import { ON_A_PROJECT, SHARED_RULES, SharedRuleCode, requireFen } from '../shared';
import { hasVisibleText } from '../text';
import {
  ProjectCommandDefinition,
  ProjectCommandDefinitions,
  ProjectDecisionContext,
  ProjectEventDefinitions,
  requireStatus,
  stateError,
} from './guards';
import { SharingGateCode, requireSharingExemption, requireSharingReview } from './compliance';
import { FAST_TRACK_REFUSALS, checkFastTrack, checkFastTrackCeiling } from './initiation';
import { RegisteredProject } from './state';
import { DocumentRuleCode, submittedDocument } from './documents';

const PROPOSAL = '第六条';
const DESIGN = '第八条';
/** The design with its estimate (第八条), crypto application plan (第十二条) and product security (第十三条). */
const DESIGN_SUBMISSION = '第八条、第十二条、第十三条';

export const approvalRules = defineRules({
  PROPOSAL_REQUIRED: {
    kind: 'RULE_VIOLATION',
    article: PROPOSAL,
    zh: '须先编报项目建议书并获批复',
    en: 'the project proposal must be approved first (no fast track)',
  },
  PRODUCT_SECURITY_STATEMENT_REQUIRED: {
    kind: 'RULE_VIOLATION',
    article: '第十三条',
    zh: '报批阶段须说明软硬件产品安全可靠情况',
    en: 'a product security and reliability statement is required at approval',
  },
  CRYPTO_APPLICATION_PLAN_REQUIRED: {
    kind: 'RULE_VIOLATION',
    article: '第十二条',
    zh: '初步设计须附密码应用方案（同步规划）',
    en: 'the preliminary design must carry its crypto application plan',
  },
  DESIGN_REVIEW_REQUIRED: {
    kind: 'RULE_VIOLATION',
    article: DESIGN,
    zh: '初步设计评审和核价通过后方可出具初步设计审批意见',
    en: 'the preliminary design must pass review and pricing before approval',
  },
  ESTIMATE_MISMATCH: {
    kind: 'RULE_VIOLATION',
    article: DESIGN,
    zh: '批复概算须与核价结果一致',
    en: 'the approved estimate must equal the verified (priced) estimate',
  },
});
/** The refusal codes this module's commands may name: its own, and the fast track's (initiation.ts). */
type Code =
  | SharedRuleCode
  | keyof typeof approvalRules
  | (typeof FAST_TRACK_REFUSALS)[number]
  | SharingGateCode
  | DocumentRuleCode;
const R = approvalRules;
/** The design's estimates are amounts of 第八条. */
const DESIGN_AMOUNT = citing(SHARED_RULES.INVALID_AMOUNT, DESIGN);

type Verdict = 'ApproveProposal' | 'RejectProposal' | 'ApproveFeasibility' | 'RejectFeasibility';

/** Approve/reject a submitted stage: the stage must await a decision. */
function requireAwaitingDecision(state: RegisteredProject, ctx: ProjectDecisionContext): void {
  requireStatus(state, ctx);
  if (state.approval.stageApproved) throw stateError(state, ctx, { stage: 'APPROVED' });
}

function verdict<T extends Verdict>(
  route: string,
  articles: string,
  accepts: 'PROPOSAL' | 'FEASIBILITY',
  event: (command: ProjectCommandOf<T>, ctx: ProjectDecisionContext, state: RegisteredProject) => ProjectEvent,
  gate?: { refusals: Code[]; check: (state: RegisteredProject) => void },
): ProjectCommandDefinition<ProjectCommandOf<T>, Code> {
  return {
    roles: ['OFFICE'],
    articles,
    route,
    accepts: [accepts],
    refusals: [...ON_A_PROJECT, 'INVALID_STATE', ...(gate?.refusals ?? [])],
    ready: (state) => !state.approval.stageApproved,
    decide(command, state, ctx) {
      requireAwaitingDecision(state, ctx);
      gate?.check(state);
      return [event(command, ctx, state)];
    },
  };
}

export const approvalCommands: ProjectCommandDefinitions<
  | 'SubmitProposal'
  | Verdict
  | 'SubmitFeasibilityStudy'
  | 'SubmitPreliminaryDesign'
  | 'ReviewPreliminaryDesign'
  | 'ApprovePreliminaryDesign'
  | 'RejectPreliminaryDesign',
  Code
> = {
  SubmitProposal: {
    roles: ['CONSTRUCTION_UNIT'],
    articles: PROPOSAL,
    route: 'submit-proposal',
    accepts: ['DRAFT_PLAN', 'REJECTED'],
    refusals: [...ON_A_PROJECT, 'INVALID_STATE', 'DOCUMENT_KIND_MISMATCH'],
    ready: (state) => state.status !== 'REJECTED' || state.approval.rejectedStage === 'PROPOSAL',
    decide(command, state, ctx) {
      const status = requireStatus(state, ctx);
      const rejectedStage = state.approval.rejectedStage;
      if (status === 'REJECTED' && rejectedStage !== 'PROPOSAL') throw stateError(state, ctx, { rejectedStage });
      const { projectId, documentRef } = command.data;
      const document = submittedDocument(state, documentRef, 'PROPOSAL');
      return [{ type: 'ProposalSubmitted', data: { projectId, documentRef, submittedOn: ctx.today, ...document } }];
    },
  },
  ApproveProposal: verdict<'ApproveProposal'>('approve-proposal', PROPOSAL, 'PROPOSAL', ({ data }, ctx) => ({
    type: 'ProposalApproved',
    data: { projectId: data.projectId, opinion: data.opinion, approvedOn: ctx.today },
  })),
  RejectProposal: verdict<'RejectProposal'>('reject-proposal', PROPOSAL, 'PROPOSAL', ({ data }, ctx) => ({
    type: 'ProposalRejected',
    data: { projectId: data.projectId, opinion: data.opinion, rejectedOn: ctx.today },
  })),
  SubmitFeasibilityStudy: {
    roles: ['CONSTRUCTION_UNIT'],
    articles: '第六条、第八条',
    route: 'submit-feasibility',
    accepts: ['DRAFT_PLAN', 'PROPOSAL', 'REJECTED'],
    refusals: [...ON_A_PROJECT, 'INVALID_STATE', 'PROPOSAL_REQUIRED', ...FAST_TRACK_REFUSALS, 'DOCUMENT_KIND_MISMATCH'],
    ready(state) {
      if (state.status === 'DRAFT_PLAN') return state.registration.fastTrack !== null;
      if (state.status === 'PROPOSAL') return state.approval.stageApproved;
      return state.approval.rejectedStage === 'FEASIBILITY';
    },
    decide(command, state, ctx) {
      const status = requireStatus(state, ctx);
      let fastTrack = false;
      if (status === 'DRAFT_PLAN') {
        // 第六条: only a registered, valid fast track skips the proposal; re-checked under today's policy.
        const registered = state.registration.fastTrack;
        if (!registered) throw refusal(R.PROPOSAL_REQUIRED);
        checkFastTrack(registered, state.registration.estimateFen, ctx);
        fastTrack = true;
      } else if (status === 'PROPOSAL' && !state.approval.stageApproved) {
        throw refusal(R.PROPOSAL_REQUIRED, { stage: 'SUBMITTED' });
      } else if (status === 'REJECTED') {
        const rejectedStage = state.approval.rejectedStage;
        if (rejectedStage !== 'FEASIBILITY') throw stateError(state, ctx, { rejectedStage });
        fastTrack = state.approval.skippedProposal;
      }
      const { projectId, documentRef } = command.data;
      const document = submittedDocument(state, documentRef, 'FEASIBILITY');
      return [
        {
          type: 'FeasibilityStudySubmitted',
          data: { projectId, documentRef, submittedOn: ctx.today, fastTrack, ...document },
        },
      ];
    },
  },
  /** 第六条: approving the study of a project that skipped the proposal confirms its fast track. */
  ApproveFeasibility: verdict<'ApproveFeasibility'>(
    'approve-feasibility',
    DESIGN,
    'FEASIBILITY',
    ({ data }, ctx, state) => {
      const evidenceRef = state.registration.fastTrack?.evidenceRef;
      const confirmation = state.approval.skippedProposal
        ? { fastTrackConfirmed: true as const, ...(evidenceRef ? { fastTrackEvidenceRef: evidenceRef } : {}) }
        : {};
      return {
        type: 'FeasibilityApproved',
        data: { projectId: data.projectId, opinion: data.opinion, approvedOn: ctx.today, ...confirmation },
      };
    },
    // 第二十四条: a NEW or UPGRADE project's sharing is reviewed before its study is approved.
    { refusals: ['SHARING_REVIEW_REQUIRED'], check: requireSharingReview },
  ),
  RejectFeasibility: verdict<'RejectFeasibility'>('reject-feasibility', DESIGN, 'FEASIBILITY', ({ data }, ctx) => ({
    type: 'FeasibilityRejected',
    data: { projectId: data.projectId, opinion: data.opinion, rejectedOn: ctx.today },
  })),
  SubmitPreliminaryDesign: {
    roles: ['CONSTRUCTION_UNIT'],
    articles: DESIGN_SUBMISSION,
    route: 'submit-preliminary-design',
    accepts: ['FEASIBILITY', 'PRELIMINARY_DESIGN', 'REJECTED'],
    refusals: [
      ...ON_A_PROJECT,
      'INVALID_STATE',
      'INVALID_AMOUNT',
      'PRODUCT_SECURITY_STATEMENT_REQUIRED',
      'CRYPTO_APPLICATION_PLAN_REQUIRED',
      'FAST_TRACK_OVER_LIMIT',
      'DOCUMENT_KIND_MISMATCH',
    ],
    ready(state) {
      const { stageApproved, design, rejectedStage } = state.approval;
      if (state.status === 'FEASIBILITY') return stageApproved;
      if (state.status === 'PRELIMINARY_DESIGN') return design?.review?.passed === false;
      return rejectedStage === 'PRELIMINARY_DESIGN';
    },
    decide(command, state, ctx) {
      const status = requireStatus(state, ctx);
      const { stageApproved, design, rejectedStage } = state.approval;
      if (status === 'FEASIBILITY' && !stageApproved) throw stateError(state, ctx, { stage: 'SUBMITTED' });
      // Resubmission within the stage only after a failed review (第八条 评审通过后方可批复).
      if (status === 'PRELIMINARY_DESIGN' && design?.review?.passed !== false) {
        throw stateError(state, ctx, { stage: 'SUBMITTED' });
      }
      if (status === 'REJECTED' && rejectedStage !== 'PRELIMINARY_DESIGN')
        throw stateError(state, ctx, { rejectedStage });
      const d = command.data;
      requireFen(d.estimateFen, 'estimateFen', DESIGN_AMOUNT, { positive: true });
      if (!hasVisibleText(d.productSecurityStatement)) {
        throw refusal(R.PRODUCT_SECURITY_STATEMENT_REQUIRED);
      }
      // 第十二条 同步规划: the crypto guarantee is planned with the design, not after it.
      if (!d.cryptoApplicationPlan || !d.cryptoApplicationPlan.trim()) {
        throw refusal(R.CRYPTO_APPLICATION_PLAN_REQUIRED);
      }
      // A fast-tracked project stays under the ceiling through design (第六条 项目总资金小于500万).
      if (state.approval.skippedProposal) checkFastTrackCeiling(d.estimateFen, ctx);
      const document = submittedDocument(state, d.documentRef, 'PRELIMINARY_DESIGN');
      return [
        {
          type: 'PreliminaryDesignSubmitted',
          data: {
            projectId: d.projectId,
            documentRef: d.documentRef,
            estimateFen: d.estimateFen,
            productSecurityStatement: d.productSecurityStatement,
            cryptoApplicationPlan: d.cryptoApplicationPlan,
            submittedOn: ctx.today,
            ...document,
          },
        },
      ];
    },
  },
  ReviewPreliminaryDesign: {
    roles: ['OFFICE'],
    articles: DESIGN,
    route: 'review-preliminary-design',
    accepts: ['PRELIMINARY_DESIGN'],
    refusals: [...ON_A_PROJECT, 'INVALID_STATE', 'INVALID_AMOUNT'],
    ready: (state) => state.approval.design !== null && state.approval.design.review === null,
    decide(command, state, ctx) {
      requireStatus(state, ctx);
      const { projectId, passed, verifiedEstimateFen, opinion } = command.data;
      requireFen(verifiedEstimateFen, 'verifiedEstimateFen', DESIGN_AMOUNT, { positive: true });
      return [
        {
          type: 'PreliminaryDesignReviewed',
          data: { projectId, passed, verifiedEstimateFen, opinion, reviewedOn: ctx.today },
        },
      ];
    },
  },
  /** 第八条: approval follows a passed review and pricing, and fixes that priced estimate. */
  ApprovePreliminaryDesign: {
    roles: ['OFFICE'],
    articles: DESIGN,
    route: 'approve-preliminary-design',
    accepts: ['PRELIMINARY_DESIGN'],
    refusals: [
      ...ON_A_PROJECT,
      'INVALID_STATE',
      'DESIGN_REVIEW_REQUIRED',
      'INVALID_AMOUNT',
      'ESTIMATE_MISMATCH',
      'FAST_TRACK_OVER_LIMIT',
      'SHARING_EXEMPTION_REQUIRED',
    ],
    ready: (state) => state.approval.design?.review?.passed === true,
    decide(command, state, ctx) {
      requireStatus(state, ctx);
      const d = command.data;
      const review = state.approval.design?.review ?? null;
      if (!review?.passed) throw refusal(R.DESIGN_REVIEW_REQUIRED, { review });
      requireFen(d.approvedEstimateFen, 'approvedEstimateFen', DESIGN_AMOUNT, { positive: true });
      if (d.approvedEstimateFen !== review.verifiedEstimateFen) {
        throw refusal(R.ESTIMATE_MISMATCH, {
          approvedEstimateFen: d.approvedEstimateFen,
          verifiedEstimateFen: review.verifiedEstimateFen,
        });
      }
      if (state.approval.skippedProposal) checkFastTrackCeiling(d.approvedEstimateFen, ctx);
      // 第二十四条 经市人民政府批准后方可建设或者保留.
      requireSharingExemption(state);
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
    },
  },
  RejectPreliminaryDesign: {
    roles: ['OFFICE'],
    articles: DESIGN,
    route: 'reject-preliminary-design',
    accepts: ['PRELIMINARY_DESIGN'],
    refusals: [...ON_A_PROJECT, 'INVALID_STATE'],
    decide(command, state, ctx) {
      requireStatus(state, ctx);
      const { projectId, opinion } = command.data;
      return [{ type: 'PreliminaryDesignRejected', data: { projectId, opinion, rejectedOn: ctx.today } }];
    },
  },
};

export const approvalEvents: ProjectEventDefinitions<
  | 'ProposalSubmitted'
  | 'FeasibilityStudySubmitted'
  | 'PreliminaryDesignSubmitted'
  | 'ProposalApproved'
  | 'ProposalRejected'
  | 'FeasibilityApproved'
  | 'FeasibilityRejected'
  | 'PreliminaryDesignReviewed'
  | 'PreliminaryDesignApproved'
  | 'PreliminaryDesignRejected'
> = {
  ProposalSubmitted: { label: '项目建议书已报送', family: '立项', article: PROPOSAL },
  FeasibilityStudySubmitted: { label: '可行性研究报告已报送', family: '立项', article: '第六条、第八条' },
  PreliminaryDesignSubmitted: { label: '初步设计方案和投资概算已报送', family: '立项', article: DESIGN_SUBMISSION },
  ProposalApproved: { label: '项目建议书已批复', family: '批复', article: PROPOSAL },
  ProposalRejected: { label: '项目建议书未获批复', family: '批复', article: PROPOSAL },
  FeasibilityApproved: { label: '可行性研究报告已批复', family: '批复', article: DESIGN },
  FeasibilityRejected: { label: '可行性研究报告未获批复', family: '批复', article: DESIGN },
  PreliminaryDesignReviewed: { label: '初步设计已评审核价', family: '批复', article: DESIGN },
  PreliminaryDesignApproved: { label: '初步设计已批复', family: '批复', article: DESIGN },
  PreliminaryDesignRejected: { label: '初步设计未获批复', family: '批复', article: DESIGN },
};
