/** DI token for the subscription settings (webhooks, SSE, deadline watcher). */
export const SUBSCRIPTION_SETTINGS = Symbol('SUBSCRIPTION_SETTINGS');

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
  /** Replay pacing per stream: yield to the event loop every `sseYieldEvery` events, at most `sseMaxEventsPerSecond`. */
  sseYieldEvery: number;
  sseMaxEventsPerSecond: number;
  deadlineWatcherIntervalMs: number;
  /** Whether the watcher runs on a timer. Off by default under NODE_ENV=test (tests call runOnce). */
  deadlineWatcherEnabled: boolean;
}

function positiveInt(raw: string | undefined, fallback: number, name: string): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

/**
 * Reads the environment. Variables: WEBHOOK_ALLOWED_HOSTS (comma-separated), WEBHOOK_SECRET_KEY,
 * WEBHOOK_MAX_ATTEMPTS (8), WEBHOOK_BACKOFF_BASE_MS (200), WEBHOOK_BACKOFF_CAP_MS (30000),
 * WEBHOOK_TIMEOUT_MS (5000), SSE_HEARTBEAT_MS (15000), DEADLINE_WATCHER_INTERVAL_SECONDS (60),
 * DEADLINE_WATCHER_ENABLED (1/0; default 1, 0 when NODE_ENV=test), SSE_MAX_STREAMS (200),
 * SSE_MAX_STREAMS_PER_USER (5), SSE_YIELD_EVERY (50), SSE_MAX_EVENTS_PER_SECOND (2000).
 */
export function loadSubscriptionSettings(env: NodeJS.ProcessEnv = process.env): SubscriptionSettings {
  const nodeEnv = env.NODE_ENV ?? 'development';
  const enabledRaw = env.DEADLINE_WATCHER_ENABLED?.trim();
  return {
    webhookAllowedHosts: (env.WEBHOOK_ALLOWED_HOSTS ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase().replace(/^\[|\]$/g, ''))
      .filter((h) => h !== ''),
    webhookSecretKey: env.WEBHOOK_SECRET_KEY?.trim() || undefined,
    webhookMaxAttempts: positiveInt(env.WEBHOOK_MAX_ATTEMPTS, 8, 'WEBHOOK_MAX_ATTEMPTS'),
    webhookBackoffBaseMs: positiveInt(env.WEBHOOK_BACKOFF_BASE_MS, 200, 'WEBHOOK_BACKOFF_BASE_MS'),
    webhookBackoffCapMs: positiveInt(env.WEBHOOK_BACKOFF_CAP_MS, 30_000, 'WEBHOOK_BACKOFF_CAP_MS'),
    webhookTimeoutMs: positiveInt(env.WEBHOOK_TIMEOUT_MS, 5000, 'WEBHOOK_TIMEOUT_MS'),
    sseHeartbeatMs: positiveInt(env.SSE_HEARTBEAT_MS, 15_000, 'SSE_HEARTBEAT_MS'),
    sseMaxStreams: positiveInt(env.SSE_MAX_STREAMS, 200, 'SSE_MAX_STREAMS'),
    sseMaxStreamsPerUser: positiveInt(env.SSE_MAX_STREAMS_PER_USER, 5, 'SSE_MAX_STREAMS_PER_USER'),
    sseYieldEvery: positiveInt(env.SSE_YIELD_EVERY, 50, 'SSE_YIELD_EVERY'),
    sseMaxEventsPerSecond: positiveInt(env.SSE_MAX_EVENTS_PER_SECOND, 2000, 'SSE_MAX_EVENTS_PER_SECOND'),
    deadlineWatcherIntervalMs: positiveInt(env.DEADLINE_WATCHER_INTERVAL_SECONDS, 60, 'DEADLINE_WATCHER_INTERVAL_SECONDS') * 1000,
    deadlineWatcherEnabled: enabledRaw ? enabledRaw === '1' || enabledRaw === 'true' : nodeEnv !== 'test',
  };
}
