import { loadConfig, type SubscriptionSettings } from './config';

// The type lives in config.ts (a leaf: it imports nothing of ours), so config.ts and this file do
// not import each other; it is re-exported here for the subscription modules that inject it.
export type { SubscriptionSettings };

/** DI token for the subscription settings (webhooks, SSE, deadline watcher). */
export const SUBSCRIPTION_SETTINGS = Symbol('SUBSCRIPTION_SETTINGS');

/**
 * The subscription part of the one configuration (variables and rules: config.ts and
 * docs/configuration.md); refuses bad values with the same ConfigError as loadConfig.
 */
export function loadSubscriptionSettings(env: NodeJS.ProcessEnv = process.env): SubscriptionSettings {
  return loadConfig(env).subscriptions;
}
