import { Module } from '@nestjs/common';
import type { AppConfig } from '../infrastructure/config';
import { APP_CONFIG } from '../infrastructure/tokens';
import { SUBSCRIPTION_SETTINGS, type SubscriptionSettings } from '../infrastructure/subscription-settings';
import { DeadlineWatcher } from './deadline-watcher';
import { EventStreamController } from './event-stream.controller';
import { EventStreamService } from './event-stream.service';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

/**
 * Subscribers of the event store (STYLE.md: "event store ($all) → subscribers"): webhooks,
 * Server-Sent Events and the deadline watcher. Settings come from `config.subscriptions`, read
 * from the environment with the rest of the configuration (invalid values stop start-up).
 */
@Module({
  controllers: [WebhooksController, EventStreamController],
  providers: [
    {
      provide: SUBSCRIPTION_SETTINGS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): SubscriptionSettings => config.subscriptions,
    },
    WebhooksService,
    DeadlineWatcher,
    EventStreamService,
  ],
  exports: [WebhooksService, DeadlineWatcher, EventStreamService],
})
export class SubscriptionsModule {}
