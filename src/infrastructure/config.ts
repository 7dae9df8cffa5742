import type { CryptoSuiteName } from './crypto-suite';
import { resolve } from 'node:path';

/** The subscription settings (webhooks, SSE, deadline watcher), injected as SUBSCRIPTION_SETTINGS. */
export interface SubscriptionSettings {
  /** Hosts (exact, case-insensitive) a webhook may target even if they resolve to private addresses. */
  webhookAllowedHosts: string[];
  /** Key material for encrypting webhook secrets at rest; undefined = derived from JWT_SECRET. */
  webhookSecretKey?: string;
  /** Failed attempts of one event before it goes to the dead-letter list. */
  webhookMaxAttempts: number;
  webhookBackoffBaseMs: number;
  webhookBackoffCapMs: number;
  /** Per-request timeout (AbortController). */
  webhookTimeoutMs: number;
  sseHeartbeatMs: number;
  /** Live SSE streams at once, in total and per user (`sub`); beyond: 429 TOO_MANY_STREAMS. */
  sseMaxStreams: number;
  sseMaxStreamsPerUser: number;
  /**
   * Replay pacing per stream: yield to the event loop every `sseYieldEvery` events, at most
   * `sseMaxEventsPerSecond`.
   */
  sseYieldEvery: number;
  sseMaxEventsPerSecond: number;
  deadlineWatcherIntervalMs: number;
  /** Whether the watcher runs on a timer. Off by default under NODE_ENV=test (tests call runOnce). */
  deadlineWatcherEnabled: boolean;
}

export interface AppConfig {
  port: number;
  host: string;
  nodeEnv: string;
  dataDir: string;
  jwtSecret: string;
  /** CRYPTO_SUITE: `international` (SHA-256 chain, default) or `gm` (SM3 chain). */
  cryptoSuite: CryptoSuiteName;
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
  /** PROJECTION_VERSION_OVERRIDES (NODE_ENV=test only): projection name → version to run instead. */
  projectionVersionOverrides: Readonly<Record<string, number>>;
  /** Uploaded files (项目文件): under DATA_DIR/documents, or in MongoDB GridFS beside the read models. */
  documentStore: { kind: 'files'; dir: string } | { kind: 'gridfs'; uri: string; dbName: string };
  /** DOCUMENT_MAX_BYTES (default 50 MB): the largest file an upload may carry. */
  documentMaxBytes: number;
}

/** One refused variable: its name, what was given (hidden for secrets) and what is expected. */
export interface ConfigProblem {
  variable: string;
  /** `"value"`, `unset`, or for a secret only its length. */
  given: string;
  /** What would be accepted, e.g. "an integer 0–65535". */
  expected: string;
  /** Why the value is refused when that is not obvious from `expected` (e.g. "too short"). */
  problem?: string;
}

/** Refused configuration: start-up stops with this one message, listing every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    const lines = problems.map(
      (p) => `${p.variable} ${p.problem ? `${p.problem}: ` : ''}must be ${p.expected}, got ${p.given}`,
    );
    super(
      `Invalid configuration (${problems.length} ${problems.length === 1 ? 'variable' : 'variables'}; ` +
        `see docs/configuration.md):\n  - ${lines.join('\n  - ')}`,
    );
    this.name = 'ConfigError';
  }
}

const DEVELOPMENT_SECRET = 'development-only-secret-change-me-0123456789';

// --- the schema --------------------------------------------------------------------------

/** What a variable's reader may depend on: only NODE_ENV, which is read first. */
interface Context {
  nodeEnv: string;
  /** NODE_ENV is development or test: development conveniences are allowed. */
  lenient: boolean;
}

/** Thrown by a reader for a value it refuses. */
class Refused {
  constructor(
    readonly expected: string,
    readonly problem?: string,
  ) {}
}

interface Variable<T> {
  /** Secrets are never echoed in error messages. */
  secret?: boolean;
  /** `raw` is exactly what the environment holds (undefined when unset). */
  read(raw: string | undefined, context: Context): T;
}

const blank = (raw: string | undefined): raw is undefined => raw === undefined || raw.trim() === '';

interface IntegerRule {
  min: number;
  max?: number;
  fallback: number | ((context: Context) => number);
}

