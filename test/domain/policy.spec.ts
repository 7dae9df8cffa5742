import { ORDOS_2020, Policy, createProjectDecider, fold, policyAt, projectDecider } from '../../src/domain';
import { DeciderSpecification } from './decider-specification';
import { EARLY, H, at, c, play } from './fixtures';

const SUCCESSOR: Policy = {
  ...ORDOS_2020,
  id: 'ordos-2025-test',
  effectiveFrom: '2025-06-22',
  effectiveUntil: '2030-06-21',
  fastTrackCeilingFen: 800_000_000,
};
const FAST = { reason: 'SECURITY', urgent: true, depthMet: true, evidenceRef: 'doc:city-requirement' } as const;

describe('第三十三条 policy versioning (有效期5年)', () => {
  it('ordos-2020 is in force from 2020-06-22 to 2025-06-21 inclusive, in Ordos days', () => {
    expect(policyAt('2020-06-22T00:00:00+08:00')).toEqual({ policy: ORDOS_2020, lapsed: false });
    expect(policyAt('2025-06-21T23:59:59+08:00')).toEqual({ policy: ORDOS_2020, lapsed: false });
    expect(policyAt('2025-06-21T16:00:00Z')).toEqual({ policy: ORDOS_2020, lapsed: true });
    expect(policyAt('2026-11-26T10:00:00+08:00')).toEqual({ policy: ORDOS_2020, lapsed: true });
  });

  it('refuses commands dated before the measures existed', () => {
    DeciderSpecification(projectDecider)
      .given([])
      .when(at('2020-06-21T12:00:00+08:00', c.register()))
      .thenThrows('NO_POLICY_IN_FORCE');
  });

  it('decides within force without the lapse flag', () => {
    const [event] = projectDecider.decide(
      at('2024-03-01T10:00:00+08:00', c.register({ planYear: 2024 })),
      projectDecider.initialState(),
    );
    expect(event.policy).toBe('ordos-2020');
    expect(event).not.toHaveProperty('policyLapsed');
  });

  it('after the end, decides under the last policy and flags the lapse', () => {
    const [event] = projectDecider.decide(c.register(), projectDecider.initialState());
    expect(event).toMatchObject({ policy: 'ordos-2020', policyLapsed: true });
  });

  it('a configured successor takes over without touching history', () => {
    const withSuccessor = createProjectDecider([ORDOS_2020, SUCCESSOR]);
    const spec = DeciderSpecification(withSuccessor);
    spec
      .given([])
      .when(c.register({ estimateFen: 700_000_000, fastTrack: FAST }))
      .thenMatches([{ type: 'ProjectRegistered', policy: 'ordos-2025-test' }]);
    const [event] = withSuccessor.decide(c.register(), withSuccessor.initialState());
    expect(event).not.toHaveProperty('policyLapsed');
    // the same command in 2024 is still decided under ordos-2020
    spec
      .given([])
      .when(at('2024-03-01T10:00:00+08:00', c.register({ estimateFen: 700_000_000, fastTrack: FAST, planYear: 2024 })))
      .thenThrows('FAST_TRACK_OVER_LIMIT');
    // deadlines already decided stay on the events: history replays to the same state
    const history = play([at(EARLY, c.submitProposal())], H.registered());
    expect(fold(withSuccessor, history)).toEqual(fold(projectDecider, history));
  });
});
