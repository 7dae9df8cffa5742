import { randomUUID } from 'node:crypto';
import { startHarness, type Harness } from '../support/harness';
import { driveTo, expectProblem, invalidFields } from '../support/fixtures';

describe('annual plans (第五条) over HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  const post = (year: number | string, action: string, role: string, body: object) =>
    h.request('POST', `/annual-plans/${year}/${action}`, { token: h.token(role), body });
  async function plan(year: number, revision: number) {
    const until = Date.now() + 3000;
    for (;;) {
      const response = await h.request('GET', `/annual-plans/${year}`, { token: h.token('AUDIT') });
      if (response.status === 200 && response.body.revision >= revision) return response.body;
      if (Date.now() > until)
        throw new Error(`plan ${year} not at revision ${revision}: ${JSON.stringify(response.body)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it('include → adopt → budget feedback, each answered and visible in GET /annual-plans/:year', async () => {
    expectProblem(
      await h.request('GET', '/annual-plans/2030', { token: h.token('OFFICE') }),
      404,
      'ANNUAL_PLAN_NOT_FOUND',
    );
    const a = await driveTo(h, 'DRAFT_PLAN', { overrides: { planYear: 2030 } });
    const b = await driveTo(h, 'DRAFT_PLAN', { overrides: { planYear: 2030 } });
    expectProblem(await post(2030, 'adopt', 'LEADING_GROUP', { meetingRef: 'LX-1' }), 422, 'PLAN_EMPTY', '第五条');
    const included = await post(2030, 'include', 'OFFICE', { projectId: a.id, reviewOpinion: '符合规划' });
    expect(included.status).toBe(200);
    expect(included.body).toMatchObject({ year: 2030, revision: 0, events: ['ProjectIncludedInPlan'] });
    expectProblem(
      await post(2030, 'include', 'OFFICE', { projectId: a.id, reviewOpinion: '再次' }),
      409,
      'ALREADY_IN_PLAN',
      '第五条',
    );
    // Only registered projects of the plan's year (第五条, 第九条).
    expectProblem(
      await post(2030, 'include', 'OFFICE', { projectId: randomUUID(), reviewOpinion: '未登记' }),
      404,
      'PROJECT_NOT_FOUND',
      '第九条',
    );
    const otherYear = await driveTo(h, 'DRAFT_PLAN', { overrides: { planYear: 2029 } });
    expectProblem(
      await post(2030, 'include', 'OFFICE', { projectId: otherYear.id, reviewOpinion: '年度不符' }),
      422,
      'PLAN_YEAR_MISMATCH',
      '第五条',
    );
    expectProblem(
      await post(2030, 'budget-feedback', 'FINANCE', { projectId: a.id, inBudget: true, controlAmountFen: 1 }),
      422,
      'PLAN_NOT_ADOPTED',
      '第五条',
    );
    const adopted = await post(2030, 'adopt', 'LEADING_GROUP', { meetingRef: 'LX-2030-1' });
    expect(adopted.body).toMatchObject({ year: 2030, revision: 1, events: ['AnnualPlanAdopted'] });
    expectProblem(
      await post(2030, 'include', 'OFFICE', { projectId: b.id, reviewOpinion: '补充' }),
      422,
      'PLAN_FROZEN',
      '第五条',
    );
    const special = await post(2030, 'include', 'OFFICE', {
      projectId: b.id,
      reviewOpinion: '补充',
      specialCircumstance: '市政府专题会议要求',
    });
    expect(special.body).toMatchObject({ revision: 2, events: ['ProjectIncludedInPlan'] });
    expectProblem(
      await post(2030, 'budget-feedback', 'FINANCE', { projectId: randomUUID(), inBudget: true, controlAmountFen: 1 }),
      422,
      'PROJECT_NOT_IN_PLAN',
      '第五条',
    );
    expectProblem(
      await post(2030, 'budget-feedback', 'FINANCE', { projectId: a.id, inBudget: false, controlAmountFen: 5 }),
      422,
      'BUDGET_CONTROL_INCONSISTENT',
      '第五条',
    );
    const feedback = await post(2030, 'budget-feedback', 'FINANCE', {
      projectId: a.id,
      inBudget: true,
      controlAmountFen: 90_000_000,
    });
    expect(feedback.body).toMatchObject({ year: 2030, revision: 3, events: ['BudgetFeedbackRecorded'] });

    const doc = await plan(2030, 3);
    expect(doc).toMatchObject({
      year: 2030,
      adopted: true,
      projectCount: 2,
      controlTotalFen: 90_000_000,
      inBudgetCount: 1,
      revision: 3,
    });
    expect(doc.entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          projectId: a.id,
          reviewOpinion: '符合规划',
          afterAdoption: false,
          budget: { inBudget: true, controlAmountFen: 90_000_000 },
        }),
        expect.objectContaining({ projectId: b.id, afterAdoption: true }),
      ]),
    );
    expect(doc.state).toBeUndefined();
    // The history comes from the stream annual-plan-2030, not from the (bounded) document.
    expect(doc.history.map((e: { type: string }) => e.type)).toEqual([
      'ProjectIncludedInPlan',
      'AnnualPlanAdopted',
      'ProjectIncludedInPlan',
      'BudgetFeedbackRecorded',
    ]);
    const cu = await h.request('GET', '/annual-plans/2030', { token: h.token('CONSTRUCTION_UNIT', 'ZZ') });
    expect(cu.status).toBe(200);
  });

  it('expectedRevision on a plan: stale is 409 REVISION_CONFLICT', async () => {
    const a = await driveTo(h, 'DRAFT_PLAN', { overrides: { planYear: 2031 } });
    expect((await post(2031, 'include', 'OFFICE', { projectId: a.id, reviewOpinion: '同意' })).status).toBe(200);
    const stale = await post(2031, 'adopt', 'LEADING_GROUP', { meetingRef: 'LX', expectedRevision: 5 });
    expectProblem(stale, 409, 'REVISION_CONFLICT');
    expect((await post(2031, 'adopt', 'LEADING_GROUP', { meetingRef: 'LX', expectedRevision: 0 })).status).toBe(200);
  });

  it.each([
    ['include', 'OFFICE', { projectId: randomUUID(), reviewOpinion: '同意' }],
    ['adopt', 'LEADING_GROUP', { meetingRef: 'LX' }],
    ['budget-feedback', 'FINANCE', { projectId: randomUUID(), inBudget: true, controlAmountFen: 1 }],
  ])('POST /annual-plans/:year/%s: 400, 401, 403 for every other role', async (action, allowed, body) => {
    const bad = await post(2032, action, allowed, { bogus: true });
    expectProblem(bad, 400, 'VALIDATION_FAILED');
    expect(invalidFields(bad)).toEqual(expect.arrayContaining(['bogus', ...Object.keys(body)]));
    for (const year of ['abc', '1999', '2101']) {
      const response = await post(year, action, allowed, body);
      expectProblem(response, 400, 'VALIDATION_FAILED');
      expect(invalidFields(response)).toEqual(['year']);
    }
    expectProblem(await h.request('POST', `/annual-plans/2032/${action}`, { body }), 401, 'UNAUTHENTICATED');
    for (const role of [
      'CONSTRUCTION_UNIT',
      'OFFICE',
      'LEADING_GROUP',
      'FINANCE',
      'AUDIT',
      'SUPERVISOR',
      'GOVERNMENT',
    ].filter((r) => r !== allowed)) {
      const response = await h.request('POST', `/annual-plans/2032/${action}`, { token: h.token(role, 'D1'), body });
      expect({ role, status: response.status, code: response.body.code }).toEqual({
        role,
        status: 403,
        code: 'ROLE_NOT_ALLOWED',
      });
    }
  });

  it('GET /annual-plans/:year: 400 for a bad year, 401 without token', async () => {
    expectProblem(await h.request('GET', '/annual-plans/20x0', { token: h.token('OFFICE') }), 400, 'VALIDATION_FAILED');
    expectProblem(await h.request('GET', '/annual-plans/2030'), 401, 'UNAUTHENTICATED');
  });
});
