import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_VARIABLES, ConfigError, loadConfig } from '../../src/infrastructure/config';
import { loadSubscriptionSettings } from '../../src/infrastructure/subscription-settings';

describe('loadConfig: sealing and leases', () => {
  const base = { NODE_ENV: 'test', DATA_DIR: '/tmp/ordos-config-spec' };

  it('refuses a seal interval that is not a number ≥ 0 instead of silently not sealing', () => {
    for (const bad of ['abc', '-1', 'NaN', 'Infinity', '1h']) {
      expect(() => loadConfig({ ...base, SEAL_INTERVAL_MINUTES: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ ...base, SEAL_INTERVAL_MINUTES: bad })).toThrow(/SEAL_INTERVAL_MINUTES/);
    }
  });

  it('reads the seal interval in minutes, fractions allowed, 0 disables; off by default under test only', () => {
    expect(loadConfig({ ...base, SEAL_INTERVAL_MINUTES: '0.5' }).sealIntervalMs).toBe(30_000);
    expect(loadConfig({ ...base, SEAL_INTERVAL_MINUTES: '0' }).sealIntervalMs).toBe(0);
    expect(loadConfig(base).sealIntervalMs).toBe(0);
    expect(loadConfig({ ...base, NODE_ENV: 'development' }).sealIntervalMs).toBe(3_600_000);
  });

  it('reads LEASE_TTL_MS and READ_MAX_WAITING as positive integers', () => {
    expect(loadConfig(base).leaseTtlMs).toBe(15_000);
    expect(loadConfig({ ...base, LEASE_TTL_MS: '3000' }).leaseTtlMs).toBe(3000);
    expect(() => loadConfig({ ...base, LEASE_TTL_MS: 'soon' })).toThrow(ConfigError);
    expect(loadConfig(base).maxWaitingReads).toBe(100);
    expect(() => loadConfig({ ...base, READ_MAX_WAITING: '0' })).toThrow(ConfigError);
  });
});

describe('loadConfig: one schema', () => {
  const base = { NODE_ENV: 'test', DATA_DIR: '/tmp/ordos-config-spec' };

  it('lists every refused variable in one message: name, what was given, what is expected', () => {
    let error: unknown;
    try {
      loadConfig({
        NODE_ENV: 'production',
        JWT_SECRET: 'short-secret',
        PORT: '70000',
        WEBHOOK_MAX_ATTEMPTS: 'many',
        SSE_HEARTBEAT_MS: '0',
        DEADLINE_WATCHER_ENABLED: 'yes',
        LOG_LEVEL: 'loud',
        MONGODB_URI: 'http://db',
        TEST_CLOCK: '1',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems, message } = error as ConfigError;
    expect(problems.map((p) => p.variable)).toEqual([
      'PORT',
      'JWT_SECRET',
      'MONGODB_URI',
      'TEST_CLOCK',
      'LOG_LEVEL',
      'WEBHOOK_MAX_ATTEMPTS',
      'SSE_HEARTBEAT_MS',
      'DEADLINE_WATCHER_ENABLED',
    ]);
    expect(message).toMatch(/^Invalid configuration \(8 variables; see docs\/configuration.md\):\n/);
    expect(message).toContain('  - PORT must be an integer 0–65535, got "70000"');
    expect(message).toContain('  - WEBHOOK_MAX_ATTEMPTS must be a positive integer, got "many"');
    expect(message).toContain('  - SSE_HEARTBEAT_MS must be a positive integer, got "0"');
    expect(message).toContain('  - DEADLINE_WATCHER_ENABLED must be 1, 0, true or false, got "yes"');
    expect(message).toContain(
      '  - TEST_CLOCK is only allowed with NODE_ENV development or test: must be unset or 0, got "1"',
    );
    // A secret is described by its length, never shown.
    expect(message).toContain('JWT_SECRET must be at least 32 characters');
    expect(message).toContain('got a value of 12 characters (not shown)');
    expect(message).not.toContain('short-secret');
  });

  it('subscription settings come from the same schema, with the same error', () => {
    const config = loadConfig({
      ...base,
      WEBHOOK_ALLOWED_HOSTS: ' Example.org , [::1] ,',
      DEADLINE_WATCHER_INTERVAL_SECONDS: '2',
    });
    expect(config.subscriptions).toMatchObject({
      webhookAllowedHosts: ['example.org', '::1'],
      webhookMaxAttempts: 8,
      deadlineWatcherIntervalMs: 2000,
      deadlineWatcherEnabled: false,
    });
    expect(loadConfig({ ...base, DEADLINE_WATCHER_ENABLED: 'true' }).subscriptions.deadlineWatcherEnabled).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development' }).subscriptions.deadlineWatcherEnabled).toBe(true);
    expect(() => loadSubscriptionSettings({ NODE_ENV: 'test', WEBHOOK_TIMEOUT_MS: '-5' })).toThrow(ConfigError);
    expect(loadSubscriptionSettings({ NODE_ENV: 'test' })).toEqual(loadConfig(base).subscriptions);
  });

  it('reads PROJECTION_VERSION_OVERRIDES under NODE_ENV=test only, and refuses malformed pairs', () => {
    expect(loadConfig(base).projectionVersionOverrides).toEqual({});
    const overridden = loadConfig({ ...base, PROJECTION_VERSION_OVERRIDES: 'projects:99, annual-plans:3' });
    expect(overridden.projectionVersionOverrides).toEqual({ projects: 99, 'annual-plans': 3 });
    for (const bad of ['projects', 'projects:x', 'projects:1:2', ':3']) {
      expect(() => loadConfig({ ...base, PROJECTION_VERSION_OVERRIDES: bad })).toThrow(/PROJECTION_VERSION_OVERRIDES/);
    }
    expect(() => loadConfig({ NODE_ENV: 'development', PROJECTION_VERSION_OVERRIDES: 'projects:99' })).toThrow(
      /PROJECTION_VERSION_OVERRIDES is only honoured under NODE_ENV=test/,
    );
  });

  it('docs/configuration.md documents exactly the variables the schema reads, once each', () => {
    const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'configuration.md'), 'utf8');
    const documented = [...doc.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \|/gm)].map((m) => m[1]);
    expect(new Set(documented).size).toBe(documented.length);
    expect([...documented].sort()).toEqual([...CONFIG_VARIABLES].sort());
  });

  it('no source file outside the configuration reads a variable the schema knows from process.env', () => {
    const root = join(__dirname, '..', '..', 'src');
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.ts') && !path.endsWith(join('infrastructure', 'config.ts'))) {
          const source = readFileSync(path, 'utf8');
          for (const name of CONFIG_VARIABLES) {
            const read = new RegExp(`process\\.env(\\.${name}\\b|\\[['"]${name}['"]\\])`);
            if (read.test(source)) offenders.push(`${path}: ${name}`);
          }
        }
      }
    };
    walk(root);
    expect(offenders).toEqual([]);
  });
});
