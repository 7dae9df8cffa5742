import { resolve } from 'node:path';
import { loadSubscriptionSettings, type SubscriptionSettings } from './subscription-settings';

export interface AppConfig {
  port: number;
  host: string;
  nodeEnv: string;
  dataDir: string;
  jwtSecret: string;
  eventStore: { kind: 'sqlite'; file: string } | { kind: 'eventstoredb'; connectionString: string };
  readModels: { kind: 'sqlite'; file: string } | { kind: 'mongodb'; uri: string; dbName: string };
  testClock: boolean;
  logLevel: string;
  bodyLimitBytes: number;
  rateLimitPerMinute: number;
  subscriptions: SubscriptionSettings;
  /** The dashboard summary is recomputed at most this often while events keep arriving. */
  dashboardRefreshMs: number;
  /** How long an Idempotency-Key is remembered (IDEMPOTENCY_RETENTION_HOURS, default 24). */
  idempotencyRetentionHours: number;
  /** SEAL_INTERVAL_MINUTES (may be fractional; default 60, 0 under NODE_ENV=test; 0 disables) in ms. */
  sealIntervalMs: number;
  /** LEASE_TTL_MS (default 15000): how long a lease outlives its holder's last renewal. */
  leaseTtlMs: number;
  /** GET /projects/:id?minRevision reads waiting at once (READ_MAX_WAITING, default 100); more answer 503 at once. */
  maxWaitingReads: number;
  /** JWT_SECRET was not set and the published development secret is in use. */
  usingDevelopmentSecret: boolean;
  /** DEV_IDENTITIES_REMOTE=1: /dev/identities also answers clients that are not on loopback. */
  devIdentitiesRemote: boolean;
  /** Longest accepted token lifetime, exp − iat (or exp − now without iat), in seconds. */
  tokenMaxLifetimeSeconds: number;
  /** Clock skew tolerated on a token's iat, nbf and exp, in seconds. */
  tokenClockSkewSeconds: number;
  /** A request (headers and body) must arrive within this many ms (a trickled body is cut off). */
  requestTimeoutMs: number;
}

