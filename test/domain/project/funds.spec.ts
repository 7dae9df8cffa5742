import {
  AdjustmentReason,
  ProjectState,
  projectDecider,
  surplusOutstandingOf,
  undatedObligationsOf,
} from '../../../src/domain';
import { DeciderSpecification, stateOf } from '../decider-specification';
import { H, MATERIALS, PID, at, c, command, outside, play } from '../fixtures';

const spec = DeciderSpecification(projectDecider);
const approvedOf = (state: ProjectState) => (state.status === null ? null : state.approved);
// approved 300,000,000 fen: 10 % is exactly 30,000,000 fen
const building = H.underConstruction();

describe('第二十条 adjustment filing (调整备案)', () => {
  it('files exactly 10 % with the running total on the event', () => {
    spec
      .given(building)
      .when(c.adjust(30_000_000, 299_000_000))
      .then([
        {
          type: 'AdjustmentFiled',
          data: {
            projectId: PID,
            reason: 'TECHNICAL_OPTIMIZATION',
            amountFen: 30_000_000,
            previousTotalFen: 300_000_000,
            newTotalFen: 299_000_000,
            objectivesUnchanged: true,
            description: '优化',
            approvedEstimateFen: 300_000_000,
            adjustedFundsTotalFen: 30_000_000,
            adjustmentCeilingFen: 30_000_000,
            filedOn: '2026-11-26',
          },
        },
      ]);
  });

  it('refuses 10 % + 1 fen, saying it needs re-approval as a new project', () => {
    const error = spec
      .given(building)
      .when(c.adjust(30_000_001))
      .thenThrows('ADJUSTMENT_EXCEEDS_LIMIT', 'RULE_VIOLATION');
    expect(error.article).toBe('第二十条');
    expect(error.messageEn).toContain('re-approval as a new project');
    expect(error.messageZh).toContain('按新建项目重新履行审批手续');
  });

  it('counts the running total: 20,000,000 then 10,000,000 passes, then 1 fen more fails', () => {
    const after20 = play([c.adjust(20_000_000)], building);
    spec
      .given(after20)
      .when(c.adjust(10_000_000))
      .thenMatches([{ type: 'AdjustmentFiled', data: { adjustedFundsTotalFen: 30_000_000 } }]);
    spec.given(after20).when(c.adjust(10_000_001)).thenThrows('ADJUSTMENT_EXCEEDS_LIMIT');
    const full = play([c.adjust(10_000_000)], after20);
    spec.given(full).when(c.adjust(1)).thenThrows('ADJUSTMENT_EXCEEDS_LIMIT');
    expect(approvedOf(stateOf(projectDecider, full))?.adjustedFundsTotalFen).toBe(30_000_000);
  });

  it('is exact for odd estimates (ceiling 10 % of 199,999,999 is 19,999,999.9 fen)', () => {
    const odd = play([c.start()], play([c.assign()], H.approved(199_999_999)));
    spec
      .given(odd)
      .when(c.adjust(19_999_999, 199_999_999))
      .thenMatches([{ type: 'AdjustmentFiled', data: { adjustmentCeilingFen: 19_999_999 } }]);
    spec.given(odd).when(c.adjust(20_000_000, 199_999_999)).thenThrows('ADJUSTMENT_EXCEEDS_LIMIT');
  });

  it('refuses a total above the approved estimate, by one fen', () => {
    spec.given(building).when(c.adjust(1, 300_000_001)).thenThrows('ADJUSTMENT_EXCEEDS_ESTIMATE');
    spec
      .given(building)
      .when(c.adjust(1, 300_000_000))
      .thenMatches([{ type: 'AdjustmentFiled' }]);
  });

  it('refuses changed objectives and reasons outside the three', () => {
    spec
      .given(building)
      .when(c.adjust(1, 300_000_000, { objectivesUnchanged: false }))
      .thenThrows('ADJUSTMENT_OBJECTIVES_CHANGED');
    spec
      .given(building)
      .when(c.adjust(1, 300_000_000, { reason: outside<AdjustmentReason>('WANTED_MORE') }))
      .thenThrows('ADJUSTMENT_REASON_NOT_ALLOWED');
  });

  it.each(['CITY_APPROVED', 'TECHNICAL_OPTIMIZATION', 'BUSINESS_NEEDS'] as const)('accepts reason %s', (reason) => {
    spec
      .given(building)
      .when(c.adjust(1, 300_000_000, { reason }))
      .thenMatches([{ type: 'AdjustmentFiled', data: { reason } }]);
  });

  it('refuses zero or fractional amounts and adjustments before approval', () => {
    spec.given(building).when(c.adjust(0)).thenThrows('INVALID_AMOUNT');
    spec.given(building).when(c.adjust(0.5)).thenThrows('INVALID_AMOUNT');
    spec.given(H.registered()).when(c.adjust(1)).thenThrows('INVALID_STATE');
  });
});

