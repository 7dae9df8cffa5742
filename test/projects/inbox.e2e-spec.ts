import { randomUUID } from 'node:crypto';
import type { InboxItem } from '../../src/domain';
import { startHarness, type Harness } from '../support/harness';
import {
  ESTIMATE_FEN,
  SURPLUS_FEN,
  command,
  driveTo,
  orderRectification,
  readProject,
  reportIncident,
  today,
  type Project,
} from '../support/fixtures';

const START = new Date('2026-03-02T02:00:00.000Z');

/** An item as GET /inbox answers it: the domain's own type. */
type Item = InboxItem;

/** GET /inbox over HTTP: what awaits each role, the dates moving with the clock. */
describe('GET /inbox: what awaits the caller (issue 13)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });
  afterEach(() => h.clock.set(START));

  async function inbox(role: string, dept?: string) {
    const answer = await h.request('GET', '/inbox', { token: h.token(role, dept) });
    expect(answer.status).toBe(200);
    return answer.body as { today: string; role: string; items: Item[]; total: number; counts: Record<string, number> };
  }
  /** The caller's items on project p, after the read model has caught up with p. */
  async function itemsOn(p: Project, role: string, dept?: string): Promise<Item[]> {
    await readProject(h, p);
    return (await inbox(role, dept)).items.filter((i) => i.project?.projectId === p.id);
  }
  const kinds = (items: Item[]) => items.map((i) => i.kind).sort();
  const unit = (p: Project) => ['CONSTRUCTION_UNIT', p.dept] as const;

  it('a new plan: the unit submits its proposal (第六条), the office reviews sharing (第二十四条), nobody else', async () => {
    const p = await driveTo(h, 'DRAFT_PLAN');
    expect(await itemsOn(p, ...unit(p))).toEqual([
      {
        kind: 'SUBMIT_PROPOSAL',
        command: 'SubmitProposal',
        action: 'submit-proposal',
        article: '第六条',
        project: { projectId: p.id, name: '鄂尔多斯市政务服务一网通办平台升级', departmentCode: p.dept },
        planYear: 2026,
        dueOn: null,
        overdueDays: 0,
        since: null,
      },
    ]);
    expect(kinds(await itemsOn(p, 'OFFICE'))).toEqual(['REVIEW_SHARING']);
    const other = await inbox('CONSTRUCTION_UNIT', 'NOT-THIS-ONE');
    expect(JSON.stringify(other)).not.toContain(p.id);
    expect(JSON.stringify(other)).not.toContain(p.dept);
    for (const role of ['AUDIT', 'LEADING_GROUP', 'SUPERVISOR', 'GOVERNMENT', 'FINANCE']) {
      expect(await itemsOn(p, role)).toEqual([]);
    }
  });

  it('第六条、第八条 the office approves each submitted stage; the unit then submits the next document', async () => {
    const p = await driveTo(h, 'PROPOSAL_SUBMITTED');
    expect(kinds(await itemsOn(p, 'OFFICE'))).toEqual(['APPROVE_PROPOSAL', 'REVIEW_SHARING']);
    expect(await itemsOn(p, ...unit(p))).toEqual([]);
    await command(h, p, 'OFFICE', 'approve-proposal', { opinion: '同意' });
    expect(kinds(await itemsOn(p, 'OFFICE'))).toEqual(['REVIEW_SHARING']);
    expect(await itemsOn(p, ...unit(p))).toMatchObject([{ kind: 'SUBMIT_FEASIBILITY', action: 'submit-feasibility' }]);
    await command(h, p, 'CONSTRUCTION_UNIT', 'submit-feasibility', { documentRef: 'KY-1' });
    // 第二十四条 the sharing review comes before the study can be approved
    expect(kinds(await itemsOn(p, 'OFFICE'))).toEqual(['REVIEW_SHARING']);
    await command(h, p, 'OFFICE', 'review-sharing', { shareable: true, opinion: '共享' });
    expect(await itemsOn(p, 'OFFICE')).toMatchObject([
      { kind: 'APPROVE_FEASIBILITY', action: 'approve-feasibility', article: '第八条' },
    ]);
  });

  it('第八条 design reviewed, then approved; 第二十四条 not shareable: the government exempts first', async () => {
    const p = await driveTo(h, 'FEASIBILITY_SUBMITTED');
    await command(h, p, 'OFFICE', 'review-sharing', { shareable: false, opinion: '无法共享' });
    await command(h, p, 'OFFICE', 'approve-feasibility', { opinion: '可研批复' });
    expect(await itemsOn(p, ...unit(p))).toMatchObject([{ kind: 'SUBMIT_DESIGN' }]);
    await command(h, p, 'CONSTRUCTION_UNIT', 'submit-preliminary-design', {
      documentRef: 'CS-1',
      estimateFen: ESTIMATE_FEN,
      productSecurityStatement: '安全可靠',
      cryptoApplicationPlan: 'MM-1',
    });
    expect(kinds(await itemsOn(p, 'OFFICE'))).toEqual(['REVIEW_DESIGN']);
    await command(h, p, 'OFFICE', 'review-preliminary-design', {
      passed: true,
      verifiedEstimateFen: ESTIMATE_FEN,
      opinion: '评审通过',
    });
    // blocked on the exemption: the government's item, not yet the office's approval
    expect(await itemsOn(p, 'OFFICE')).toEqual([]);
    expect(await itemsOn(p, 'GOVERNMENT')).toMatchObject([
      { kind: 'GRANT_SHARING_EXEMPTION', action: 'grant-sharing-exemption', article: '第二十四条', since: today(h) },
    ]);
    await command(h, p, 'GOVERNMENT', 'grant-sharing-exemption', { reason: '涉密' });
    expect(await itemsOn(p, 'GOVERNMENT')).toEqual([]);
    expect(kinds(await itemsOn(p, 'OFFICE'))).toEqual(['APPROVE_DESIGN']);
  });

  it('第十条、第十六条、第八条 after approval: people, supervision, then the start; finance releases', async () => {
    const p = await driveTo(h, 'APPROVED');
    expect(kinds(await itemsOn(p, ...unit(p)))).toEqual(['ASSIGN_RESPONSIBILITY', 'ENGAGE_SUPERVISION']);
    expect(await itemsOn(p, 'FINANCE')).toMatchObject([
      { kind: 'RELEASE_INVESTMENT', action: 'release-investment', amountFen: ESTIMATE_FEN, since: today(h) },
    ]);
    await command(h, p, 'FINANCE', 'release-investment', { amountFen: ESTIMATE_FEN, documentRef: '鄂财建1号' });
    expect(await itemsOn(p, 'FINANCE')).toEqual([]);
    await command(h, p, 'CONSTRUCTION_UNIT', 'assign-responsibility', {
      implementingBody: '中心',
      responsiblePerson: '张',
    });
    await command(h, p, 'CONSTRUCTION_UNIT', 'engage-supervision', { supervisionUnit: '监理', contractRef: 'JL-1' });
    expect(await itemsOn(p, ...unit(p))).toMatchObject([{ kind: 'START_CONSTRUCTION', action: 'start-construction' }]);
  });

  it('第二十七条 finance sees no release while investment is deferred', async () => {
    const p = await driveTo(h, 'APPROVED');
    const rectificationId = randomUUID();
    await command(h, p, 'OFFICE', 'order-rectification', {
      rectificationId,
      findings: ['进度滞后'],
      deadline: today(h, 10),
      article: '第十八条',
    });
    await command(h, p, 'CONSTRUCTION_UNIT', 'submit-rectification', { rectificationId, report: '已整改' });
    await command(h, p, 'OFFICE', 'verify-rectification', { rectificationId, passed: false, opinion: '不合格' });
    await command(h, p, 'OFFICE', 'defer-investment', { reason: '整改不合格', basis: { rectificationId } });
    expect(await itemsOn(p, 'FINANCE')).toEqual([]);
  });

  it('第十七条 the performance report due 12-31: overdue days move with the clock, overdue items first', async () => {
    const p = await driveTo(h, 'UNDER_CONSTRUCTION');
    const fresh = await driveTo(h, 'DRAFT_PLAN', { dept: p.dept });
    expect((await itemsOn(p, ...unit(p))).find((i) => i.kind === 'SUBMIT_PERFORMANCE_REPORT')).toMatchObject({
      action: 'submit-performance-report',
      article: '第十七条',
      dueOn: '2026-12-31',
      overdueDays: 0,
      year: 2026,
    });
    await readProject(h, fresh);
    h.clock.set(new Date('2027-01-05T02:00:00.000Z'));
    const box = await inbox(...unit(p));
    expect(box.today).toBe('2027-01-05');
    expect(box.items.find((i) => i.kind === 'SUBMIT_PERFORMANCE_REPORT' && i.year === 2026)).toMatchObject({
      dueOn: '2026-12-31',
      overdueDays: 5,
    });
    // overdue first; the undated proposal of the other project after every dated item
    expect(box.items[0]).toMatchObject({ overdueDays: 5 });
    const last = box.items[box.items.length - 1];
    expect(last).toMatchObject({ kind: 'SUBMIT_PROPOSAL', dueOn: null, project: { projectId: fresh.id } });
    expect(box.counts).toMatchObject({ SUBMIT_PERFORMANCE_REPORT: 2, SUBMIT_PROPOSAL: 1 });
    expect(box.total).toBe(box.items.length);
  });

  it('第二十七条 the unit reports a rectification by its deadline; only the role that ordered it verifies', async () => {
    const p = await driveTo(h, 'UNDER_CONSTRUCTION');
    const rectificationId = await orderRectification(h, p, 10);
    const report = (await itemsOn(p, ...unit(p))).find((i) => i.kind === 'SUBMIT_RECTIFICATION');
    expect(report).toMatchObject({
      rectificationId,
      dueOn: today(h, 10),
      overdueDays: 0,
      action: 'submit-rectification',
    });
    h.clock.set(new Date(START.getTime() + 13 * 86_400_000));
    expect((await itemsOn(p, ...unit(p))).find((i) => i.kind === 'SUBMIT_RECTIFICATION')).toMatchObject({
      overdueDays: 3,
    });
    h.clock.set(START);
    await command(h, p, 'CONSTRUCTION_UNIT', 'submit-rectification', { rectificationId, report: '已整改' });
    expect(await itemsOn(p, 'OFFICE')).toMatchObject([
      { kind: 'VERIFY_RECTIFICATION', action: 'verify-rectification', article: '第二十七条', rectificationId },
    ]);
    expect(await itemsOn(p, 'SUPERVISOR')).toEqual([]);
    expect((await itemsOn(p, 'FINANCE')).filter((i) => i.kind === 'VERIFY_RECTIFICATION')).toEqual([]);

    const fundsOrder = randomUUID();
    await command(h, p, 'FINANCE', 'order-rectification', {
      rectificationId: fundsOrder,
      findings: ['资金挪用'],
      deadline: today(h, 20),
      article: '第十九条',
      subject: 'FUND_USE',
    });
    await command(h, p, 'CONSTRUCTION_UNIT', 'submit-rectification', { rectificationId: fundsOrder, report: '已退回' });
    expect((await itemsOn(p, 'FINANCE')).filter((i) => i.kind === 'VERIFY_RECTIFICATION')).toMatchObject([
      { rectificationId: fundsOrder },
    ]);
    expect((await itemsOn(p, 'OFFICE')).map((i) => i.rectificationId)).toEqual([rectificationId]);
  });

  it('第十八条 an incident awaits the office to decide: open obligation, /deadlines and inbox', async () => {
    const p = await driveTo(h, 'UNDER_CONSTRUCTION');
    const incidentId = await reportIncident(h, p);
    expect(await itemsOn(p, 'OFFICE')).toMatchObject([
      {
        kind: 'DECIDE_INCIDENT',
        action: 'decide-incident',
        article: '第十八条',
        incidentId,
        since: today(h),
        dueOn: null,
      },
    ]);
    const doc = await readProject(h, p);
    expect(doc.openObligations).toContainEqual({
      kind: 'INCIDENT_DECISION',
      dueOn: null,
      article: '第十八条',
      open: true,
      overdue: false,
      markedOverdue: false,
      incidentId,
      incidentKind: 'SERIOUS_DELAY',
      reportedOn: today(h),
    });
    const listed = await h.request('GET', '/deadlines?kind=INCIDENT_DECISION', { token: h.token(...unit(p)) });
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([
      expect.objectContaining({ projectId: p.id, incidentId, dueOn: null, daysLeft: null }),
    ]);
    await command(h, p, 'OFFICE', 'decide-incident', { incidentId, decision: 'NOTED', opinion: '知悉' });
    expect(await itemsOn(p, 'OFFICE')).toEqual([]);
    expect((await readProject(h, p)).openObligations.map((o: { kind: string }) => o.kind)).not.toContain(
      'INCIDENT_DECISION',
    );
  });

  it('第二十一条、第二十二条 after completion: office plan and archive, unit acceptance by its due date', async () => {
    const p = await driveTo(h, 'COMPLETED');
    const completedOn = today(h);
    expect(kinds(await itemsOn(p, 'OFFICE'))).toEqual(['AGREE_ACCEPTANCE_PLAN', 'RECORD_ARCHIVE_ACCEPTANCE']);
    const hold = (await itemsOn(p, ...unit(p))).find((i) => i.kind === 'HOLD_ACCEPTANCE');
    expect(hold).toMatchObject({
      action: 'record-acceptance',
      article: '第二十一条',
      since: completedOn,
      overdueDays: 0,
    });
    const finance = await itemsOn(p, 'FINANCE');
    expect(kinds(finance)).toEqual(['RECORD_SURPLUS_RETURN', 'RELEASE_INVESTMENT']);
    expect(finance.find((i) => i.kind === 'RECORD_SURPLUS_RETURN')).toMatchObject({
      action: 'return-surplus',
      article: '第十九条',
      amountFen: SURPLUS_FEN,
      since: completedOn,
    });
    h.clock.set(new Date(`${hold!.dueOn}T02:00:00.000Z`));
    h.clock.set(new Date(h.clock.now().getTime() + 2 * 86_400_000));
    expect((await itemsOn(p, ...unit(p))).find((i) => i.kind === 'HOLD_ACCEPTANCE')).toMatchObject({ overdueDays: 2 });
  });

  it('第二十三条 a passed acceptance leaves the asset to register, open (dueOn null) until registered', async () => {
    const p = await driveTo(h, 'ACCEPTED');
    expect((await itemsOn(p, ...unit(p))).filter((i) => i.kind === 'REGISTER_ASSET')).toEqual([
      expect.objectContaining({ action: 'register-asset', article: '第二十三条', dueOn: null, since: today(h) }),
    ]);
    expect((await readProject(h, p)).openObligations).toContainEqual(
      expect.objectContaining({ kind: 'ASSET_REGISTRATION', dueOn: null, article: '第二十三条', acceptedOn: today(h) }),
    );
    const listed = await h.request('GET', '/deadlines?kind=ASSET_REGISTRATION', { token: h.token(...unit(p)) });
    expect(listed.body.items).toEqual([expect.objectContaining({ projectId: p.id, kind: 'ASSET_REGISTRATION' })]);
    const surplus = await h.request('GET', '/deadlines?kind=SURPLUS_RETURN', { token: h.token('FINANCE') });
    expect(surplus.body.items).toContainEqual(
      expect.objectContaining({ projectId: p.id, kind: 'SURPLUS_RETURN', outstandingFen: SURPLUS_FEN }),
    );
    await command(h, p, 'CONSTRUCTION_UNIT', 'register-asset', { assetClass: 'INTANGIBLE', costFen: 1_000_000 });
    expect((await itemsOn(p, ...unit(p))).filter((i) => i.kind === 'REGISTER_ASSET')).toEqual([]);
    expect((await readProject(h, p)).openObligations.map((o: { kind: string }) => o.kind)).not.toContain(
      'ASSET_REGISTRATION',
    );
  });

  it('第五条 the leading group adopts a plan with entries; finance then feeds back each entry', async () => {
    const p = await driveTo(h, 'DRAFT_PLAN', { overrides: { planYear: 2027 } });
    const plan = (path: string, role: string, body: object) =>
      h.request('POST', `/annual-plans/2027/${path}`, { token: h.token(role), body });
    expect((await plan('include', 'OFFICE', { projectId: p.id, reviewOpinion: '纳入' })).status).toBe(200);
    const waitFor = async (role: string, kind: string) => {
      for (let i = 0; i < 100; i++) {
        const found = (await inbox(role)).items.filter((x) => x.kind === kind && x.planYear === 2027);
        if (found.length > 0) return found;
        await new Promise((r) => setTimeout(r, 20));
      }
      return [];
    };
    expect(await waitFor('LEADING_GROUP', 'ADOPT_ANNUAL_PLAN')).toEqual([
      expect.objectContaining({ action: '/annual-plans/2027/adopt', article: '第五条', project: null, dueOn: null }),
    ]);
    expect((await inbox('FINANCE')).items.filter((i) => i.planYear === 2027 && !i.project)).toEqual([]);
    expect((await plan('adopt', 'LEADING_GROUP', { meetingRef: '联席会议2026-1' })).status).toBe(200);
    expect(await waitFor('FINANCE', 'RECORD_BUDGET_FEEDBACK')).toEqual([
      expect.objectContaining({
        action: '/annual-plans/2027/budget-feedback',
        projectId: p.id,
        project: expect.objectContaining({ projectId: p.id, departmentCode: p.dept }),
        since: today(h),
      }),
    ]);
    expect((await inbox('CONSTRUCTION_UNIT', p.dept)).items.filter((i) => i.kind === 'RECORD_BUDGET_FEEDBACK')).toEqual(
      [],
    );
  });

  it('the audit bureau has nothing to act on; a construction unit never sees the deadline watcher', async () => {
    await driveTo(h, 'COMPLETED');
    const audit = await inbox('AUDIT');
    expect(audit).toMatchObject({ role: 'AUDIT', items: [], total: 0, counts: {} });
    const office = await inbox('OFFICE');
    expect(office.items.every((i) => !i.action.startsWith('('))).toBe(true);
  });
});
