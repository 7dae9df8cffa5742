import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

/**
 * The static checks are part of `npm test`: the type checker over the service and the dashboard,
 * ESLint, Prettier, knip (no dead exports) and the dependency rules of .dependency-cruiser.cjs
 * (layers, no cycles, a pure domain). Each runs its own command line, as a developer would, and
 * fails the suite with its report.
 */
const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'node_modules', '.bin');
const run = promisify(execFile);

async function check(command: string, args: string[], cwd = ROOT): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(join(BIN, command), args, { cwd, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

jest.setTimeout(180_000);

describe('static checks (npm test runs them)', () => {
  it('the service, its tests and benchmarks type-check', async () => {
    const result = await check('tsc', ['--noEmit', '-p', 'tsconfig.json']);
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });

  it('the dashboard (web/) type-checks', async () => {
    const result = await check('tsc', ['--noEmit', '-p', 'web/tsconfig.json']);
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });

  it('ESLint finds nothing (typescript-eslint, 120 columns, no `as never`)', async () => {
    const result = await check('eslint', ['.', '--max-warnings=0']);
    expect(result.output.trim()).toBe('');
    expect(result.code).toBe(0);
  });

  it('every file is formatted as Prettier formats it', async () => {
    const result = await check('prettier', ['--list-different', '.']);
    expect(result.output.trim()).toBe('');
    expect(result.code).toBe(0);
  });

  it('no unused export, file or dependency (knip)', async () => {
    const result = await check('knip', ['--no-progress']);
    expect(result.output.trim()).toBe('');
    expect(result.code).toBe(0);
  });

  it('no folder imports upward or in a circle (dependency-cruiser)', async () => {
    const result = await check('depcruise', ['src', '--config', '.dependency-cruiser.cjs', '--output-type', 'err']);
    expect(result.output.trim()).toMatch(/^✔ no dependency violations found/);
    expect(result.code).toBe(0);
  });

  describe('the dependency rules catch what they forbid', () => {
    let dir: string;
    const write = (path: string, text: string) => {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    };
    const violations = async () => {
      const result = await check(
        'depcruise',
        ['src', '--config', '.dependency-cruiser.cjs', '--output-type', 'json'],
        dir,
      );
      type Violation = { rule: { name: string; severity: string } };
      const report = JSON.parse(result.output) as { summary: { violations: Violation[] } };
      return report.summary.violations.filter((v) => v.rule.severity === 'error').map((v) => v.rule.name);
    };

    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'ordos-depcruise-'));
      cpSync(join(ROOT, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
      write('tsconfig.json', JSON.stringify({ compilerOptions: { module: 'commonjs', strict: true } }));
      write('package.json', JSON.stringify({ name: 'fixture', private: true }));
      write('src/main.ts', "import './app.module';\n");
      write('src/app.module.ts', "import './projects/projects.module';\n");
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('a tree that keeps the rules passes (the fixture itself is sound)', async () => {
      write('src/projects/projects.module.ts', "import { h } from '../commands/handler';\nexport const m = h;\n");
      write('src/commands/handler.ts', "import { r } from '../domain/rules';\nexport const h = r;\n");
      write('src/domain/rules.ts', 'export const r = 1;\n');
      expect(await violations()).toEqual([]);
    });

    it('a lower layer importing a higher one', async () => {
      write('src/commands/handler.ts', "import { Ctx } from '../http/request-context';\nexport const h = Ctx;\n");
      write('src/http/request-context.ts', 'export const Ctx = 1;\n');
      write('src/projects/projects.module.ts', "import { h } from '../commands/handler';\nexport const m = h;\n");
      expect(await violations()).toContain('L2-application-not-upwards');
    });

    it('the domain importing anything outside itself', async () => {
      write('src/domain/rules.ts', "import { m } from '../projects/projects.module';\nexport const r = m;\n");
      write('src/projects/projects.module.ts', 'export const m = 1;\n');
      expect(await violations()).toEqual(expect.arrayContaining([expect.stringMatching(/^domain-/)]));
    });

    it('a cycle between two modules of one folder', async () => {
      write('src/commands/a.ts', "import { b } from './b';\nexport const a = () => b;\n");
      write('src/commands/b.ts', "import { a } from './a';\nexport const b = () => a;\n");
      write('src/projects/projects.module.ts', "import { a } from '../commands/a';\nexport const m = a;\n");
      expect(await violations()).toContain('no-circular');
    });

    it('one feature importing another', async () => {
      write('src/audit/history.ts', "import { m } from '../projects/projects.module';\nexport const x = m;\n");
      write('src/projects/projects.module.ts', "import '../audit/history';\nexport const m = 1;\n");
      expect(await violations()).toContain('L4-feature-not-to-other-feature');
    });
  });
});
