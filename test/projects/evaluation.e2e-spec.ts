import { startHarness, type Harness } from '../support/harness';
import {
  command,
  driveTo,
  expectProblem,
  invalidFields,
  orderRectification,
  readProject,
  rejectedRectification,
  today,
  type Project,
} from '../support/fixtures';

/**
 * 第二十六条 the office evaluates the application effect of a system in use, 第二十九条 the
 * post-evaluation of an accepted project; GET /departments/:code/record shows a department's
 * evaluations, sanctions and overdue items beside next year's plan (第二十九条).
 */
describe('第二十六条、第二十九条 evaluation and the department record over HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });
  afterEach(() => h.clock.set(new Date('2026-03-02T02:00:00Z')));

  const evaluate = (p: Project, body: object, role = 'OFFICE') =>
    h.request('POST', `/projects/${p.id}/evaluate`, {
      token: role === 'CONSTRUCTION_UNIT' ? h.token(role, p.dept) : h.token(role),
      body,
    });
  const EFFECT = { kind: 'APPLICATION_EFFECT', grade: 'EXCELLENT', opinion: '系统运行平稳，应用成效明显' };
  const POST = { kind: 'POST_EVALUATION', grade: 'PASS', opinion: '基本达到预期目标' };
  const record = (code: string, role = 'OFFICE', dept?: string) =>
    h.request('GET', `/departments/${encodeURIComponent(code)}/record`, { token: h.token(role, dept) });

  it('第二十六条 the application effect of a system in use: from completion on, refused before', async () => {
    const building = await driveTo(h, 'UNDER_CONSTRUCTION');
    expectProblem(await evaluate(building, EFFECT), 422, 'EVALUATION_BEFORE_USE', '第二十六条');
    expect((await readProject(h, building)).evaluations).toEqual([]);
    const completed = await driveTo(h, 'COMPLETED');
    const answer = await evaluate(completed, EFFECT);
    expect({ status: answer.status, events: answer.body.events }).toEqual({
      status: 200,
      events: ['ProjectEvaluated'],
    });
    completed.revision = answer.body.revision;
    expect((await readProject(h, completed)).evaluations).toEqual([{ ...EFFECT, evaluatedOn: today(h) }]);
  });

  it('第二十九条 a post-evaluation after a passed acceptance only', async () => {
    const completed = await driveTo(h, 'COMPLETED');
    expectProblem(await evaluate(completed, POST), 422, 'POST_EVALUATION_BEFORE_ACCEPTANCE', '第二十九条');
    const accepted = await driveTo(h, 'ASSET_REGISTERED');
    const answer = await evaluate(accepted, POST);
    expect(answer.status).toBe(200);
    accepted.revision = answer.body.revision;
    expect((await readProject(h, accepted)).evaluations).toEqual([{ ...POST, evaluatedOn: today(h) }]);
  });

  it('an unknown kind or grade is a 400 naming the field; only the office evaluates', async () => {
    const accepted = await driveTo(h, 'ACCEPTED');
    const bad = await evaluate(accepted, { kind: 'ANNUAL', grade: 'A+', opinion: '  ' });
    expectProblem(bad, 400, 'VALIDATION_FAILED');
    expect(invalidFields(bad).sort()).toEqual(['grade', 'kind', 'opinion']);
    for (const role of ['CONSTRUCTION_UNIT', 'FINANCE', 'LEADING_GROUP', 'SUPERVISOR'])
      expect({ role, status: (await evaluate(accepted, POST, role)).status }).toEqual({ role, status: 403 });
    expectProblem(await evaluate(await driveTo(h, 'TERMINATED'), EFFECT), 409, 'INVALID_STATE');
  });

  it("第二十九条 a department's record: evaluations, sanctions and overdue items of each project", async () => {
    const dept = 'D-REC';
    const accepted = await driveTo(h, 'ACCEPTED', { dept });
    await command(h, accepted, 'OFFICE', 'evaluate', EFFECT);
    await command(h, accepted, 'OFFICE', 'evaluate', POST);
    const sanctioned = await driveTo(h, 'UNDER_CONSTRUCTION', { dept });
    const basis = await rejectedRectification(h, sanctioned);
    await command(h, sanctioned, 'OFFICE', 'criticize', { reason: '整改后仍不符合要求', basis });
    await command(h, sanctioned, 'OFFICE', 'defer-investment', { reason: '暂缓安排投资', basis });
    await command(h, sanctioned, 'OFFICE', 'suspend', { reason: '暂停建设', basis });
    const late = await driveTo(h, 'UNDER_CONSTRUCTION', { dept });
    const rectificationId = await orderRectification(h, late, 10);
    const elsewhere = await driveTo(h, 'ACCEPTED', { dept: 'D-ELSE' });
    for (const p of [accepted, sanctioned, late, elsewhere]) await readProject(h, p);
    h.clock.set(new Date(h.clock.now().getTime() + 20 * 86_400_000));

    const answer = await record(dept);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      departmentCode: dept,
      today: today(h),
      summary: {
        projects: 3,
        evaluations: 2,
        byGrade: { EXCELLENT: 1, PASS: 1 },
        criticisms: 1,
        investmentDeferred: 1,
        suspended: 1,
        terminated: 0,
        overdueItems: 1,
        openOverdueItems: 1,
      },
    });
    const byId = Object.fromEntries(answer.body.projects.map((p: any) => [p.projectId, p]));
    expect(Object.keys(byId).sort()).toEqual([accepted.id, sanctioned.id, late.id].sort());
    expect(byId[accepted.id]).toMatchObject({
      role: 'FILER',
      status: 'ACCEPTED',
      evaluations: [
        { ...EFFECT, evaluatedOn: '2026-03-02' },
        { ...POST, evaluatedOn: '2026-03-02' },
      ],
      sanctions: { criticisms: 0, investmentDeferred: false, suspended: false, terminated: false },
      overdue: [],
    });
    expect(byId[sanctioned.id]).toMatchObject({
      status: 'SUSPENDED',
      evaluations: [],
      sanctions: { criticisms: 1, investmentDeferred: true, suspended: true, terminated: false },
    });
    expect(byId[late.id].overdue).toEqual([
      expect.objectContaining({ kind: 'RECTIFICATION', rectificationId, open: true, article: '第二十七条' }),
    ]);
    expect(JSON.stringify(answer.body)).not.toContain(elsewhere.id);

    // every reading role sees it; the department's own construction unit too
    for (const role of ['LEADING_GROUP', 'AUDIT', 'FINANCE'])
      expect({ role, status: (await record(dept, role)).status }).toEqual({ role, status: 200 });
    const own = await record(dept, 'CONSTRUCTION_UNIT', dept);
    expect(own.status).toBe(200);
    expect(own.body.summary).toEqual(answer.body.summary);
    for (const role of ['SUPERVISOR', 'GOVERNMENT']) expectProblem(await record(dept, role), 403, 'FORBIDDEN');
  });

  it("another department's record answers exactly as an unknown department", async () => {
    const p = await driveTo(h, 'UNDER_CONSTRUCTION', { dept: 'D-HIDE' });
    await readProject(h, p);
    const unknown = await record('D-NONE', 'CONSTRUCTION_UNIT', 'D-MINE');
    const hidden = await record('D-HIDE', 'CONSTRUCTION_UNIT', 'D-MINE');
    expectProblem(unknown, 404, 'DEPARTMENT_NOT_FOUND');
    const shape = (a: typeof hidden) => ({ status: a.status, body: { ...a.body, instance: undefined } });
    expect(shape(hidden)).toEqual(shape(unknown));
    expect(JSON.stringify(hidden.body.detail)).not.toContain('D-HIDE');
    expectProblem(await record('D-NONE'), 404, 'DEPARTMENT_NOT_FOUND');
    expect((await record('D-HIDE')).status).toBe(200);
    const tooLong = await record('D'.repeat(65));
    expectProblem(tooLong, 400, 'VALIDATION_FAILED');
    expect(invalidFields(tooLong)).toEqual(['code']);
  });
});

