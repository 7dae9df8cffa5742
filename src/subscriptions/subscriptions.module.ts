import { Module } from '@nestjs/common';
import type { AppConfig } from '../config';
import { APP_CONFIG } from '../infrastructure/tokens';
import { loadSubscriptionSettings, SUBSCRIPTION_SETTINGS, type SubscriptionSettings } from './settings';
import { DeadlineWatcher } from './deadline-watcher';
import { EventStreamController } from './event-stream.controller';
import { EventStreamService } from './event-stream.service';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

/**
 * Subscribers of the event store (STYLE.md: "event store ($all) → subscribers"): webhooks,
 * Server-Sent Events and the deadline watcher. Settings come from `config.subscriptions` when the
 * loaded AppConfig carries them (loadSubscriptionSettings(env) in loadConfig), else from
 * process.env.
 */
@Module({
  controllers: [WebhooksController, EventStreamController],
  providers: [
    {
      provide: SUBSCRIPTION_SETTINGS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig & { subscriptions?: SubscriptionSettings }): SubscriptionSettings =>
        config.subscriptions ?? loadSubscriptionSettings({ ...process.env, NODE_ENV: config.nodeEnv }),
    },
    WebhooksService,
    DeadlineWatcher,
    EventStreamService,
  ],
  exports: [WebhooksService, DeadlineWatcher, EventStreamService],
})
export class SubscriptionsModule {}
