import { registration, startHarness, type Harness } from '../support/harness';
import { readProject } from '../support/fixtures';

/**
 * 第三十三条 (有效期5年): ordos-2020 is in force 2020-06-22 … 2025-06-21 (Ordos civil dates).
 * From 2025-06-22 every decision rests on lapsed measures, and everything that shows a decision
 * says so: the command answer, the read model, the audit export and /meta/info.
 */
const LAST_DAY_IN_FORCE = new Date('2025-06-21T15:00:00.000Z'); // 2025-06-21 23:00 in Ordos
const FIRST_LAPSED_DAY = new Date('2025-06-21T16:00:00.000Z'); // 2025-06-22 00:00 in Ordos

describe('第三十三条 the lapse of the measures is visible', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('answers, read model, audit export and /meta/info say whether the policy had lapsed', async () => {
    h.clock.set(LAST_DAY_IN_FORCE);
    const info = await h.request('GET', '/meta/info');
    expect(info.status).toBe(200);
    expect(info.body.policy).toEqual({
      id: 'ordos-2020',
      effectiveFrom: '2020-06-22',
      effectiveUntil: '2025-06-21',
      lapsed: false,
    });
    const body = registration('L01', { planYear: 2026 });
    const registered = await h.request('POST', '/projects', { token: h.token('CONSTRUCTION_UNIT', 'L01'), body });
    expect(registered.status).toBe(201);
    expect(registered.body).not.toHaveProperty('policyLapsed');
    const p = { id: body.projectId, dept: 'L01', revision: registered.body.revision };
    expect((await readProject(h, p)).policy).toEqual({ id: 'ordos-2020', lapsed: false });

    h.clock.set(FIRST_LAPSED_DAY);
    expect((await h.request('GET', '/meta/info')).body.policy).toMatchObject({ id: 'ordos-2020', lapsed: true });
    const submitted = await h.request('POST', `/projects/${p.id}/submit-proposal`, {
      token: h.token('CONSTRUCTION_UNIT', 'L01'),
      body: { documentRef: 'JYS' },
      headers: { 'idempotency-key': 'lapse-1' },
    });
    expect(submitted.status).toBe(200);
    expect(submitted.body).toMatchObject({ revision: 1, events: ['ProposalSubmitted'], policyLapsed: true });
    // A replayed answer is the recorded one: it says so too.
    const replayed = await h.request('POST', `/projects/${p.id}/submit-proposal`, {
      token: h.token('CONSTRUCTION_UNIT', 'L01'),
      body: { documentRef: 'JYS' },
      headers: { 'idempotency-key': 'lapse-1' },
    });
    expect(replayed.body).toEqual(submitted.body);

    const doc = await readProject(h, { ...p, revision: 1 });
    expect(doc.policy).toEqual({ id: 'ordos-2020', lapsed: true });
    const list = await h.request('GET', '/projects?department=L01', { token: h.token('OFFICE') });
    expect(list.body.items[0].policy).toEqual({ id: 'ordos-2020', lapsed: true });

    const csv = String((await h.request('GET', '/audit/export?format=csv', { token: h.token('AUDIT') })).body);
    const [header, ...rows] = csv
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    const columns = header.split(',');
    expect(columns.slice(-3)).toEqual(['hash', 'data', 'policyLapsed']);
    const ofProject = rows.filter((r) => r.includes(`project-${p.id}`));
    expect(ofProject).toHaveLength(2);
    expect(ofProject[0]).toContain('ProjectRegistered');
    expect(ofProject[0].endsWith(',false')).toBe(true);
    expect(ofProject[1]).toContain('ProposalSubmitted');
    expect(ofProject[1].endsWith(',true')).toBe(true);

    // The annual plan's read model too, for the office and (from its own entries) for the unit.
    const included = await h.request('POST', '/annual-plans/2026/include', {
      token: h.token('OFFICE'),
      body: { projectId: p.id, reviewOpinion: '符合数字鄂尔多斯规划' },
    });
    expect(included.status).toBe(200);
    expect(included.body).toMatchObject({ year: 2026, policyLapsed: true });
    let plan: Record<string, any> = {};
    for (let i = 0; i < 100 && plan.projectCount !== 1; i++) {
      plan = (await h.request('GET', '/annual-plans/2026', { token: h.token('OFFICE') })).body;
      if (plan.projectCount !== 1) await new Promise((r) => setTimeout(r, 20));
    }
    expect(plan.policy).toEqual({ id: 'ordos-2020', lapsed: true });
    expect(plan.history.map((e: { policy: unknown }) => e.policy)).toEqual([{ id: 'ordos-2020', lapsed: true }]);
    const unitPlan = await h.request('GET', '/annual-plans/2026', { token: h.token('CONSTRUCTION_UNIT', 'L01') });
    expect(unitPlan.body.policy).toEqual({ id: 'ordos-2020', lapsed: true });
    const otherPlan = await h.request('GET', '/annual-plans/2026', { token: h.token('CONSTRUCTION_UNIT', 'L02') });
    expect(otherPlan.body.policy).toBeNull();

    // The history shows each event's own flag, as it was decided.
    const history = await h.request('GET', `/projects/${p.id}/history`, { token: h.token('AUDIT') });
    const flags = history.body.events.map((e: { metadata: { policyLapsed?: boolean } }) => e.metadata.policyLapsed);
    expect(flags).toEqual([undefined, true]);
  });
});
