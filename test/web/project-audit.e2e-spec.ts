/**
 * Issue 14 items 6 and 7 in a real browser (Debian's Chromium via playwright-core): a timeline
 * event opens to its whole content, the time slider turns the page into a past view without
 * actions, and the project page prints as a file without buttons over more than one page.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { driveTo, type Project } from '../support/fixtures';
import { startHarness, type Harness } from '../support/harness';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ROOT = resolve(__dirname, '..', '..');
const SHOTS = process.env.SHOTS_DIR || join(ROOT, 'test-results', 'dashboard');

jest.setTimeout(90_000);

describe('project page for auditors (Chromium)', () => {
  let h: Harness;
  let browser: Browser;
  let page: Page;
  let base: string;
  let project: Project;
  const previous = process.env.DEV_IDENTITIES;

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist-web', 'index.html'))) throw new Error('run npm run -s build:web first');
    mkdirSync(SHOTS, { recursive: true });
    process.env.DEV_IDENTITIES = '1';
    h = await startHarness();
    project = await driveTo(h, 'ASSET_REGISTERED', {
      dept: 'D10',
      overrides: { name: '12345政务服务热线系统', category: 'OPERATIONS' },
    });
    await h.app.listen(0, '127.0.0.1');
    const address = h.app.getHttpServer().address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
    });
    page = await browser.newPage({
      viewport: { width: 1280, height: 1000 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    await page.goto(`${base}/`);
    await page.getByTestId('identity-OFFICE').click();
    await page.evaluate(
      `history.pushState(null, '', '/project/${project.id}'); dispatchEvent(new PopStateEvent('popstate'))`,
    );
    await page.getByTestId('timeline').locator('li').first().waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await h?.close();
    if (previous === undefined) delete process.env.DEV_IDENTITIES;
    else process.env.DEV_IDENTITIES = previous;
  });

  it('opens an event to its content with Chinese labels, by keyboard', async () => {
    const approval = page.locator('[data-testid=timeline] li[data-type=ProposalApproved]');
    await approval.waitFor();
    const summary = approval.locator('[data-testid=event-detail] > summary');
    await summary.focus();
    await page.keyboard.press('Enter');
    const detail = approval.getByTestId('event-detail');
    expect(await detail.getAttribute('open')).not.toBeNull();
    // the content is built when the disclosure first opens
    await detail.getByText('依据条款').first().waitFor();
    const text = await detail.innerText();
    for (const label of ['意见', '依据条款', '政策版本', '事件编号', '哈希', '操作人']) expect(text).toContain(label);
    expect(text).toMatch(/[0-9a-f]{64}/); // the hash chain link
    expect(text).not.toContain('opinion'); // no raw keys outside the 原始数据 view
    await page.screenshot({ path: join(SHOTS, 'audit-event-open-1280.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 900 });
    await approval.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'audit-event-open-390.png') });
    await page.setViewportSize({ width: 1280, height: 1000 });
  });

  it('moves the page to a past moment: earlier status, a banner, no actions, and back to now', async () => {
    const now = await page.getByTestId('current-status').innerText();
    await page.getByTestId('time-slider').fill('1');
    await page.getByTestId('past-banner').waitFor();
    expect(await page.getByTestId('past-banner').innerText()).toContain('正在查看');
    await page.getByTestId('past-no-actions').waitFor();
    const pastStatus = await page.getByTestId('as-of-status').innerText();
    expect(pastStatus).not.toBe(now);
    // the facts card is folded as of that moment too: nothing was approved yet
    const approved = page.locator('dl.facts > div', { hasText: '批复概算' });
    await approved.getByText('—').waitFor();
    await page.screenshot({ path: join(SHOTS, 'audit-past-1280.png'), fullPage: true });
    await page.getByTestId('past-banner').getByRole('button').click();
    await page.getByTestId('past-banner').waitFor({ state: 'detached' });
    expect(await page.getByTestId('past-no-actions').count()).toBe(0);
    expect(await approved.innerText()).toContain('万元');
  });

  it('prints the whole file: no buttons or slider, every event expanded, more than one page', async () => {
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByTestId('time-slider').isVisible()).toBe(false);
    expect(await page.getByTestId('print').isVisible()).toBe(false);
    const buttons = await page.locator('button:visible').count();
    expect(buttons).toBe(0);
    await page.evaluate("dispatchEvent(new Event('beforeprint'))");
    const closed = await page.locator('details.ev-detail:not([open])').count();
    expect(closed).toBe(0);
    const all = await page.locator('details.ev-detail').count();
    await page.waitForFunction(`document.querySelectorAll('details.ev-detail .ev-meta').length === ${all}`);
    const pdf = await page.pdf({ format: 'A4', printBackground: false });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    expect(pages).toBeGreaterThan(1);
    await page.evaluate("dispatchEvent(new Event('afterprint'))");
    await page.emulateMedia({ media: 'screen' });
  });
});
