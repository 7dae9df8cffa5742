import { driveTo, readProject, untilProjectionsRun, type Project } from '../support/fixtures';
import { startHarness, type Harness } from '../support/harness';

/**
 * 第三十三条: adding a successor policy is a data change — one more entry in POLICIES
 * (src/domain/policy.ts), nothing else. Here the list is what it will be once a successor is
 * published: a test successor from 2026-01-01 whose acceptance window (第二十一条) is three months
 * instead of six. New decisions record it; history (events already stored, the state they fold
 * to, the read model rebuilt from them) is never re-decided.
 */
jest.mock('../../src/domain/policy', () => {
  const actual = jest.requireActual('../../src/domain/policy');
  const successor = {
    ...actual.ORDOS_2020,
    id: 'ordos-2026-test',
    effectiveFrom: '2026-01-01',
    effectiveUntil: '2030-12-31',
    acceptanceWindowMonths: 3,
  };
  return { ...actual, POLICIES: Object.freeze([actual.ORDOS_2020, successor]) };
});

type HistoryEvent = { type: string; revision: number; metadata: { policy: string; policyLapsed?: boolean } };

async function historyOf(h: Harness, p: Project): Promise<HistoryEvent[]> {
  return (await h.request('GET', `/projects/${p.id}/history`, { token: h.token('AUDIT') })).body.events;
}

async function stateAt(h: Harness, p: Project, revision: number): Promise<unknown> {
  const response = await h.request('GET', `/projects/${p.id}/state?revision=${revision}`, { token: h.token('AUDIT') });
  expect(response.status).toBe(200);
  return response.body.state;
}

describe('第三十三条 a successor policy is a data change; history is not re-decided', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('new decisions record the successor; stored events, their replay and the read model keep theirs', async () => {
    // December 2025: ordos-2020 had lapsed and no successor was in force yet.
    h.clock.set(new Date('2025-12-01T02:00:00.000Z'));
    expect((await h.request('GET', '/meta/info')).body.policy).toMatchObject({ id: 'ordos-2020', lapsed: true });
    const old = await driveTo(h, 'COMPLETED', { dept: 'S01', overrides: { planYear: 2026 } });
    const oldDoc = await readProject(h, old);
    expect(oldDoc.dates.acceptanceDueOn).toBe('2026-06-01'); // six months (ordos-2020)
    expect(oldDoc.policy).toEqual({ id: 'ordos-2020', lapsed: true });
    const oldHistory = await historyOf(h, old);
    const oldState = await stateAt(h, old, old.revision);

    // March 2026: the successor is in force.
    h.clock.set(new Date('2026-03-02T02:00:00.000Z'));
    expect((await h.request('GET', '/meta/info')).body.policy).toEqual({
      id: 'ordos-2026-test',
      effectiveFrom: '2026-01-01',
      effectiveUntil: '2030-12-31',
      lapsed: false,
    });
    const fresh = await driveTo(h, 'COMPLETED', { dept: 'S02', overrides: { planYear: 2026 } });
    const freshDoc = await readProject(h, fresh);
    expect(freshDoc.dates.acceptanceDueOn).toBe('2026-06-02'); // three months (the successor)
    expect(freshDoc.policy).toEqual({ id: 'ordos-2026-test', lapsed: false });
    expect(
      (await historyOf(h, fresh)).every((e) => e.metadata.policy === 'ordos-2026-test' && !e.metadata.policyLapsed),
    ).toBe(true);

    // The old project, untouched: its events, their replay and its read model are as they were.
    expect(await historyOf(h, old)).toEqual(oldHistory);
    expect(await stateAt(h, old, old.revision)).toEqual(oldState);
    expect((await readProject(h, old)).dates.acceptanceDueOn).toBe('2026-06-01');

    // A new decision on the old project is taken under the successor, without the lapse flag…
    const agreed = await h.request('POST', `/projects/${old.id}/agree-acceptance-plan`, {
      token: h.token('OFFICE'),
      body: { method: '专家评审', experts: ['李四', '王五'], materials: ['验收报告'] },
    });
    expect(agreed.status).toBe(200);
    expect(agreed.body).not.toHaveProperty('policyLapsed');
    const history = await historyOf(h, old);
    expect(history.slice(0, oldHistory.length)).toEqual(oldHistory);
    expect(history[history.length - 1].metadata).toMatchObject({ policy: 'ordos-2026-test' });
    expect(history[history.length - 1].metadata).not.toHaveProperty('policyLapsed');
    // …and does not re-decide what was decided: the due date stays the one derived in 2025.
    const after = await readProject(h, { ...old, revision: agreed.body.revision });
    expect(after.dates.acceptanceDueOn).toBe('2026-06-01');
    expect(after.policy).toEqual({ id: 'ordos-2026-test', lapsed: false });
    expect(await stateAt(h, old, old.revision)).toEqual(oldState);

    // A rebuild from the stored events gives the same answers.
    const rebuild = await h.request('POST', '/admin/projections/projects/rebuild', { token: h.token('OFFICE') });
    expect(rebuild.status).toBe(202);
    let rebuilt: Record<string, any> | undefined;
    for (let i = 0; i < 100 && rebuilt?.revision !== agreed.body.revision; i++) {
      const response = await h.request('GET', `/projects/${old.id}`, { token: h.token('OFFICE') });
      if (response.status === 200) rebuilt = response.body;
      else await new Promise((r) => setTimeout(r, 20));
    }
    expect(rebuilt).toMatchObject({
      dates: { acceptanceDueOn: '2026-06-01' },
      policy: { id: 'ordos-2026-test', lapsed: false },
    });
    expect((await readProject(h, fresh)).dates.acceptanceDueOn).toBe('2026-06-02');
    await untilProjectionsRun(h); // the rebuild runs in the background; it must end before the service stops
  });
});