describe('第十九条 surplus returned to finance', () => {
  const completed = H.completed('2026-08-31', 5_000_000);
  const returnSurplus = (amountFen: number) => command('ReturnSurplusFunds', { amountFen });

  it('records returns up to the surplus', () => {
    spec
      .given(completed)
      .when(returnSurplus(3_000_000))
      .then([
        {
          type: 'SurplusFundsReturned',
          data: {
            projectId: PID,
            amountFen: 3_000_000,
            returnedTotalFen: 3_000_000,
            outstandingSurplusFen: 2_000_000,
            returnedOn: '2026-11-26',
          },
        },
      ]);
    const part = play([returnSurplus(3_000_000)], completed);
    spec
      .given(part)
      .when(returnSurplus(2_000_000))
      .thenMatches([{ type: 'SurplusFundsReturned', data: { outstandingSurplusFen: 0 } }]);
    spec.given(part).when(returnSurplus(2_000_001)).thenThrows('SURPLUS_RETURN_EXCEEDS');
  });

  it('only finance records it, and only after completion', () => {
    spec
      .given(completed)
      .when({
        ...returnSurplus(1),
        metadata: { ...returnSurplus(1).metadata, actor: { sub: 'o', name: 'o', role: 'OFFICE' } },
      })
      .thenThrows('ROLE_NOT_ALLOWED');
    spec.given(building).when(returnSurplus(1)).thenThrows('INVALID_STATE');
  });
});

