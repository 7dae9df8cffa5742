/// <reference lib="dom" />
/**
 * Usable by everyone (issue 14, item 10): axe-core (WCAG 2.0 A/AA, 2.1 AA) on every screen of the
 * dashboard at 1280 and 390 px, in Chinese and English; cards instead of a squeezed table at
 * 390 px; charts with a text alternative; no English words or internal codes in the Chinese UI;
 * keyboard reachability of the project page's actions and the confirmation dialog.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { driveTo, type Project } from '../support/fixtures';
import { startHarness, type Harness } from '../support/harness';
import { expectAccessible, foreignWords } from './axe';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ROOT = resolve(__dirname, '..', '..');
const SHOTS = join(ROOT, 'test-results', 'accessibility');

jest.setTimeout(120_000);

describe('accessibility (Chromium + axe-core)', () => {
  let h: Harness;
  let browser: Browser;
  let base: string;
  let submitted: Project;
  const previous = process.env.DEV_IDENTITIES;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install it or set CHROMIUM_PATH`);
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
    submitted = await driveTo(h, 'PROPOSAL_SUBMITTED', { dept: 'D01', overrides: { name: '政务数据共享交换平台' } });
    await driveTo(h, 'UNDER_CONSTRUCTION', {
      dept: 'D03',
      overrides: { name: '全民健康信息平台升级', category: 'INFRASTRUCTURE' },
    });
    await driveTo(h, 'COMPLETED', { dept: 'D02', overrides: { name: '智慧交警视频联网平台' } });
    await h.app.listen(0, '127.0.0.1');
    const address = h.app.getHttpServer().address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await h?.close();
    if (previous === undefined) delete process.env.DEV_IDENTITIES;
    else process.env.DEV_IDENTITIES = previous;
  });

  async function signedIn(width: number, lang: 'zh' | 'en', role = 'OFFICE'): Promise<Page> {
    const page = await browser.newPage({
      viewport: { width, height: 900 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      // the dashboard's CSP (script-src 'self') would refuse the injected axe-core script
      bypassCSP: true,
      // no fade-in animations mid-check (the dashboard honours prefers-reduced-motion)
      reducedMotion: 'reduce',
    });
    await page.addInitScript((l) => localStorage.setItem('ordos.lang', l), lang);
    await page.goto(`${base}/`);
    await page.getByTestId(`identity-${role}`).waitFor();
    await expectAccessible(page, `login ${lang} ${width}`);
    await page.getByTestId(`identity-${role}`).click();
    return page;
  }

  async function check(page: Page, screen: string, lang: 'zh' | 'en', width: number) {
    await page.screenshot({ path: join(SHOTS, `${screen}-${lang}-${width}.png`), fullPage: true });
    await expectAccessible(page, `${screen} ${lang} ${width}`);
    if (lang === 'zh') {
      // the harness seeds actors named "<ROLE> user": data typed by people, not the UI's own text
      const text = (await page.locator('body').innerText()).replace(/\b[A-Z_]+ user\b/g, '');
      // each offending word with the text around it, so the failure says where it is
      const foreign = foreignWords(text).map((w) => {
        const at = text.indexOf(w);
        return `${w} in "…${text.slice(Math.max(0, at - 20), at + w.length + 20)}…"`;
      });
      expect({ screen, foreign }).toEqual({ screen, foreign: [] });
    }
  }

  for (const width of [1280, 390]) {
    for (const lang of ['zh', 'en'] as const) {
      it(`every screen passes axe-core at ${width} px in ${lang}`, async () => {
        const page = await signedIn(width, lang);
        try {
          await page.locator('[data-testid=chart-status] .bar').first().waitFor();
          await page.getByTestId('project-row').first().waitFor();
          await check(page, 'portfolio', lang, width);

          await page.goto(`${base}/project/${submitted.id}`);
          await page.getByTestId('project-name').waitFor();
          await page.getByTestId('actions').waitFor();
          await check(page, 'project', lang, width);

          // the confirmation dialog of an irreversible decision
          await page.getByTestId('action-approve-proposal').click();
          await page.getByTestId('action-submit').waitFor();
          await check(page, 'form', lang, width);

          await page.getByTestId('nav-inbox').click();
          await page.getByTestId('inbox').waitFor();
          await page.waitForFunction(() => !document.querySelector('[aria-busy=true]'));
          await check(page, 'inbox', lang, width);

          await page.getByTestId('nav-live').click();
          await page.locator('main.page').waitFor();
          await check(page, 'live', lang, width);
        } finally {
          await page.close();
        }
      });
    }
  }

  it('at 390 px the project list and 待办 render as cards, not a squeezed table', async () => {
    const page = await signedIn(390, 'zh');
    try {
      const row = page.getByTestId('project-row').first();
      await row.waitFor();
      // a card: the row is a block as wide as the list, its cells stacked with their column names
      expect(await row.evaluate((el) => getComputedStyle(el).display)).not.toBe('table-row');
      expect(
        await page.locator('[data-testid=project-table] thead').evaluate((el) => getComputedStyle(el).display),
      ).toBe('none');
      const scrollable = await page.evaluate(() => document.documentElement.scrollWidth > innerWidth + 1);
      expect(scrollable).toBe(false);
      const label = await row
        .locator('td[data-label]')
        .first()
        .evaluate((el) => getComputedStyle(el, '::before').content);
      expect(label).toContain('部门');
      await page.getByTestId('nav-inbox').click();
      await page.getByTestId('inbox').waitFor();
      const inboxWide = await page.evaluate(() => document.documentElement.scrollWidth > innerWidth + 1);
      expect(inboxWide).toBe(false);
      const tables = await page.locator('[data-testid=inbox] table').count();
      for (let i = 0; i < tables; i++) {
        expect(
          await page
            .locator('[data-testid=inbox] table thead')
            .nth(i)
            .evaluate((el) => getComputedStyle(el).display),
        ).toBe('none');
      }
    } finally {
      await page.close();
    }
  });

  it('each chart is an image with a summarising name and a data table', async () => {
    const page = await signedIn(1280, 'zh');
    try {
      await page.locator('[data-testid=chart-status] .bar').first().waitFor();
      for (const id of ['chart-status', 'chart-category', 'chart-department']) {
        const chart = page.getByTestId(id);
        expect(await chart.getAttribute('role')).toBe('img');
        const name = (await chart.getAttribute('aria-label')) ?? '';
        expect(name.length).toBeGreaterThan(4);
        // the summary names the numbers: at least one digit
        expect(name).toMatch(/\d/);
        const table = page.getByTestId(`${id}-table`);
        expect(await table.locator('tbody tr').count()).toBeGreaterThan(0);
      }
    } finally {
      await page.close();
    }
  });

  it('a chart drills down into the project list: click a bar, or Enter on its row in the data table', async () => {
    const page = await signedIn(1280, 'zh');
    try {
      const bar = page.locator('[data-testid=chart-status] .bar[data-key=UNDER_CONSTRUCTION]');
      await bar.waitFor();
      await bar.click();
      await page.waitForURL(/status=UNDER_CONSTRUCTION/);
      await page.getByTestId('pager').getByText('共 1 项').waitFor();
      expect(await page.getByTestId('filter-status').inputValue()).toBe('UNDER_CONSTRUCTION');
      await page.getByTestId('project-row').getByText('全民健康信息平台升级').waitFor();
      // by keyboard: open the department chart's data table, Enter on a department
      await page.locator('[data-testid=chart-department]').locator('xpath=..').locator('summary').click();
      const pick = page.getByTestId('chart-department-table').getByTestId('chart-pick').filter({ hasText: '卫生' });
      await pick.focus();
      await page.keyboard.press('Enter');
      await page.waitForURL(/department=D03/);
      expect(await page.getByTestId('filter-department').inputValue()).toBe('D03');
    } finally {
      await page.close();
    }
  });

  for (const width of [1280, 390]) {
    it(`财务视图 at ${width} px: approved, released, executed and surplus; a stage drills into the list`, async () => {
      const page = await signedIn(width, 'zh', 'FINANCE');
      try {
        await page.getByTestId('nav-finance').click();
        await page.getByTestId('fin-approved').getByText('600 万元').waitFor();
        await page.getByTestId('fin-department').first().waitFor();
        expect(await page.getByTestId('fin-department').count()).toBe(3);
        await page.locator('[data-testid=chart-fin-stage] .bar').first().waitFor();
        await check(page, 'finance', 'zh', width);
        await page.locator('[data-testid=chart-fin-stage] .bar[data-key=UNDER_CONSTRUCTION]').click();
        await page.waitForURL(/\/\?status=UNDER_CONSTRUCTION/);
        await page.getByTestId('pager').getByText('共 1 项').waitFor();
      } finally {
        await page.close();
      }
    });
  }

  it('the project page actions are reachable by keyboard; the dialog traps focus, Escape returns it', async () => {
    const page = await signedIn(1280, 'zh');
    try {
      await page.goto(`${base}/project/${submitted.id}`);
      await page.getByTestId('actions').waitFor();
      const buttons = await page
        .getByTestId('actions')
        .locator('button:visible')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid') ?? e.textContent));
      expect(buttons.length).toBeGreaterThan(0);
      const reached = new Set<string>();
      for (let i = 0; i < 200 && reached.size < buttons.length; i++) {
        await page.keyboard.press('Tab');
        const id = await page.evaluate(() => {
          const el = document.activeElement;
          return el && el.closest('[data-testid=actions]') ? (el.getAttribute('data-testid') ?? el.textContent) : null;
        });
        if (id && buttons.includes(id)) reached.add(id);
      }
      expect([...reached].sort()).toEqual([...buttons].sort());

      // open the approval form by keyboard, fill it, and reach the confirmation dialog
      await page.getByTestId('action-approve-proposal').focus();
      await page.keyboard.press('Enter');
      await page.getByTestId('action-submit').waitFor();
      await page.getByTestId('actions').locator('textarea').first().fill('同意');
      const submit = page.getByTestId('action-submit');
      await submit.focus();
      await page.keyboard.press('Enter');
      const dialog = page.getByTestId('confirm-dialog');
      await dialog.waitFor();
      // focus moved into the dialog and stays there
      for (let i = 0; i < 12; i++) {
        expect(await page.evaluate(() => !!document.activeElement?.closest('[data-testid=confirm-dialog]'))).toBe(true);
        await page.keyboard.press(i % 3 === 2 ? 'Shift+Tab' : 'Tab');
      }
      await expectAccessible(page, 'confirm dialog');
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('action-submit');
    } finally {
      await page.close();
    }
  });
});
