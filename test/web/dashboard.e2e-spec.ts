/**
 * The dashboard in a real browser: Debian's Chromium (/usr/bin/chromium, installed by .ci/run)
 * driven by playwright-core against the real service listening on a random port. Screenshots
 * go to test-results/dashboard/ for review.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { driveTo, orderRectification, readProject, type Project } from '../support/fixtures';
import { startHarness, type Harness } from '../support/harness';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ROOT = resolve(__dirname, '..', '..');
const SHOTS = join(ROOT, 'test-results', 'dashboard');

jest.setTimeout(60_000);

describe('dashboard (Chromium)', () => {
  let h: Harness;
  let browser: Browser;
  let page: Page;
  let base: string;
  let building: Project;
  const previous = process.env.DEV_IDENTITIES;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium not found at ${CHROMIUM}: ` +
          'install it (apt-get install -y chromium; .ci/run does) or set CHROMIUM_PATH',
      );
    }
    if (!existsSync(join(ROOT, 'dist-web', 'index.html'))) {
      execFileSync(
        process.execPath,
        [require.resolve('vite/bin/vite.js'), 'build', '--config', 'web/vite.config.mts', '--logLevel', 'warn'],
        { cwd: ROOT, stdio: 'inherit' },
      );
    }
    mkdirSync(SHOTS, { recursive: true });
    process.env.DEV_IDENTITIES = '1';
    h = await startHarness();
    // The test clock of the harness is fixed to 2026-03-02; seed a small portfolio through the API.
    await driveTo(h, 'PROPOSAL_SUBMITTED', {
      dept: 'D01',
      overrides: { name: '鄂尔多斯市政务数据共享交换平台' },
    });
    building = await driveTo(h, 'UNDER_CONSTRUCTION', {
      dept: 'D03',
      overrides: { name: '全民健康信息平台升级', category: 'INFRASTRUCTURE' },
    });
    await driveTo(h, 'COMPLETED', {
      dept: 'D02',
      overrides: { name: '智慧交警视频联网平台', category: 'INFRASTRUCTURE' },
    });
    await driveTo(h, 'ASSET_REGISTERED', {
      dept: 'D10',
      overrides: { name: '12345政务服务热线系统', category: 'OPERATIONS' },
    });
    await driveTo(h, 'DRAFT_PLAN', {
      dept: 'D04',
      overrides: { name: '智慧教育云平台', category: 'THIRD_PARTY', estimateFen: 90_000_000 },
    });
    await orderRectification(h, building, 10);
    await readProject(h, building);
    // A month later: the rectification is overdue.
    h.clock.set(new Date('2026-04-15T02:00:00.000Z'));
    await h.app.listen(0, '127.0.0.1');
    const address = h.app.getHttpServer().address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
      ],
    });
    page = await browser.newPage({
      viewport: { width: 1440, height: 1000 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
  });

  afterAll(async () => {
    await browser?.close();
    await h?.close();
    if (previous === undefined) delete process.env.DEV_IDENTITIES;
    else process.env.DEV_IDENTITIES = previous;
  });

  it(
    'signs in with a development identity, shows the ' + 'portfolio, travels in time, approves and sees live events',
    async () => {
      // The SPA is served at / with the API untouched.
      const home = await fetch(`${base}/`);
      expect(home.status).toBe(200);
      expect(home.headers.get('cache-control')).toBe('no-cache');
      expect((await fetch(`${base}/no-such-route`)).headers.get('content-type')).toContain('application/problem+json');

      await page.goto(`${base}/`);
      await page.getByTestId('identity-OFFICE').waitFor();
      await page.screenshot({ path: join(SHOTS, '01-login.png') });
      await page.getByTestId('identity-OFFICE').click();

      // Portfolio: charts filled from /dashboard/summary, overdue list from /deadlines.
      await page.getByTestId('kpi-total').getByText('5').waitFor();
      await page.locator('[data-testid=chart-status] .bar').first().waitFor();
      expect(await page.locator('[data-testid=chart-status] .bar').count()).toBeGreaterThanOrEqual(4);
      expect(await page.locator('[data-testid=chart-category] .slice').count()).toBe(4);
      expect(await page.locator('[data-testid=chart-department] .bar').count()).toBe(5);
      await page.getByTestId('overdue-list').getByText('全民健康信息平台升级').waitFor();
      await expect(page.getByTestId('overdue-list').innerText()).resolves.toMatch(/逾期 \d+ 天/);
      // 第三十三条: the measures lapsed after 2025-06-21; a banner says so on every page.
      await expect(page.getByTestId('policy-lapsed').innerText()).resolves.toContain(
        '本办法已于2025年6月21日到期（第三十三条：有效期5年），自2025年6月22日起作出的决定均依据已失效的《数字鄂尔多斯建设项目管理办法》',
      );
      await page.screenshot({ path: join(SHOTS, '02-portfolio.png'), fullPage: true });

      // Search (Chinese) filters the list.
      await page.getByTestId('search').fill('交换');
      await page.getByTestId('pager').getByText('共 1 项').waitFor();
      // The list exports to Excel with the same filters (issue 14 §7): the one project found.
      const [listFile] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('export-projects').click(),
      ]);
      expect(listFile.suggestedFilename()).toMatch(/^项目清单.*\.xlsx$/);
      const list = new ExcelJS.Workbook();
      await list.xlsx.readFile((await listFile.path())!);
      expect(list.worksheets[0].actualRowCount).toBe(2);
      // The filters are in the URL (issue 14 §8): a reload keeps them.
      expect(decodeURIComponent(new URL(page.url()).search)).toBe('?q=交换');
      await page.reload();
      await page.getByTestId('pager').getByText('共 1 项').waitFor();
      expect(await page.getByTestId('search').inputValue()).toBe('交换');
      await page.getByTestId('project-row').first().click();

      // Project view: current state, timeline, integrity.
      await page.getByTestId('project-name').getByText('鄂尔多斯市政务数据共享交换平台').waitFor();
      await page.locator('[data-testid=current-status] [data-status=PROPOSAL]').waitFor();
      // the status with its sub-state (read model v13): submitted, not yet decided
      await expect(page.getByTestId('current-status').innerText()).resolves.toMatch(/项目建议书\s*· 待审批/);
      await page
        .getByTestId('integrity')
        .getByText(/哈希链完整/)
        .waitFor();
      await page.locator('[data-testid=timeline] li').nth(1).waitFor();
      // The project's file (项目档案) downloads as Excel: its facts, whole history and obligations.
      const [archive] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-archive').click()]);
      const file = new ExcelJS.Workbook();
      await file.xlsx.readFile((await archive.path())!);
      expect(file.worksheets.map((w) => w.name)).toEqual(['项目概况', '历史记录', '期限与义务']);
      // …and the project's latest decision rests on the lapsed measures.
      await page.getByTestId('policy-lapsed-badge').getByText('依据已失效的办法').waitFor();

      // Time travel: slider to the first event → the state then was DRAFT_PLAN.
      const slider = page.getByTestId('time-slider');
      await slider.focus();
      await page.keyboard.press('Home');
      await page.locator('[data-testid=as-of-status] [data-status=DRAFT_PLAN]').waitFor();
      await page.screenshot({ path: join(SHOTS, '03-project-time-travel.png'), fullPage: true });
      await page.keyboard.press('End');

      // Approve the proposal stage (OFFICE) and see it in the timeline.
      // An irreversible decision asks first, naming the article (GET /meta/commands) and what is recorded.
      await page.getByTestId('action-approve-proposal').click();
      // The form starts empty (no invented opinion): a blank required field is named before sending.
      await page.getByTestId('action-submit').click();
      await expect(page.getByTestId('form-invalid').innerText()).resolves.toContain('意见');
      expect(await page.getByTestId('confirm-dialog').count()).toBe(0);
      await page.getByTestId('actions').screenshot({ path: join(SHOTS, '03b-form-starts-empty.png') });
      await page.locator('[data-testid=action-form] textarea[name=opinion]').fill('同意立项');
      await page.getByTestId('action-submit').click();
      await page.getByTestId('confirm-dialog').waitFor();
      await expect(page.getByTestId('confirm-article').innerText()).resolves.toContain('第六条');
      await page.getByTestId('confirm-ok').click();
      await page.getByTestId('action-done').waitFor();
      await page
        .getByTestId('current-status')
        .getByText(/已批复，待报送可研/)
        .waitFor();
      await page.locator('[data-testid=timeline] li[data-type=ProposalApproved]').waitFor();
      await page.screenshot({ path: join(SHOTS, '04-approved.png'), fullPage: true });

      // A refusal in plain words with its article: approving again does not fit the state.
      await page.getByTestId('action-approve-proposal').waitFor({ state: 'detached' });
      await page.getByText('显示本角色全部操作').click();
      await page.getByTestId('action-approve-feasibility').click();
      await page.locator('[data-testid=action-form] textarea[name=opinion]').fill('同意可研');
      await page.getByTestId('action-submit').click();
      await page.getByTestId('confirm-ok').click();
      await page.getByTestId('problem').waitFor();
      await expect(page.getByTestId('problem').innerText()).resolves.toMatch(/未能执行/);

      // Live: an event appended by someone else arrives without reload (SSE over fetch).
      await page.getByTestId('live-state').and(page.locator('[data-state=open]')).waitFor();
      const unit = h.token('CONSTRUCTION_UNIT', building.dept);
      const answer = await h.request('POST', `/projects/${building.id}/report-incident`, {
        token: unit,
        body: { kind: 'SERIOUS_DELAY', description: '机房改造滞后两个月' },
      });
      expect(answer.status).toBe(200);
      await page.getByTestId('toast').getByText('重大问题已报告').waitFor();
      await page.getByTestId('nav-live').click();
      await page.getByTestId('live-feed').getByText('重大问题已报告').waitFor();
      await page.screenshot({ path: join(SHOTS, '05-live.png') });

      // English toggle.
      await page.getByTestId('lang-toggle').click();
      await page.getByText('Live event stream').waitFor();
      await page
        .getByTestId('policy-lapsed')
        .getByText(/The measures expired on 21 June 2025/)
        .waitFor();
    },
  );

  it('signs in by pasting a token and hides development identities when they are off', async () => {
    delete process.env.DEV_IDENTITIES;
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const mobile = await context.newPage();
    await mobile.goto(`${base}/`);
    await mobile.getByTestId('token-input').waitFor();
    expect(await mobile.getByTestId('dev-identities').count()).toBe(0);
    await mobile.getByTestId('token-input').fill(h.token('CONSTRUCTION_UNIT', 'D03'));
    await mobile.getByTestId('token-submit').click();
    await mobile.getByTestId('kpi-total').getByText('1').waitFor();
    await mobile.getByTestId('policy-lapsed').waitFor();
    await mobile.screenshot({ path: join(SHOTS, '06-mobile-unit.png'), fullPage: true });
    await context.close();
  });
  it('待办: counts in the top bar, the office decides from its inbox with a confirmation in 万元 and 大写', async () => {
    // A preliminary design reviewed and priced (第八条): the office's APPROVE_DESIGN item.
    const design = await driveTo(h, 'DESIGN_REVIEWED', { dept: 'D05', overrides: { name: '智慧城管综合平台' } });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const desk = await context.newPage();
    await desk.goto(`${base}/`);
    await desk.getByTestId('token-input').fill(h.token('OFFICE'));
    await desk.getByTestId('token-submit').click();
    const expected = (await h.request('GET', '/inbox', { token: h.token('OFFICE') })).body as { total: number };
    await desk.getByTestId('inbox-count').getByText(String(expected.total), { exact: true }).waitFor();
    await desk.getByTestId('nav-inbox').click();
    const item = desk.locator('[data-testid=inbox-item][data-kind=APPROVE_DESIGN]', { hasText: '智慧城管综合平台' });
    await item.waitFor();
    // In Chinese: the kind, the article, the subject; no internal codes.
    await expect(item.innerText()).resolves.toMatch(/审批初步设计和概算[\s\S]*第八条[\s\S]*智慧城管综合平台/);
    expect(await desk.getByTestId('inbox').innerText()).not.toMatch(/APPROVE_|SUBMIT_|[A-Z]{4,}_[A-Z]/);
    await desk.screenshot({ path: join(SHOTS, '07-inbox-office.png'), fullPage: true });

    // 去办理 opens the item's form on the project page; the amount is typed in 万元.
    await item.getByTestId('inbox-go').click();
    await desk.getByTestId('action-form').waitFor();
    await expect(desk.getByTestId('current-status').innerText()).resolves.toMatch(/初步设计\s*· 已评审，待批复/);
    const amount = desk.locator('[data-testid=action-form] input[name=approvedEstimateFen]');
    await amount.fill('3,000.5x');
    await desk.getByTestId('action-submit').click();
    await desk.getByTestId('form-invalid').waitFor();
    expect(await desk.getByTestId('confirm-dialog').count()).toBe(0);
    await amount.fill('300');
    await desk.locator('[data-testid=action-form] textarea[name=opinion]').fill('同意初步设计');
    await expect(desk.getByTestId('wan-hint-approvedEstimateFen').innerText()).resolves.toBe(
      '300.00 万元 · 大写 叁佰万元整',
    );
    await desk.getByTestId('action-submit').click();
    const dialog = desk.getByTestId('confirm-dialog');
    await dialog.waitFor();
    await expect(desk.getByTestId('confirm-article').innerText()).resolves.toContain('第八条');
    await expect(desk.getByTestId('confirm-words').innerText()).resolves.toContain('叁佰万元整');
    await expect(dialog.innerText()).resolves.toContain('300.00 万元');
    // Keyboard: the dialog has the focus; Escape cancels and nothing is recorded.
    expect(await dialog.evaluate((el) => el.contains(el.ownerDocument.activeElement))).toBe(true);
    await desk.screenshot({ path: join(SHOTS, '08-confirm.png') });
    await desk.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect((await readProject(h, design)).status).toBe('PRELIMINARY_DESIGN');
    await desk.getByTestId('action-submit').click();
    // showModal() moves the focus into the dialog once it opens: only then move it to 确认
    await desk.waitForFunction(() =>
      document.querySelector('[data-testid=confirm-dialog]')?.matches(':modal:focus-within'),
    );
    await desk.getByTestId('confirm-ok').focus();
    await desk.keyboard.press('Enter');
    await desk.getByTestId('action-done').waitFor();
    const approved = await readProject(h, design);
    expect(approved).toMatchObject({
      status: 'APPROVED',
      approvedEstimateFen: 300_000_000,
      subStatus: 'AWAITING_START',
    });
    await desk.getByTestId('current-status').getByText('· 待开工').waitFor();
    await desk.getByTestId('current-status').getByText('初步设计已批复').waitFor();

    // The item is discharged: the inbox (refreshed by the live stream) no longer lists it.
    await desk
      .getByTestId('inbox-count')
      .getByText(String(expected.total - 1), { exact: true })
      .waitFor();
    await desk.getByTestId('nav-inbox').click();
    await desk.getByTestId('inbox-item').first().waitFor();
    expect(await item.count()).toBe(0);
    // 已办: what this user recorded, newest first, from the histories of recently updated projects.
    await desk.getByTestId('tab-done').click();
    const mine = desk.getByTestId('done-item').first();
    await expect(mine.innerText()).resolves.toMatch(/初步设计已批复[\s\S]*第八条[\s\S]*智慧城管综合平台/);
    // only this user's records: the construction units' submissions are not among them
    expect(await desk.getByTestId('done').innerText()).not.toContain('已报送');
    await desk.screenshot({ path: join(SHOTS, '13-done-1280.png') });
    // The portfolio's list shows each status with its sub-state.
    await desk.getByRole('link', { name: '项目总览' }).click();
    await desk.locator('[data-testid=project-row] [data-sub-status=AWAITING_START]').first().waitFor();
    await desk.screenshot({ path: join(SHOTS, '10-portfolio-sub-status-1280.png'), fullPage: true });
    await context.close();

    // 390 px, the construction unit: its overdue rectification report in red, as cards.
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    const mobile = await phone.newPage();
    await mobile.goto(`${base}/todo`);
    await mobile.getByTestId('token-input').fill(h.token('CONSTRUCTION_UNIT', building.dept));
    await mobile.getByTestId('token-submit').click();
    await mobile.getByTestId('inbox-count-overdue').waitFor();
    await mobile.getByTestId('nav-inbox').click();
    const late = mobile.locator('[data-testid=inbox-item][data-kind=SUBMIT_RECTIFICATION]');
    await expect(late.getByTestId('inbox-days').innerText()).resolves.toMatch(/^逾期 \d+ 天$/);
    expect(await late.evaluate((el) => el.classList.contains('late'))).toBe(true);
    expect(await mobile.locator('html').evaluate((el) => el.scrollWidth)).toBeLessThanOrEqual(390);
    await mobile.screenshot({ path: join(SHOTS, '09-inbox-unit-390.png'), fullPage: true });
    // A form with an amount at 390 px: typed in 万元, read back in words before it is recorded.
    const report = mobile.locator('[data-testid=inbox-item][data-kind=SUBMIT_PERFORMANCE_REPORT]');
    await report.getByTestId('inbox-go').click();
    await mobile.locator('[data-testid=action-form] input[name=investmentExecutedFen]').fill('1,200.07');
    await mobile.locator('[data-testid=action-form] input[name=progressPercent]').fill('50');
    await mobile.locator('[data-testid=action-form] textarea[name=userOpinions]').fill('运行平稳');
    await mobile.locator('[data-testid=action-form] textarea[name=supervisionOpinion]').fill('按计划推进');
    await mobile.getByTestId('action-submit').click();
    await expect(mobile.getByTestId('confirm-words').innerText()).resolves.toContain('壹仟贰佰万零柒佰元整');
    await mobile.screenshot({ path: join(SHOTS, '11-confirm-390.png') });
    await mobile.getByTestId('confirm-cancel').click();
    await mobile.getByTestId('confirm-dialog').waitFor({ state: 'detached' });
    await mobile.getByTestId('action-form').screenshot({ path: join(SHOTS, '12-form-wan-390.png') });
    await phone.close();
  });
});