describe('第二十九条 the annual plan shows each entry beside its department record', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it("each entry carries its filing department's record summary; a unit sees its own only", async () => {
    const evaluatedProject = await driveTo(h, 'ACCEPTED', { dept: 'D-PLAN' });
    await command(h, evaluatedProject, 'OFFICE', 'evaluate', { kind: 'POST_EVALUATION', grade: 'GOOD', opinion: '良' });
    const year = Number(today(h).slice(0, 4)) + 1;
    const planned = await driveTo(h, 'DRAFT_PLAN', { dept: 'D-PLAN', overrides: { planYear: year } });
    const included = await h.request('POST', `/annual-plans/${year}/include`, {
      token: h.token('OFFICE'),
      body: { projectId: planned.id, reviewOpinion: '符合规划' },
    });
    expect(included.status).toBe(200);
    await readProject(h, evaluatedProject);
    let plan: any;
    for (let i = 0; i < 100; i++) {
      plan = await h.request('GET', `/annual-plans/${year}`, { token: h.token('LEADING_GROUP') });
      if (plan.status === 200 && plan.body.entries?.length === 1) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const summary = { departmentCode: 'D-PLAN', projects: 2, evaluations: 1, byGrade: { GOOD: 1 }, criticisms: 0 };
    expect(plan.body.entries).toEqual([
      expect.objectContaining({ projectId: planned.id, departmentRecord: expect.objectContaining(summary) }),
    ]);
    const own = await h.request('GET', `/annual-plans/${year}`, { token: h.token('CONSTRUCTION_UNIT', 'D-PLAN') });
    expect(own.body.entries).toEqual([expect.objectContaining({ departmentRecord: expect.objectContaining(summary) })]);
    const other = await h.request('GET', `/annual-plans/${year}`, { token: h.token('CONSTRUCTION_UNIT', 'D-OTHER') });
    expect(other.body.entries).toEqual([]);
    expect(JSON.stringify(other.body)).not.toContain('D-PLAN');
  });
});