describe('第八条, 第十九条 investment released in tranches (下达投资)', () => {
  const release = (amountFen: number, documentRef = '鄂财建〔2026〕12号') =>
    command('ReleaseInvestment', { amountFen, documentRef });
  const approved = H.approved();
  const releasedOf = (events: ReturnType<typeof play>) => {
    const state = stateOf(projectDecider, events);
    return state.status === null ? null : (state.approved?.releasedFen ?? 0);
  };

  it('releases a tranche once the preliminary design is approved, with the running total', () => {
    spec
      .given(approved)
      .when(release(100_000_000))
      .then([
        {
          type: 'InvestmentReleased',
          data: {
            projectId: PID,
            amountFen: 100_000_000,
            documentRef: '鄂财建〔2026〕12号',
            releasedOn: '2026-11-26',
            releasedTotalFen: 100_000_000,
            approvedTotalFen: 300_000_000,
          },
        },
      ]);
  });

  it('refuses before the preliminary design is approved (第八条), in every approval stage', () => {
    const stages = [
      H.registered(),
      play([c.submitProposal()], H.registered()),
      play([c.submitProposal(), c.approveProposal(), c.submitFeasibility()], H.registered()),
      play(
        [
          c.submitProposal(),
          c.approveProposal(),
          c.submitFeasibility(),
          c.reviewSharing(),
          c.approveFeasibility(),
          c.submitDesign(),
        ],
        H.registered(),
      ),
    ];
    for (const history of stages) {
      const error = spec.given(history).when(release(1)).thenThrows('INVESTMENT_DESIGN_NOT_APPROVED', 'RULE_VIOLATION');
      expect(error.article).toBe('第八条');
    }
  });

  it('adds the tranches up to exactly the approved total, then refuses one fen more (第十九条)', () => {
    const part = play([release(200_000_000)], approved);
    spec
      .given(part)
      .when(release(100_000_000))
      .thenMatches([{ type: 'InvestmentReleased', data: { releasedTotalFen: 300_000_000 } }]);
    const error = spec
      .given(part)
      .when(release(100_000_001))
      .thenThrows('INVESTMENT_EXCEEDS_APPROVED', 'RULE_VIOLATION');
    expect(error.article).toBe('第十九条');
    expect(error.details).toMatchObject({ alreadyReleasedFen: 200_000_000, approvedTotalFen: 300_000_000 });
    expect(releasedOf(play([release(100_000_000)], part))).toBe(300_000_000);
  });

  it('measures against the current approved total after adjustments (第二十条)', () => {
    const adjusted = play([c.adjust(10_000_000, 290_000_000)], H.underConstruction());
    spec
      .given(adjusted)
      .when(release(290_000_000))
      .thenMatches([{ type: 'InvestmentReleased', data: { approvedTotalFen: 290_000_000 } }]);
    spec.given(adjusted).when(release(290_000_001)).thenThrows('INVESTMENT_EXCEEDS_APPROVED');
  });

  it("refuses when finance's budget feedback said the project is not in the budget (第五条)", () => {
    const withBudget = (inBudget: boolean | null) =>
      command('ReleaseInvestment', { amountFen: 1, documentRef: 'doc:r', budget: { planYear: 2026, inBudget } });
    const error = spec.given(approved).when(withBudget(false)).thenThrows('INVESTMENT_NOT_IN_BUDGET', 'RULE_VIOLATION');
    expect(error.article).toBe('第五条');
    expect(error.details).toMatchObject({ planYear: 2026 });
    spec
      .given(approved)
      .when(withBudget(true))
      .thenMatches([{ type: 'InvestmentReleased' }]);
    spec
      .given(approved)
      .when(withBudget(null))
      .thenMatches([{ type: 'InvestmentReleased' }]);
  });

  it('refuses while the investment is deferred (第二十七条)', () => {
    const deferred = [
      ...H.underConstruction(),
      { type: 'InvestmentDeferred', data: { projectId: PID, reason: '逾期不整改', deferredOn: '2026-05-01' } },
    ] as ReturnType<typeof play>;
    const error = spec.given(deferred).when(release(1)).thenThrows('INVESTMENT_RELEASE_DEFERRED', 'RULE_VIOLATION');
    expect(error.article).toBe('第二十七条');
    spec
      .given(H.underConstruction())
      .when(release(1))
      .thenMatches([{ type: 'InvestmentReleased' }]);
  });

  it('refuses after a failed acceptance until an acceptance passes (第二十一条)', () => {
    const held = [c.agreePlan(), c.archive()].map((x) => at('2026-10-01T10:00:00+08:00', x));
    const failed = play([...held, at('2026-10-02T10:00:00+08:00', c.accept({}, false))], H.completed());
    const error = spec.given(failed).when(release(1)).thenThrows('INVESTMENT_ACCEPTANCE_FAILED', 'RULE_VIOLATION');
    expect(error.article).toBe('第二十一条');
    const passed = play([at('2026-10-03T10:00:00+08:00', c.accept(MATERIALS))], failed);
    spec
      .given(passed)
      .when(release(1))
      .thenMatches([{ type: 'InvestmentReleased' }]);
    spec
      .given(H.completed())
      .when(release(1))
      .thenMatches([{ type: 'InvestmentReleased' }]);
  });

  it('refuses zero or fractional amounts and other roles than finance', () => {
    spec.given(approved).when(release(0)).thenThrows('INVALID_AMOUNT');
    spec.given(approved).when(release(0.5)).thenThrows('INVALID_AMOUNT');
    spec
      .given(approved)
      .when({ ...release(1), metadata: { ...release(1).metadata, actor: { sub: 'o', name: 'o', role: 'OFFICE' } } })
      .thenThrows('ROLE_NOT_ALLOWED');
  });
});

describe('第十九条 the surplus to return is an open obligation without a due date', () => {
  const returnSurplus = (amountFen: number) => command('ReturnSurplusFunds', { amountFen });
  const state = (events: ReturnType<typeof play>) => stateOf(projectDecider, events);

  it('is open while surplus is outstanding and closes when all is returned', () => {
    const completed = H.completed('2026-08-31', 5_000_000);
    expect(surplusOutstandingOf(state(completed))).toBe(5_000_000);
    expect(undatedObligationsOf(state(completed))).toEqual([
      {
        kind: 'SURPLUS_RETURN',
        dueOn: null,
        article: '第十九条',
        open: true,
        overdue: false,
        markedOverdue: false,
        outstandingFen: 5_000_000,
      },
    ]);
    const part = play([returnSurplus(3_000_000)], completed);
    expect(undatedObligationsOf(state(part))).toMatchObject([{ outstandingFen: 2_000_000 }]);
    const all = play([returnSurplus(2_000_000)], part);
    expect(surplusOutstandingOf(state(all))).toBe(0);
    expect(undatedObligationsOf(state(all))).toEqual([]);
  });

  it('is absent without surplus or before completion', () => {
    expect(undatedObligationsOf(state(H.completed('2026-08-31', 0)))).toEqual([]);
    expect(undatedObligationsOf(state(H.underConstruction()))).toEqual([]);
    expect(surplusOutstandingOf(state(H.registered()))).toBe(0);
  });
});
