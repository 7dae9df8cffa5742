import { ProjectEvent, projectDecider } from '../../../src/domain';
import { DeciderSpecification } from '../decider-specification';
import { EARLY, H, PID, at, c, command, outside, play } from '../fixtures';

const spec = DeciderSpecification(projectDecider);
const early = play([at(EARLY, c.submitProposal())], H.registered());
const proposalApproved = play([at(EARLY, c.approveProposal())], early);
const feasibilitySubmitted = play([at(EARLY, c.submitFeasibility())], proposalApproved);
const sharingReviewed = play([at(EARLY, c.reviewSharing())], feasibilitySubmitted);
const feasibilityApproved = play([at(EARLY, c.approveFeasibility())], sharingReviewed);
const designSubmitted = play([at(EARLY, c.submitDesign())], feasibilityApproved);
const designReviewed = play([at(EARLY, c.reviewDesign())], designSubmitted);
const TODAY = '2026-11-26';

describe('第六条 project proposal (项目建议书)', () => {
  it('submits from DRAFT_PLAN', () => {
    spec
      .given(H.registered())
      .when(c.submitProposal())
      .then([{ type: 'ProposalSubmitted', data: { projectId: PID, documentRef: 'doc:proposal', submittedOn: TODAY } }]);
  });
  it('approves and rejects a submitted proposal', () => {
    spec
      .given(early)
      .when(c.approveProposal())
      .then([{ type: 'ProposalApproved', data: { projectId: PID, opinion: '同意', approvedOn: TODAY } }]);
    spec
      .given(early)
      .when(command('RejectProposal', { opinion: '不同意' }))
      .then([{ type: 'ProposalRejected', data: { projectId: PID, opinion: '不同意', rejectedOn: TODAY } }]);
  });
  it('refuses deciding twice (INVALID_STATE with the status)', () => {
    const error = spec.given(proposalApproved).when(c.approveProposal()).thenThrows('INVALID_STATE', 'INVALID_STATE');
    expect(error.details).toMatchObject({ status: 'PROPOSAL' });
  });
  it('refuses the feasibility study while the proposal awaits approval', () => {
    spec.given(early).when(c.submitFeasibility()).thenThrows('PROPOSAL_REQUIRED');
  });
  it('a rejected proposal may be resubmitted, but not a later stage', () => {
    const rejected = play([at(EARLY, command('RejectProposal', { opinion: '补充' }))], early);
    spec
      .given(rejected)
      .when(c.submitProposal())
      .thenMatches([{ type: 'ProposalSubmitted' }]);
    spec.given(rejected).when(c.submitFeasibility()).thenThrows('INVALID_STATE');
    spec.given(rejected).when(c.submitDesign()).thenThrows('INVALID_STATE');
  });
  it('only the office approves', () => {
    spec
      .given(early)
      .when({
        ...c.approveProposal(),
        metadata: { now: EARLY, actor: { sub: 'x', name: 'x', role: 'CONSTRUCTION_UNIT', department: 'D-EDU' } },
      })
      .thenThrows('ROLE_NOT_ALLOWED', 'FORBIDDEN');
  });
});

describe('第八条 feasibility (可行性批复)', () => {
  it('submits after the approved proposal', () => {
    spec
      .given(proposalApproved)
      .when(c.submitFeasibility())
      .then([
        {
          type: 'FeasibilityStudySubmitted',
          data: { projectId: PID, documentRef: 'doc:fs', submittedOn: TODAY, fastTrack: false },
        },
      ]);
  });
  it('approves or rejects; a rejected study is resubmitted', () => {
    spec
      .given(sharingReviewed)
      .when(c.approveFeasibility())
      .thenMatches([{ type: 'FeasibilityApproved', article: '第八条' }]);
    const rejected = play([at(EARLY, command('RejectFeasibility', { opinion: '深度不足' }))], feasibilitySubmitted);
    spec
      .given(rejected)
      .when(c.submitFeasibility())
      .thenMatches([{ type: 'FeasibilityStudySubmitted', data: { fastTrack: false } }]);
  });
  it('refuses the design before the feasibility approval', () => {
    spec.given(feasibilitySubmitted).when(c.submitDesign()).thenThrows('INVALID_STATE');
  });
});