function integer(options: IntegerRule): Variable<number> {
  const { min, max } = options;
  const expected =
    max !== undefined ? `an integer ${min}–${max}` : min === 1 ? 'a positive integer' : `an integer ≥ ${min}`;
  return {
    read(raw, context) {
      if (blank(raw)) return typeof options.fallback === 'function' ? options.fallback(context) : options.fallback;
      const value = Number(raw);
      if (!Number.isInteger(value) || value < min || (max !== undefined && value > max)) throw new Refused(expected);
      return value;
    },
  };
}

const positive = (fallback: number): Variable<number> => integer({ min: 1, fallback });

/** A switch: 1/true on, 0/false off; anything else is refused rather than read as "off". */
function flag(fallback: (context: Context) => boolean): Variable<boolean> {
  return {
    read(raw, context) {
      if (blank(raw)) return fallback(context);
      const value = raw.trim().toLowerCase();
      if (value === '1' || value === 'true') return true;
      if (value === '0' || value === 'false') return false;
      throw new Refused('1, 0, true or false');
    },
  };
}

/** A trimmed string matching `pattern`; undefined when unset. */
function text(pattern: RegExp, expected: string): Variable<string | undefined> {
  return {
    read(raw) {
      if (blank(raw)) return undefined;
      const value = raw.trim();
      if (!pattern.test(value)) throw new Refused(expected);
      return value;
    },
  };
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const PROJECTION_NAME = /^[a-z][a-z0-9-]{0,63}$/;

/**
 * Every environment variable the service reads, each with its rule. docs/configuration.md
 * documents exactly these (test/infrastructure/config.spec.ts checks both ways).
 */
const SCHEMA = {
  NODE_ENV: { read: (raw) => raw ?? 'development' } satisfies Variable<string>,
  PORT: integer({ min: 0, max: 65535, fallback: 3000 }),
  HOST: text(/^\S+$/, 'a host name or address without spaces'),
  DATA_DIR: { read: (raw) => resolve(raw || './data') } satisfies Variable<string>,
  JWT_SECRET: {
    secret: true,
    read(raw, { lenient }) {
      const expected = 'at least 32 characters (not counting surrounding whitespace)';
      if (raw === undefined || raw === '') {
        if (lenient) return DEVELOPMENT_SECRET;
        throw new Refused(expected, 'is required when NODE_ENV is not development or test');
      }
      if (raw.trim().length < 32) throw new Refused(expected);
      if (!lenient && raw === DEVELOPMENT_SECRET) {
        // The development default is published in the source: anyone could sign tokens with it.
        throw new Refused(`${expected}, not the built-in development secret`, 'is the published development secret');
      }
      return raw;
    },
  } satisfies Variable<string>,
  EVENTSTORE_CONNECTION_STRING: text(
    /^esdb(\+discover)?:\/\//,
    'an esdb:// URL (e.g. esdb://localhost:2113?tls=false)',
  ),
  MONGODB_URI: text(/^mongodb(\+srv)?:\/\//, 'a mongodb:// or mongodb+srv:// URL'),
  MONGODB_DB: text(/^[A-Za-z0-9_-]{1,63}$/, '1–63 letters, digits, _ or -'),
  TEST_CLOCK: {
    read(raw, context) {
      const on = flag(() => false).read(raw, context);
      if (on && !context.lenient) throw new Refused('unset or 0', 'is only allowed with NODE_ENV development or test');
      return on;
    },
  } satisfies Variable<boolean>,
  LOG_LEVEL: {
    read(raw, { nodeEnv }) {
      if (blank(raw)) return nodeEnv === 'test' ? 'silent' : 'info';
      if (!LOG_LEVELS.includes(raw.trim())) throw new Refused(`one of ${LOG_LEVELS.join(', ')}`);
      return raw.trim();
    },
  } satisfies Variable<string>,
  BODY_LIMIT_BYTES: positive(256 * 1024),
  DOCUMENT_MAX_BYTES: positive(50 * 1024 * 1024),
  RATE_LIMIT_PER_MINUTE: positive(6000),
  TOKEN_MAX_LIFETIME_SECONDS: positive(12 * 3600),
  REQUEST_TIMEOUT_MS: positive(30_000),
  IDEMPOTENCY_RETENTION_HOURS: positive(24),
  DASHBOARD_REFRESH_MS: integer({ min: 0, fallback: ({ nodeEnv }) => (nodeEnv === 'test' ? 0 : 1000) }),
  SEAL_INTERVAL_MINUTES: {
    read(raw, { nodeEnv }) {
      if (blank(raw)) return nodeEnv === 'test' ? 0 : 60;
      // A non-number used to disable sealing silently.
      const minutes = Number(raw.trim());
      if (!Number.isFinite(minutes) || minutes < 0) {
        throw new Refused('a number of minutes ≥ 0 (fractions allowed; 0 disables)');
      }
      return minutes;
    },
  } satisfies Variable<number>,
  LEASE_TTL_MS: positive(15_000),
  READ_MAX_WAITING: positive(100),
  DEV_IDENTITIES_REMOTE: flag(() => false),
  WEBHOOK_ALLOWED_HOSTS: {
    read: (raw) =>
      (raw ?? '')
        .split(',')
        .map((h) =>
          h
            .trim()
            .toLowerCase()
            .replace(/^\[|\]$/g, ''),
        )
        .filter((h) => h !== ''),
  } satisfies Variable<string[]>,
  CRYPTO_SUITE: {
    read(raw) {
      const value = raw?.trim() || 'international';
      if (value !== 'international' && value !== 'gm') throw new Refused('international or gm');
      return value;
    },
  } satisfies Variable<CryptoSuiteName>,
  WEBHOOK_SECRET_KEY: { secret: true, read: (raw) => raw?.trim() || undefined } satisfies Variable<string | undefined>,
  WEBHOOK_MAX_ATTEMPTS: positive(8),
  WEBHOOK_BACKOFF_BASE_MS: positive(200),
  WEBHOOK_BACKOFF_CAP_MS: positive(30_000),
  WEBHOOK_TIMEOUT_MS: positive(5000),
  SSE_HEARTBEAT_MS: positive(15_000),
  SSE_MAX_STREAMS: positive(200),
  SSE_MAX_STREAMS_PER_USER: positive(5),
  SSE_YIELD_EVERY: positive(50),
  SSE_MAX_EVENTS_PER_SECOND: positive(2000),
  DEADLINE_WATCHER_INTERVAL_SECONDS: positive(60),
  DEADLINE_WATCHER_ENABLED: flag(({ nodeEnv }) => nodeEnv !== 'test'),
  PROJECTION_VERSION_OVERRIDES: {
    read(raw, { nodeEnv }) {
      if (blank(raw)) return {};
      const expected = 'name:version pairs separated by commas (e.g. projects:99), and only under NODE_ENV=test';
      if (nodeEnv !== 'test') throw new Refused(expected, 'is only honoured under NODE_ENV=test');
      const overrides: Record<string, number> = {};
      for (const pair of raw.split(',')) {
        const [name, version, ...rest] = pair.split(':').map((part) => part.trim());
        if (rest.length > 0 || !PROJECTION_NAME.test(name ?? '') || !/^\d{1,9}$/.test(version ?? '')) {
          throw new Refused(expected);
        }
        overrides[name] = Number(version);
      }
      return overrides;
    },
  } satisfies Variable<Record<string, number>>,
} satisfies Record<string, Variable<unknown>>;

type Schema = typeof SCHEMA;
type Values = { [K in keyof Schema]: ReturnType<Schema[K]['read']> };

/** The names of every variable the schema reads, in schema order. */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(SCHEMA);

/** Reads every variable; refusals are collected, never thrown one at a time. */
function readAll(env: NodeJS.ProcessEnv): { values: Values; problems: ConfigProblem[] } {
  const nodeEnv = SCHEMA.NODE_ENV.read(env.NODE_ENV);
  const context: Context = { nodeEnv, lenient: nodeEnv === 'development' || nodeEnv === 'test' };
  const problems: ConfigProblem[] = [];
  const values: Record<string, unknown> = {};
  for (const [name, variable] of Object.entries(SCHEMA) as Array<[string, Variable<unknown>]>) {
    const raw = env[name];
    try {
      values[name] = variable.read(raw, context);
    } catch (error) {
      if (!(error instanceof Refused)) throw error;
      const given = shown(raw, variable.secret === true);
      problems.push({ variable: name, given, expected: error.expected, problem: error.problem });
    }
  }
  return { values: values as Values, problems };
}

function shown(raw: string | undefined, secret: boolean): string {
  if (raw === undefined || raw === '') return 'unset';
  return secret ? `a value of ${raw.length} characters (not shown)` : JSON.stringify(raw);
}

/**
 * Reads the environment once, against the one schema above. Outside development and test a
 * JWT_SECRET of at least 32 characters is required, so a production deployment cannot run on
 * the well-known default.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const { values: v, problems } = readAll(env);
  if (problems.length > 0) throw new ConfigError(problems);
  const usingDevelopmentSecret = v.JWT_SECRET === DEVELOPMENT_SECRET;
  const esdb = v.EVENTSTORE_CONNECTION_STRING;
  return {
    port: v.PORT,
    // The published development secret lets anyone sign tokens, so a service running on it binds
    // to loopback unless HOST says otherwise (issue 11): a plain `npm start` is not on the network.
    host: v.HOST ?? (usingDevelopmentSecret ? '127.0.0.1' : '0.0.0.0'),
    nodeEnv: v.NODE_ENV,
    dataDir: v.DATA_DIR,
    jwtSecret: v.JWT_SECRET,
    cryptoSuite: v.CRYPTO_SUITE,
    eventStore: esdb
      ? { kind: 'eventstoredb', connectionString: esdb }
      : { kind: 'sqlite', file: resolve(v.DATA_DIR, 'events.db') },
    readModels: v.MONGODB_URI
      ? { kind: 'mongodb', uri: v.MONGODB_URI, dbName: v.MONGODB_DB ?? 'ordos' }
      : { kind: 'sqlite', file: resolve(v.DATA_DIR, 'read-models.db') },
    testClock: v.TEST_CLOCK,
    logLevel: v.LOG_LEVEL,
    bodyLimitBytes: v.BODY_LIMIT_BYTES,
    rateLimitPerMinute: v.RATE_LIMIT_PER_MINUTE,
    subscriptions: {
      webhookAllowedHosts: v.WEBHOOK_ALLOWED_HOSTS,
      webhookSecretKey: v.WEBHOOK_SECRET_KEY,
      webhookMaxAttempts: v.WEBHOOK_MAX_ATTEMPTS,
      webhookBackoffBaseMs: v.WEBHOOK_BACKOFF_BASE_MS,
      webhookBackoffCapMs: v.WEBHOOK_BACKOFF_CAP_MS,
      webhookTimeoutMs: v.WEBHOOK_TIMEOUT_MS,
      sseHeartbeatMs: v.SSE_HEARTBEAT_MS,
      sseMaxStreams: v.SSE_MAX_STREAMS,
      sseMaxStreamsPerUser: v.SSE_MAX_STREAMS_PER_USER,
      sseYieldEvery: v.SSE_YIELD_EVERY,
      sseMaxEventsPerSecond: v.SSE_MAX_EVENTS_PER_SECOND,
      deadlineWatcherIntervalMs: v.DEADLINE_WATCHER_INTERVAL_SECONDS * 1000,
      deadlineWatcherEnabled: v.DEADLINE_WATCHER_ENABLED,
    },
    dashboardRefreshMs: v.DASHBOARD_REFRESH_MS,
    idempotencyRetentionHours: v.IDEMPOTENCY_RETENTION_HOURS,
    sealIntervalMs: Math.round(v.SEAL_INTERVAL_MINUTES * 60_000),
    leaseTtlMs: v.LEASE_TTL_MS,
    maxWaitingReads: v.READ_MAX_WAITING,
    usingDevelopmentSecret,
    devIdentitiesRemote: v.DEV_IDENTITIES_REMOTE,
    tokenMaxLifetimeSeconds: v.TOKEN_MAX_LIFETIME_SECONDS,
    tokenClockSkewSeconds: 60,
    requestTimeoutMs: v.REQUEST_TIMEOUT_MS,
    projectionVersionOverrides: v.PROJECTION_VERSION_OVERRIDES,
    documentStore: v.MONGODB_URI
      ? { kind: 'gridfs', uri: v.MONGODB_URI, dbName: v.MONGODB_DB ?? 'ordos' }
      : { kind: 'files', dir: resolve(v.DATA_DIR, 'documents') },
    documentMaxBytes: v.DOCUMENT_MAX_BYTES,
  };
}
