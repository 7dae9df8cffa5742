import { loadConfig } from './config';

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

/**
 * The subscription part of the one configuration (variables and rules: config.ts and
 * docs/configuration.md); refuses bad values with the same ConfigError as loadConfig.
 */
export function loadSubscriptionSettings(env: NodeJS.ProcessEnv = process.env): SubscriptionSettings {
  return loadConfig(env).subscriptions;
}
