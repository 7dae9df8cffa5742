import { startHarness, type Harness } from '../support/harness';
import { ESTIMATE_FEN, SURPLUS_FEN, command, driveTo, readProject } from '../support/fixtures';

/**
 * The finance and leadership figures of the dashboard summary (issue 14 §11): approved, released
 * (第八、十九条), executed as reported (第十七条) and surplus (第十九条), per department, status and
 * plan year, and for the caller's whole scope.
 */
describe('funds in GET /dashboard/summary', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('sums approved, released, executed and surplus per department, status and plan year', async () => {
    const building = await driveTo(h, 'UNDER_CONSTRUCTION', { dept: 'FN-A', overrides: { planYear: 2026 } });
    await command(h, building, 'FINANCE', 'release-investment', {
      amountFen: 100_000_000,
      documentRef: '鄂财建〔2026〕1号',
    });
    await command(h, building, 'FINANCE', 'release-investment', {
      amountFen: 50_000_000,
      documentRef: '鄂财建〔2026〕2号',
    });
    await command(h, building, 'CONSTRUCTION_UNIT', 'submit-performance-report', {
      year: 2026,
      progressPercent: 40,
      investmentExecutedFen: 120_000_000,
      userOpinions: '满意',
      supervisionOpinion: '进度正常',
    });
    const completed = await driveTo(h, 'COMPLETED', { dept: 'FN-B', overrides: { planYear: 2027 } });
    await readProject(h, building);
    await readProject(h, completed);
    const detail = await readProject(h, building);
    expect(detail).toMatchObject({ releasedFen: 150_000_000, executedFen: 120_000_000, surplusFen: 0 });

    let summary: any;
    for (let i = 0; i < 100; i++) {
      summary = (await h.request('GET', '/dashboard/summary', { token: h.token('FINANCE') })).body;
      if (summary.funds?.executedFen === 120_000_000 && summary.funds?.surplusFen === SURPLUS_FEN) break;
      await new Promise((r) => setTimeout(r, 30));
    }
    expect(summary.funds).toEqual({
      estimateFen: 2 * 300_000_000,
      approvedEstimateFen: 2 * ESTIMATE_FEN,
      currentTotalFen: 2 * ESTIMATE_FEN,
      releasedFen: 150_000_000,
      executedFen: 120_000_000,
      surplusFen: SURPLUS_FEN,
      surplusOutstandingFen: SURPLUS_FEN,
    });
    expect(summary.byDepartment['FN-A']).toMatchObject({
      count: 1,
      releasedFen: 150_000_000,
      executedFen: 120_000_000,
    });
    expect(summary.byDepartment['FN-B']).toMatchObject({
      count: 1,
      releasedFen: 0,
      surplusOutstandingFen: SURPLUS_FEN,
    });
    expect(summary.byStatus.UNDER_CONSTRUCTION).toMatchObject({ count: 1, releasedFen: 150_000_000 });
    expect(summary.byPlanYear['2026']).toMatchObject({
      count: 1,
      approvedEstimateFen: ESTIMATE_FEN,
      releasedFen: 150_000_000,
    });
    expect(summary.byPlanYear['2027']).toMatchObject({ count: 1, surplusFen: SURPLUS_FEN });

    // a construction unit's figures are its own department's only
    const own = (await h.request('GET', '/dashboard/summary', { token: h.token('CONSTRUCTION_UNIT', 'FN-B') })).body;
    expect(own.funds.releasedFen).toBe(0);
    expect(Object.keys(own.byPlanYear)).toEqual(['2027']);
  });

  it('a later year’s report sets the executed figure; an earlier one filed late does not lower it', async () => {
    const p = await driveTo(h, 'UNDER_CONSTRUCTION', { dept: 'FN-C', overrides: { planYear: 2026 } });
    const report = (year: number, fen: number) =>
      command(h, p, 'CONSTRUCTION_UNIT', 'submit-performance-report', {
        year,
        progressPercent: 50,
        investmentExecutedFen: fen,
        userOpinions: '满意',
        supervisionOpinion: '正常',
      });
    h.clock.set(new Date('2027-02-01T02:00:00Z'));
    try {
      await report(2027, 150_000_000);
      expect((await readProject(h, p)).executedFen).toBe(150_000_000);
      await report(2026, 80_000_000); // the 2026 report, filed late
      expect((await readProject(h, p)).executedFen).toBe(150_000_000);
    } finally {
      h.clock.set(new Date('2026-03-02T02:00:00Z'));
    }
  });
});