/** Refused configuration: start-up stops with this one message. */
export class ConfigError extends Error {
  constructor(problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const DEVELOPMENT_SECRET = 'development-only-secret-change-me-0123456789';

/**
 * Reads the environment once. Outside development and test a JWT_SECRET of at least 32
 * characters is required, so a production deployment cannot run on the well-known default.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const nodeEnv = env.NODE_ENV ?? 'development';
  const lenient = nodeEnv === 'development' || nodeEnv === 'test';

  const port = env.PORT === undefined || env.PORT === '' ? 3000 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`PORT must be an integer 0–65535, got "${env.PORT}"`);

  const dataDir = resolve(env.DATA_DIR || './data');

  let jwtSecret = env.JWT_SECRET ?? '';
  if (jwtSecret === '') {
    if (lenient) jwtSecret = DEVELOPMENT_SECRET;
    else problems.push('JWT_SECRET is required when NODE_ENV is not development or test');
  } else if (jwtSecret.trim().length < 32) {
    problems.push('JWT_SECRET must be at least 32 characters (not counting surrounding whitespace)');
  } else if (!lenient && jwtSecret === DEVELOPMENT_SECRET) {
    // The development default is published in the source: anyone could sign tokens with it.
    problems.push('JWT_SECRET must not be the built-in development secret when NODE_ENV is not development or test');
  }

  const esdb = env.EVENTSTORE_CONNECTION_STRING?.trim();
  if (esdb && !/^esdb(\+discover)?:\/\//.test(esdb)) {
    problems.push('EVENTSTORE_CONNECTION_STRING must start with esdb:// (e.g. esdb://localhost:2113?tls=false)');
  }
  const mongoUri = env.MONGODB_URI?.trim();
  if (mongoUri && !/^mongodb(\+srv)?:\/\//.test(mongoUri)) {
    problems.push('MONGODB_URI must start with mongodb:// or mongodb+srv://');
  }
  const mongoDb = env.MONGODB_DB?.trim() || 'ordos';
  if (!/^[A-Za-z0-9_-]{1,63}$/.test(mongoDb)) problems.push('MONGODB_DB must be 1–63 letters, digits, _ or -');

  const bodyLimitBytes = numberOr(env.BODY_LIMIT_BYTES, 256 * 1024, 'BODY_LIMIT_BYTES', problems);
  const rateLimitPerMinute = numberOr(env.RATE_LIMIT_PER_MINUTE, 6000, 'RATE_LIMIT_PER_MINUTE', problems);
  const tokenMaxLifetimeSeconds = numberOr(env.TOKEN_MAX_LIFETIME_SECONDS, 12 * 3600, 'TOKEN_MAX_LIFETIME_SECONDS', problems);
  const requestTimeoutMs = numberOr(env.REQUEST_TIMEOUT_MS, 30_000, 'REQUEST_TIMEOUT_MS', problems);
  const idempotencyRetentionHours = numberOr(env.IDEMPOTENCY_RETENTION_HOURS, 24, 'IDEMPOTENCY_RETENTION_HOURS', problems);
  const dashboardRefreshMs =
    env.DASHBOARD_REFRESH_MS === undefined || env.DASHBOARD_REFRESH_MS === ''
      ? nodeEnv === 'test'
        ? 0
        : 1000
      : Number(env.DASHBOARD_REFRESH_MS);
  if (!Number.isInteger(dashboardRefreshMs) || dashboardRefreshMs < 0) problems.push('DASHBOARD_REFRESH_MS must be an integer ≥ 0');
  const sealRaw = env.SEAL_INTERVAL_MINUTES?.trim();
  const sealMinutes = sealRaw === undefined || sealRaw === '' ? (nodeEnv === 'test' ? 0 : 60) : Number(sealRaw);
  // A non-number used to disable sealing silently.
  if (!Number.isFinite(sealMinutes) || sealMinutes < 0) problems.push(`SEAL_INTERVAL_MINUTES must be a number ≥ 0 (0 disables), got "${sealRaw}"`);
  const leaseTtlMs = numberOr(env.LEASE_TTL_MS, 15_000, 'LEASE_TTL_MS', problems);
  const maxWaitingReads = numberOr(env.READ_MAX_WAITING, 100, 'READ_MAX_WAITING', problems);
  const testClock = env.TEST_CLOCK === '1';
  if (testClock && !lenient) problems.push('TEST_CLOCK=1 is only allowed with NODE_ENV development or test');

  let subscriptions: SubscriptionSettings | undefined;
  try {
    subscriptions = loadSubscriptionSettings({ ...env, NODE_ENV: nodeEnv });
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
  }

  if (problems.length > 0 || !subscriptions) throw new ConfigError(problems);
  const usingDevelopmentSecret = jwtSecret === DEVELOPMENT_SECRET;
  return {
    port,
    // The published development secret lets anyone sign tokens, so a service running on it binds
    // to loopback unless HOST says otherwise (issue 11): a plain `npm start` is not on the network.
    host: env.HOST || (usingDevelopmentSecret ? '127.0.0.1' : '0.0.0.0'),
    nodeEnv,
    dataDir,
    jwtSecret,
    eventStore: esdb ? { kind: 'eventstoredb', connectionString: esdb } : { kind: 'sqlite', file: resolve(dataDir, 'events.db') },
    readModels: mongoUri
      ? { kind: 'mongodb', uri: mongoUri, dbName: mongoDb }
      : { kind: 'sqlite', file: resolve(dataDir, 'read-models.db') },
    testClock,
    logLevel: env.LOG_LEVEL || (nodeEnv === 'test' ? 'silent' : 'info'),
    bodyLimitBytes,
    rateLimitPerMinute,
    subscriptions,
    dashboardRefreshMs,
    idempotencyRetentionHours,
    sealIntervalMs: Math.round(sealMinutes * 60_000),
    leaseTtlMs,
    maxWaitingReads,
    usingDevelopmentSecret,
    devIdentitiesRemote: env.DEV_IDENTITIES_REMOTE === '1',
    tokenMaxLifetimeSeconds,
    tokenClockSkewSeconds: 60,
    requestTimeoutMs,
  };
}

function numberOr(raw: string | undefined, fallback: number, name: string, problems: string[]): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    problems.push(`${name} must be a positive integer, got "${raw}"`);
    return fallback;
  }
  return value;
}
