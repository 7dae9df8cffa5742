/// <reference lib="dom" />
/**
 * axe-core in the page: injects axe.min.js (the installed axe-core package, no CDN) and runs the
 * WCAG 2.0 A/AA and 2.1 AA rules on the whole document. Violations become one readable error
 * (rule id, impact, target selectors, summary) so a failing spec says what to fix.
 */
import type { Page } from 'playwright-core';

/** Pages must be opened with `bypassCSP: true`: the dashboard's CSP refuses injected scripts. */
const AXE_PATH = require.resolve('axe-core/axe.min.js');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** Runs axe on the current page; resolves to the violations (empty when clean). */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');
  if (!loaded) await page.addScriptTag({ path: AXE_PATH });
  return page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: AxeViolation[] }> } }
    ).axe;
    const result = await axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa'], resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  });
}

/** A readable list of violations, one rule per paragraph. */
export function formatViolations(screen: string, violations: AxeViolation[]): string {
  return violations
    .map(
      (v) =>
        `[${screen}] ${v.id} (${v.impact ?? 'n/a'}): ${v.help}\n` +
        v.nodes
          .slice(0, 8)
          .map((n) => `    ${n.target.join(' ')}\n      ${(n.failureSummary ?? '').replace(/\n/g, '\n      ')}`)
          .join('\n'),
    )
    .join('\n');
}

/** Fails with the readable list when the current page has any WCAG A/AA violation. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  const violations = await axeViolations(page);
  if (violations.length > 0)
    throw new Error(`axe-core found ${violations.length} violation(s):\n${formatViolations(screen, violations)}`);
}

/**
 * ASCII words in the rendered Chinese UI that are not allowed: English words, UPPER_SNAKE codes,
 * camelCase field names. Allowed: numbers, units, project codes (ORD-…), and a short list.
 */
const ALLOWED = new Set(['ORD', 'PDF', 'Excel', 'xlsx', 'ID', 'EN', 'SM2', 'SHA', 'IT', 'GB', 'MB', 'KB', 'km']);
export function foreignWords(text: string): string[] {
  const words = text.match(/[A-Za-z][A-Za-z0-9_]*/g) ?? [];
  return [...new Set(words.filter((w) => !ALLOWED.has(w) && !/^[A-Z]?\d/.test(w) && !/^[A-Z]$/.test(w)))];
}
