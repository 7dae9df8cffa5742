import { ConfigError, loadConfig } from '../../src/infrastructure/config';

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
