import { randomUUID } from 'node:crypto';
import { EVENT_STORE, type EventStore } from '../../src/event-store/event-store.port';
import { pending } from '../event-store/event-store.contract';
import { startHarness, type Harness } from '../support/harness';
import {
  command,
  driveTo,
  expectProblem,
  orderRectification,
  readProject,
  rejectedRectification,
  reportIncident,
  today,
  type Project,
} from '../support/fixtures';

/**
 * 第二十七条 sanctions rest on a basis, the office terminates, finance orders and verifies
 * rectification on fund use and procurement, a rectification cites an article of the measures;
 * 第十八条 the office decides each reported incident, an open obligation until then.
 */
describe('第二十七条 sanctions and 第十八条 incident decisions over HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });
  afterEach(() => h.clock.set(new Date('2026-03-02T02:00:00Z')));

  const post = (p: Project, path: string, body: object, role = 'OFFICE') =>
    h.request('POST', `/projects/${p.id}/${path}`, {
      token: role === 'CONSTRUCTION_UNIT' ? h.token(role, p.dept) : h.token(role),
      body,
    });
  const stateOf = async (p: Project) =>
    (await h.request('GET', `/projects/${p.id}/state`, { token: h.token('AUDIT') })).body.state;

  async function expectUnchanged(p: Project) {
    expect((await readProject(h, p)).revision).toBe(p.revision);
  }

  it('a sanction without a basis, with an empty one or one it cannot rest on: 422 with the article', async () => {
    const p = await driveTo(h, 'UNDER_CONSTRUCTION');
    await rejectedRectification(h, p);
    const cases: Array<[string, object | undefined, string, string]> = [
      ['criticize', undefined, 'SANCTION_BASIS_REQUIRED', '第二十七条、第三十条'],
      ['defer-investment', {}, 'SANCTION_BASIS_REQUIRED', '第二十七条、第三十条'],
      ['terminate', { violation: 'FRAUD' }, 'SANCTION_BASIS_REQUIRED', '第二十七条'],
      ['suspend', { violation: 'WASTE' }, 'SANCTION_BASIS_REQUIRED', '第十八条、第二十七条'],
      ['terminate', { rectificationId: randomUUID() }, 'SANCTION_BASIS_NOT_FOUND', '第二十七条'],
      ['suspend', { incidentId: 'incident-9' }, 'SANCTION_BASIS_NOT_FOUND', '第十八条'],
    ];
    for (const [path, basis, code, article] of cases) {
      const response = await post(p, path, { reason: '处理', ...(basis ? { basis } : {}) });
      expect({
        path,
        basis,
        status: response.status,
        code: response.body.code,
        article: response.body.article,
      }).toEqual({ path, basis, status: 422, code, article });
    }
    await expectUnchanged(p);
  });

  it('an open rectification within its deadline is no basis; overdue, it is', async () => {
    const p = await driveTo(h, 'UNDER_CONSTRUCTION');
    const rectificationId = await orderRectification(h, p, 10);
    const early = await post(p, 'defer-investment', { reason: '逾期不整改', basis: { rectificationId } });
    expectProblem(early, 422, 'RECTIFICATION_NOT_OVERDUE_OR_REJECTED', '第二十七条、第三十条');
    expect(early.body).toMatchObject({ rectificationId, rectificationStatus: 'OPEN' });
    await expectUnchanged(p);
    h.clock.set(new Date('2026-03-20T02:00:00Z'));
    const overdue = await command(h, p, 'OFFICE', 'defer-investment', {
      reason: '逾期不整改',
      basis: { rectificationId },
    });
    expect(overdue.events).toEqual(['InvestmentDeferred']);
    expect((await readProject(h, p)).sanctions).toMatchObject({ investmentDeferred: true });
  });

  it('第三十条 a criticism may name the violation; the event names its basis', async () => {
    const p = await driveTo(h, 'DRAFT_PLAN');
    const done = await command(h, p, 'OFFICE', 'criticize', { reason: '虚报冒领', basis: { violation: 'FRAUD' } });
    expect(done.events).toEqual(['ProjectCriticized']);
    const history = await h.request('GET', `/projects/${p.id}/history`, { token: h.token('AUDIT') });
    const criticized = history.body.events.find((e: any) => e.type === 'ProjectCriticized');
    expect(criticized.data).toMatchObject({ basis: { violation: 'FRAUD' } });
    const invalid = await post(p, 'criticize', { reason: 'x', basis: { violation: 'BRIBERY' } });
    expectProblem(invalid, 400, 'VALIDATION_FAILED');
  });

  it('第二十七条 the office terminates; the leading group may not', async () => {
    const p = await driveTo(h, 'UNDER_CONSTRUCTION');
    const basis = await rejectedRectification(h, p);
    const leading = await post(p, 'terminate', { reason: '终止', basis }, 'LEADING_GROUP');
    expectProblem(leading, 403, 'ROLE_NOT_ALLOWED', '第三条');
    await command(h, p, 'OFFICE', 'terminate', { reason: '整改后仍不符合要求', basis });
    expect((await readProject(h, p)).status).toBe('TERMINATED');
  });

  it('第二十七条 the article cited is one of the measures, one or several joined by 、', async () => {
    const p = await driveTo(h, 'UNDER_CONSTRUCTION');
    const order = (article: string) => ({ findings: ['问题'], deadline: today(h, 30), article });
    for (const article of ['第三十四条', '第二十四', 'Article 24', '第十七条,第二十七条']) {
      const response = await post(p, 'order-rectification', order(article));
      expectProblem(response, 422, 'ARTICLE_NOT_IN_MEASURES', '第二十七条');
    }
    await expectUnchanged(p);
    const both = await command(h, p, 'OFFICE', 'order-rectification', order('第十七条、第二十七条'));
    expect(both.events).toEqual(['RectificationOrdered']);
    const one = await command(h, p, 'SUPERVISOR', 'order-rectification', order('第三十三条'));
    expect(one.events).toEqual(['RectificationOrdered']);
  });

  it('第二十七条 finance orders on fund use and procurement only, and verifies only what it ordered', async () => {
    const p = await driveTo(h, 'UNDER_CONSTRUCTION');
    const order = { findings: ['超进度拨付'], deadline: today(h, 30), article: '第十九条' };
    const general = await post(p, 'order-rectification', order, 'FINANCE');
    expectProblem(general, 422, 'FINANCE_FUNDS_ONLY', '第二十七条');
    const other = await post(p, 'order-rectification', { ...order, subject: 'OTHER' }, 'FINANCE');
    expectProblem(other, 422, 'FINANCE_FUNDS_ONLY', '第二十七条');
    await expectUnchanged(p);
    const rectificationId = randomUUID();
    await command(h, p, 'FINANCE', 'order-rectification', { ...order, rectificationId, subject: 'FUND_USE' });
    const doc = await readProject(h, p);
    expect(doc.rectifications).toEqual([
      expect.objectContaining({ rectificationId, subject: 'FUND_USE', orderedByRole: 'FINANCE' }),
    ]);
    const officeOrdered = await orderRectification(h, p);
    for (const id of [rectificationId, officeOrdered])
      await command(h, p, 'CONSTRUCTION_UNIT', 'submit-rectification', { rectificationId: id, report: '已整改' });
    const notOurs = await post(
      p,
      'verify-rectification',
      { rectificationId: officeOrdered, passed: true, opinion: 'o' },
      'FINANCE',
    );
    expectProblem(notOurs, 403, 'NOT_THE_ORDERER', '第二十七条');
    await command(h, p, 'FINANCE', 'verify-rectification', { rectificationId, passed: true, opinion: '整改到位' });
  });

  it('第十八条 an incident is an open obligation until the office decides; SUSPEND suspends on it', async () => {
    const p = await driveTo(h, 'UNDER_CONSTRUCTION');
    // without an id in the body the server names the incident
    const reported = await command(h, p, 'CONSTRUCTION_UNIT', 'report-incident', {
      kind: 'MAJOR_LOSS',
      description: '重大投资损失',
    });
    expect(reported.events).toEqual(['IncidentReported']);
    const [open] = (await readProject(h, p)).incidents;
    expect(open).toMatchObject({ kind: 'MAJOR_LOSS', decision: null, decidedOn: null });
    expect((await readProject(h, p)).openIncidents).toBe(1);
    expect(await stateOf(p)).toMatchObject({ undecidedIncidents: [open.incidentId] });
    const decided = await command(h, p, 'OFFICE', 'decide-incident', {
      incidentId: open.incidentId,
      decision: 'SUSPEND',
      opinion: '暂停建设，查明损失',
    });
    expect(decided.events).toEqual(['IncidentDecided', 'ProjectSuspended']);
    const doc = await readProject(h, p);
    expect(doc).toMatchObject({ status: 'SUSPENDED', openIncidents: 0 });
    expect(doc.incidents).toEqual([expect.objectContaining({ decision: 'SUSPEND', decidedOn: today(h) })]);
    expect(await stateOf(p)).toMatchObject({ undecidedIncidents: [] });
    const again = await post(p, 'decide-incident', { incidentId: open.incidentId, decision: 'NOTED', opinion: 'o' });
    expectProblem(again, 409, 'INCIDENT_ALREADY_DECIDED', '第十八条');
    const unknown = await post(p, 'decide-incident', { incidentId: 'incident-7', decision: 'NOTED', opinion: 'o' });
    expectProblem(unknown, 404, 'INCIDENT_NOT_FOUND', '第十八条');
    const supervisor = await post(
      p,
      'decide-incident',
      { incidentId: open.incidentId, decision: 'NOTED', opinion: 'o' },
      'SUPERVISOR',
    );
    expectProblem(supervisor, 403, 'ROLE_NOT_ALLOWED', '第三条');
  });

  it('第十八条 suspend on an undecided incident decides it; on one noted it is refused', async () => {
    const p = await driveTo(h, 'UNDER_CONSTRUCTION');
    const noted = await reportIncident(h, p);
    await command(h, p, 'OFFICE', 'decide-incident', { incidentId: noted, decision: 'NOTED', opinion: '知悉' });
    const refused = await post(p, 'suspend', { reason: '暂停', basis: { incidentId: noted } });
    expectProblem(refused, 422, 'INCIDENT_DECIDED_OTHERWISE', '第十八条');
    await expectUnchanged(p);
    const open = await reportIncident(h, p);
    const suspended = await command(h, p, 'OFFICE', 'suspend', { reason: '重大损失', basis: { incidentId: open } });
    expect(suspended.events).toEqual(['IncidentDecided', 'ProjectSuspended']);
    expect((await readProject(h, p)).openIncidents).toBe(0);
  });

  it('events stored before bases and incident ids still fold: incident-<n>, decided by that id', async () => {
    const p = await driveTo(h, 'UNDER_CONSTRUCTION');
    const store = h.app.get<EventStore>(EVENT_STORE);
    const projectId = p.id;
    const reportedOn = today(h);
    const old = [
      pending('IncidentReported', { projectId, kind: 'SERIOUS_DELAY', description: '滞后', reportedOn }),
      pending('ProjectCriticized', { projectId, reason: '旧批评', criticismCount: 1, criticizedOn: reportedOn }),
      pending('InvestmentDeferred', { projectId, reason: '旧暂缓', deferredOn: reportedOn }),
    ];
    const appended = await store.append(`project-${projectId}`, old, p.revision);
    p.revision = appended.nextRevision;
    const doc = await readProject(h, p);
    expect(doc).toMatchObject({ sanctions: { criticisms: 1, investmentDeferred: true }, openIncidents: 1 });
    expect(doc.incidents).toEqual([expect.objectContaining({ incidentId: 'incident-1', decision: null })]);
    const history = await h.request('GET', `/projects/${p.id}/history`, { token: h.token('AUDIT') });
    expect(history.status).toBe(200);
    const shown = history.body.events.filter((e: any) => ['ProjectCriticized', 'InvestmentDeferred'].includes(e.type));
    expect(shown.map((e: any) => [e.label, e.data.basis])).toEqual([
      ['通报批评', undefined],
      ['暂缓安排投资计划', undefined],
    ]);
    const decided = await command(h, p, 'OFFICE', 'decide-incident', {
      incidentId: 'incident-1',
      decision: 'RECTIFY',
      opinion: '责令整改',
    });
    expect(decided.events).toEqual(['IncidentDecided']);
    expect((await readProject(h, p)).openIncidents).toBe(0);
  });
});