describe('第八条 preliminary design, review and pricing, approval', () => {
  const design = (over: { productSecurityStatement?: string; cryptoApplicationPlan?: string }) =>
    command('SubmitPreliminaryDesign', {
      documentRef: 'd',
      estimateFen: 1,
      productSecurityStatement: '国产化',
      cryptoApplicationPlan: 'doc:mm',
      ...over,
    });
  it('submits with estimate, the 第十三条 product security statement and the 第十二条 crypto plan', () => {
    spec
      .given(feasibilityApproved)
      .when(c.submitDesign(123_456_789))
      .then([
        {
          type: 'PreliminaryDesignSubmitted',
          data: {
            projectId: PID,
            documentRef: 'doc:pd',
            estimateFen: 123_456_789,
            productSecurityStatement: '国产化',
            cryptoApplicationPlan: 'doc:mm',
            submittedOn: TODAY,
          },
        },
      ]);
    spec
      .given(feasibilityApproved)
      .when(design({ productSecurityStatement: ' ' }))
      .thenThrows('PRODUCT_SECURITY_STATEMENT_REQUIRED');
  });
  it('CRYPTO_APPLICATION_PLAN_REQUIRED (第十二条 同步规划) without the crypto application plan', () => {
    for (const cryptoApplicationPlan of ['', ' \t', outside<string>(undefined)]) {
      const error = spec
        .given(feasibilityApproved)
        .when(design({ cryptoApplicationPlan }))
        .thenThrows('CRYPTO_APPLICATION_PLAN_REQUIRED', 'RULE_VIOLATION');
      expect(error.article).toBe('第十二条');
    }
  });
  it('a design stored before version 2, without the crypto plan, still folds and is approved', () => {
    const submitted = designSubmitted.at(-1);
    if (submitted?.type !== 'PreliminaryDesignSubmitted') throw new Error('the design is the last event');
    const { cryptoApplicationPlan: _plan, ...old } = submitted.data;
    const before: ProjectEvent[] = [...designSubmitted.slice(0, -1), { type: 'PreliminaryDesignSubmitted', data: old }];
    const reviewed = play([at(EARLY, c.reviewDesign())], before);
    spec
      .given(reviewed)
      .when(c.approveDesign())
      .thenMatches([{ type: 'PreliminaryDesignApproved' }]);
  });
  it('records the review and pricing', () => {
    spec
      .given(designSubmitted)
      .when(c.reviewDesign(290_000_000))
      .then([
        {
          type: 'PreliminaryDesignReviewed',
          data: { projectId: PID, passed: true, verifiedEstimateFen: 290_000_000, opinion: '核价', reviewedOn: TODAY },
        },
      ]);
  });
  it('approves the priced estimate, deriving supervision and the adjustment ceiling', () => {
    spec
      .given(designReviewed)
      .when(c.approveDesign())
      .then([
        {
          type: 'PreliminaryDesignApproved',
          data: {
            projectId: PID,
            opinion: '批复',
            approvedEstimateFen: 300_000_000,
            approvedOn: TODAY,
            supervisionRequired: true,
            adjustmentCeilingFen: 30_000_000,
          },
        },
      ]);
  });
  it('refuses approval without a passed review', () => {
    spec.given(designSubmitted).when(c.approveDesign()).thenThrows('DESIGN_REVIEW_REQUIRED');
    const failed = play([at(EARLY, c.reviewDesign(300_000_000, false))], designSubmitted);
    spec.given(failed).when(c.approveDesign()).thenThrows('DESIGN_REVIEW_REQUIRED');
    spec
      .given(failed)
      .when(c.submitDesign(280_000_000))
      .thenMatches([{ type: 'PreliminaryDesignSubmitted' }]);
  });
  it('refuses resubmission while a design awaits review', () => {
    spec.given(designSubmitted).when(c.submitDesign()).thenThrows('INVALID_STATE');
  });
  it('ESTIMATE_MISMATCH: approved must equal verified, one fen either side', () => {
    spec.given(designReviewed).when(c.approveDesign(300_000_001)).thenThrows('ESTIMATE_MISMATCH');
    spec.given(designReviewed).when(c.approveDesign(299_999_999)).thenThrows('ESTIMATE_MISMATCH');
  });
  it('rejects a design; the design may be resubmitted', () => {
    const rejected = play([at(EARLY, command('RejectPreliminaryDesign', { opinion: '超概' }))], designReviewed);
    spec
      .given(designReviewed)
      .when(command('RejectPreliminaryDesign', { opinion: '超概' }))
      .thenMatches([{ type: 'PreliminaryDesignRejected' }]);
    spec
      .given(rejected)
      .when(c.submitDesign())
      .thenMatches([{ type: 'PreliminaryDesignSubmitted' }]);
    spec.given(rejected).when(c.submitProposal()).thenThrows('INVALID_STATE');
  });
  it('refuses approval decisions after approval', () => {
    spec.given(H.approved()).when(c.approveDesign()).thenThrows('INVALID_STATE');
  });
});

describe('第十三条 a product security statement of nothing visible is none', () => {
  it.each(['\u200b', '\ufeff', '\u3000 \t', '\u0007'])('refuses %j', (productSecurityStatement) => {
    spec
      .given(feasibilityApproved)
      .when(
        command('SubmitPreliminaryDesign', {
          documentRef: 'd',
          estimateFen: 1,
          productSecurityStatement,
          cryptoApplicationPlan: 'm',
        }),
      )
      .thenThrows('PRODUCT_SECURITY_STATEMENT_REQUIRED');
  });
  it('accepts a statement with a visible character among invisible ones', () => {
    spec
      .given(feasibilityApproved)
      .when(
        command('SubmitPreliminaryDesign', {
          documentRef: 'd',
          estimateFen: 1,
          productSecurityStatement: '\u200b国产',
          cryptoApplicationPlan: 'm',
        }),
      )
      .thenMatches([{ type: 'PreliminaryDesignSubmitted' }]);
  });
});
