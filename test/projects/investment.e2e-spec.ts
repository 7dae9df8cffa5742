import { startHarness, type Harness } from '../support/harness';
import {
  ALL_MATERIALS,
  ESTIMATE_FEN,
  SURPLUS_FEN,
  command,
  driveTo,
  expectProblem,
  readProject,
  rejectedRectification,
  type Project,
  KEY_CONTENT,
} from '../support/fixtures';

/** 下达投资 over HTTP: each refusal of ReleaseInvestment with its code and article, nothing appended. */
describe('release-investment over HTTP (第五条, 第八条, 第十九条, 第二十一条, 第二十七条)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  const release = (p: Project, amountFen: number) =>
    h.request('POST', `/projects/${p.id}/release-investment`, {
      token: h.token('FINANCE'),
      body: { amountFen, documentRef: '鄂财建〔2026〕12号' },
    });
  async function expectUnchanged(p: Project) {
    expect((await readProject(h, p)).revision).toBe(p.revision);
  }
  const stateOf = async (p: Project) =>
    (await h.request('GET', `/projects/${p.id}/state`, { token: h.token('OFFICE') })).body.state;

  it('第八条 INVESTMENT_DESIGN_NOT_APPROVED before the preliminary design is approved', async () => {
    const p = await driveTo(h, 'DESIGN_REVIEWED');
    expectProblem(await release(p, 1), 422, 'INVESTMENT_DESIGN_NOT_APPROVED', '第八条');
    await expectUnchanged(p);
  });

  it('第十九条 tranches add up to the approved total; INVESTMENT_EXCEEDS_APPROVED beyond it', async () => {
    const p = await driveTo(h, 'APPROVED');
    await command(h, p, 'FINANCE', 'release-investment', { amountFen: 200_000_000, documentRef: '第一批' });
    await command(h, p, 'FINANCE', 'release-investment', { amountFen: 50_000_000, documentRef: '第二批' });
    expectProblem(await release(p, ESTIMATE_FEN - 250_000_000 + 1), 422, 'INVESTMENT_EXCEEDS_APPROVED', '第十九条');
    await expectUnchanged(p);
    expect(await readProject(h, p)).toMatchObject({ releasedFen: 250_000_000, currentTotalFen: ESTIMATE_FEN });
    expect(await stateOf(p)).toMatchObject({ releasedFen: 250_000_000 });
    await command(h, p, 'FINANCE', 'release-investment', { amountFen: 50_000_000, documentRef: '第三批' });
    expect(await readProject(h, p)).toMatchObject({ releasedFen: ESTIMATE_FEN });
  });

  it("第五条 INVESTMENT_NOT_IN_BUDGET when finance's budget feedback said the project is not in the budget", async () => {
    const out = await driveTo(h, 'APPROVED');
    const inside = await driveTo(h, 'APPROVED');
    const plan = (path: string, role: string, body: object) =>
      h.request('POST', `/annual-plans/2026/${path}`, { token: h.token(role), body });
    for (const p of [out, inside]) {
      expect((await plan('include', 'OFFICE', { projectId: p.id, reviewOpinion: '纳入计划' })).status).toBe(200);
    }
    expect((await plan('adopt', 'LEADING_GROUP', { meetingRef: '会议纪要〔2026〕1号' })).status).toBe(200);
    const feedback = async (p: Project, inBudget: boolean, controlAmountFen: number) =>
      expect((await plan('budget-feedback', 'FINANCE', { projectId: p.id, inBudget, controlAmountFen })).status).toBe(
        200,
      );
    await feedback(out, false, 0);
    await feedback(inside, true, 100_000_000);
    expectProblem(await release(out, 1), 422, 'INVESTMENT_NOT_IN_BUDGET', '第五条');
    await expectUnchanged(out);
    await command(h, inside, 'FINANCE', 'release-investment', { amountFen: 1, documentRef: '鄂财建〔2026〕12号' });
    expect(await readProject(h, inside)).toMatchObject({ releasedFen: 1 });
  });

  it('第二十七条 INVESTMENT_RELEASE_DEFERRED while the investment is deferred', async () => {
    const p = await driveTo(h, 'APPROVED');
    const basis = await rejectedRectification(h, p);
    await command(h, p, 'OFFICE', 'defer-investment', { reason: '整改不到位', basis });
    expectProblem(await release(p, 1), 422, 'INVESTMENT_RELEASE_DEFERRED', '第二十七条');
    await expectUnchanged(p);
  });

  it('第二十一条 INVESTMENT_ACCEPTANCE_FAILED after a failed acceptance, allowed once it passes', async () => {
    const p = await driveTo(h, 'ARCHIVE_PASSED');
    const failed = { passed: false, opinion: '不通过', materials: ALL_MATERIALS };
    await command(h, p, 'CONSTRUCTION_UNIT', 'record-acceptance', failed);
    expectProblem(await release(p, 1), 422, 'INVESTMENT_ACCEPTANCE_FAILED', '第二十一条');
    await expectUnchanged(p);
    const passed = { passed: true, opinion: '通过', materials: ALL_MATERIALS, keyContent: KEY_CONTENT };
    await command(h, p, 'CONSTRUCTION_UNIT', 'record-acceptance', passed);
    await command(h, p, 'FINANCE', 'release-investment', { amountFen: 1, documentRef: '尾款' });
    expect(await readProject(h, p)).toMatchObject({ releasedFen: 1 });
  });

  it('第十九条 the surplus to return is an open obligation without a due date until all is returned', async () => {
    const p = await driveTo(h, 'COMPLETED');
    const completed = await readProject(h, p);
    expect(completed.surplusOutstandingFen).toBe(SURPLUS_FEN);
    expect(completed.openObligations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'SURPLUS_RETURN',
          dueOn: null,
          article: '第十九条',
          outstandingFen: SURPLUS_FEN,
        }),
      ]),
    );
    await command(h, p, 'FINANCE', 'return-surplus', { amountFen: SURPLUS_FEN });
    const returned = await readProject(h, p);
    expect(returned.surplusOutstandingFen).toBe(0);
    expect(returned.openObligations.map((o: { kind: string }) => o.kind)).not.toContain('SURPLUS_RETURN');
  });
});
