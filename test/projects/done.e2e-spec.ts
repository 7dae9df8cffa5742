import { startHarness, type Harness } from '../support/harness';
import { command, driveTo, expectProblem, readProject } from '../support/fixtures';

interface DoneItem {
  eventId: string;
  type: string;
  label: string | null;
  article: string | null;
  occurredAt: string;
  role: string;
  subject: { kind: string; id: string; name: string | null };
}
interface DonePage {
  items: DoneItem[];
  total: number;
  page: number;
  pageSize: number;
}

/** GET /inbox/done (已办, issue 14): each person's own records, from the `records` read model. */
describe('GET /inbox/done: what the caller recorded', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  async function done(token: string, query = ''): Promise<DonePage> {
    const answer = await h.request('GET', `/inbox/done${query}`, { token });
    expect(answer.status).toBe(200);
    return answer.body as DonePage;
  }
  /** The caller's page once the records projection has applied at least `count` of their records. */
  async function doneAtLeast(token: string, count: number, query = ''): Promise<DonePage> {
    for (let i = 0; i < 100; i++) {
      const page = await done(token, query);
      if (page.total >= count) return page;
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    return done(token, query);
  }

  it('lists the unit’s and the office’s own records, newest first, with label, article and name', async () => {
    const p = await driveTo(h, 'PROPOSAL_SUBMITTED');
    await readProject(h, p);
    const unitToken = h.token('CONSTRUCTION_UNIT', p.dept);
    const unit = await doneAtLeast(unitToken, 2);
    expect(unit.items.map((i) => i.type)).toEqual(['ProposalSubmitted', 'ProjectRegistered']);
    expect(unit.items[0]).toMatchObject({
      label: expect.any(String),
      article: '第六条',
      role: 'CONSTRUCTION_UNIT',
      subject: { kind: 'PROJECT', id: p.id, name: '鄂尔多斯市政务服务一网通办平台升级' },
    });
    expect(unit.total).toBe(2);

    const officeToken = h.token('OFFICE', undefined, 'office-alice');
    await command(h, p, 'OFFICE', 'review-sharing', { shareable: true, opinion: '共享' });
    const before = await done(officeToken);
    expect(before.items.some((i) => i.subject.id === p.id)).toBe(false);
    const approve = await h.request('POST', `/projects/${p.id}/approve-proposal`, {
      token: officeToken,
      body: { opinion: '同意' },
    });
    expect(approve.status).toBe(200);
    const office = await doneAtLeast(officeToken, before.total + 1);
    expect(office.items[0]).toMatchObject({ type: 'ProposalApproved', role: 'OFFICE', subject: { id: p.id } });
    expect(office.items[0].article).toMatch(/^第.+条$/);
  });

  it('never shows another person’s records, even of the same role and department', async () => {
    const p = await driveTo(h, 'PROPOSAL_SUBMITTED');
    await readProject(h, p);
    await doneAtLeast(h.token('CONSTRUCTION_UNIT', p.dept), 2);
    const colleague = await done(h.token('CONSTRUCTION_UNIT', p.dept, 'someone-else'));
    expect(JSON.stringify(colleague)).not.toContain(p.id);
    const other = await done(h.token('CONSTRUCTION_UNIT', 'NOT-THIS-ONE'));
    expect(JSON.stringify(other)).not.toContain(p.id);
    for (const role of ['AUDIT', 'FINANCE', 'SUPERVISOR']) {
      expect(JSON.stringify(await done(h.token(role)))).not.toContain(p.id);
    }
  });

  it('pages: pageSize and page cut the same newest-first list', async () => {
    const p = await driveTo(h, 'FEASIBILITY_SUBMITTED');
    await readProject(h, p);
    const token = h.token('CONSTRUCTION_UNIT', p.dept);
    const all = await doneAtLeast(token, 3);
    const first = await done(token, '?pageSize=2&page=1');
    const second = await done(token, '?pageSize=2&page=2');
    expect([...first.items, ...second.items].map((i) => i.eventId)).toEqual(all.items.map((i) => i.eventId));
    expect(first).toMatchObject({ total: all.total, page: 1, pageSize: 2 });
  });

  it('bad paging names the fields (problem+json), no token answers 401', async () => {
    const bad = await h.request('GET', '/inbox/done?page=0&pageSize=500', { token: h.token('OFFICE') });
    expectProblem(bad, 400, 'VALIDATION_FAILED');
    expect(JSON.stringify(bad.body)).toContain('page');
    expect(JSON.stringify(bad.body)).toContain('pageSize');
    expect((await h.request('GET', '/inbox/done')).status).toBe(401);
  });
});
