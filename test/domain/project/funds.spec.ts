import { AdjustmentReason, ProjectState, projectDecider } from '../../../src/domain';
import { DeciderSpecification, stateOf } from '../decider-specification';
import { H, PID, c, command, outside, play } from '../fixtures';

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
