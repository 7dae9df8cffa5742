import { startHarness, registration, type Harness } from '../support/harness';
import { command, driveTo, expectProblem, readProject, today, type Project } from '../support/fixtures';

/**
 * Facts happen in the past (issue 13): a date a unit states as having happened is not after
 * today (Ordos time) nor before the stage it follows; a plan year is this year or next (第五条).
 * Each refusal is a 422 with the article of its stage, and nothing is stored.
 */
describe('facts happen in the past over HTTP (422 with code and article)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });
  afterEach(() => {
    h.clock.set(new Date('2026-03-02T02:00:00.000Z'));
  });

  const post = (p: Project, path: string, body: object) =>
    h.request('POST', `/projects/${p.id}/${path}`, { token: h.token('CONSTRUCTION_UNIT', p.dept), body });
  const unchanged = async (p: Project) => expect((await readProject(h, p)).revision).toBe(p.revision);

  it('第八条 start-construction: DATE_IN_FUTURE after today, CONSTRUCTION_BEFORE_APPROVAL before approval', async () => {
    const p = await driveTo(h, 'SUPERVISED');
    const tomorrow = await post(p, 'start-construction', { startedOn: today(h, 1) });
    expectProblem(tomorrow, 422, 'DATE_IN_FUTURE', '第八条');
    expect(tomorrow.body).toMatchObject({ field: 'startedOn', value: today(h, 1), today: today(h) });
    const early = await post(p, 'start-construction', { startedOn: today(h, -1) });
    expectProblem(early, 422, 'CONSTRUCTION_BEFORE_APPROVAL', '第八条');
    await unchanged(p);
    await command(h, p, 'CONSTRUCTION_UNIT', 'start-construction', { startedOn: today(h) });
    expect((await readProject(h, p)).dates.startedOn).toBe(today(h));
  });

  it('the Ordos day counts: at 00:30 in Ordos (16:30 UTC the day before) that Ordos day may be stated', async () => {
    const p = await driveTo(h, 'SUPERVISED');
    h.clock.set(new Date('2026-03-02T16:30:00.000Z'));
    await command(h, p, 'CONSTRUCTION_UNIT', 'start-construction', { startedOn: '2026-03-03' });
    expectProblem(
      await post(p, 'complete-construction', { completedOn: '2026-03-04', surplusFen: 0 }),
      422,
      'DATE_IN_FUTURE',
    );
  });

  it('第二十一条 complete-construction: DATE_IN_FUTURE after today, COMPLETION_BEFORE_START before the start', async () => {
    const p = await driveTo(h, 'SUPERVISED');
    await command(h, p, 'CONSTRUCTION_UNIT', 'start-construction', { startedOn: today(h) });
    h.clock.set(new Date('2026-06-01T02:00:00.000Z'));
    const tomorrow = await post(p, 'complete-construction', { completedOn: today(h, 1), surplusFen: 0 });
    expectProblem(tomorrow, 422, 'DATE_IN_FUTURE', '第二十一条');
    expect(tomorrow.body).toMatchObject({ field: 'completedOn', value: '2026-06-02', today: '2026-06-01' });
    const beforeStart = await post(p, 'complete-construction', { completedOn: '2026-03-01', surplusFen: 0 });
    expectProblem(beforeStart, 422, 'COMPLETION_BEFORE_START', '第二十一条');
    await unchanged(p);
    await command(h, p, 'CONSTRUCTION_UNIT', 'complete-construction', { completedOn: '2026-06-01', surplusFen: 0 });
  });

  it('第十七条 submit-performance-report: REPORT_YEAR_OUT_OF_RANGE after this year or before the start year', async () => {
    const p = await driveTo(h, 'UNDER_CONSTRUCTION');
    const report = (year: number) => ({
      year,
      progressPercent: 10,
      investmentExecutedFen: 1_000_000,
      userOpinions: '满意',
      supervisionOpinion: '良好',
    });
    for (const year of [2027, 2025]) {
      const refused = await post(p, 'submit-performance-report', report(year));
      expectProblem(refused, 422, 'REPORT_YEAR_OUT_OF_RANGE', '第十七条');
      expect(refused.body).toMatchObject({ year, thisYear: 2026, constructionYears: [2026] });
    }
    await unchanged(p);
    await command(h, p, 'CONSTRUCTION_UNIT', 'submit-performance-report', report(2026));
  });

  it('第五条 POST /projects: PLAN_YEAR_OUT_OF_RANGE unless the plan year is this year or next', async () => {
    for (const planYear of [2025, 2028]) {
      const refused = await h.request('POST', '/projects', {
        token: h.token('CONSTRUCTION_UNIT', 'PY1'),
        body: registration('PY1', { planYear }),
      });
      expectProblem(refused, 422, 'PLAN_YEAR_OUT_OF_RANGE', '第五条');
      expect(refused.body).toMatchObject({ planYear, allowed: [2026, 2027] });
    }
    for (const planYear of [2026, 2027]) {
      const accepted = await h.request('POST', '/projects', {
        token: h.token('CONSTRUCTION_UNIT', 'PY1'),
        body: registration('PY1', { planYear }),
      });
      expect({ planYear, status: accepted.status }).toEqual({ planYear, status: 201 });
    }
  });
});
