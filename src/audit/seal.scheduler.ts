import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '../config';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port';
import { CLOCK, type Clock } from '../infrastructure/clock';
import { APP_CONFIG } from '../infrastructure/tokens';
import { sealKeyFrom } from './audit.controller';
import { sealStore } from './integrity';

/**
 * Seals every stream head periodically (SEAL_INTERVAL_MINUTES, default 60; 0 disables; off
 * under NODE_ENV=test), so a truncated tail is detectable from the next seal on.
 */
@Injectable()
export class SealScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private readonly logger = new Logger('Seal');

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    const minutes = Number(process.env.SEAL_INTERVAL_MINUTES ?? (this.config.nodeEnv === 'test' ? 0 : 60));
    if (!Number.isFinite(minutes) || minutes <= 0) return;
    this.timer = setInterval(() => void this.sealNow(), minutes * 60_000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async sealNow(): Promise<void> {
    try {
      const seal = await sealStore(this.eventStore, sealKeyFrom(this.config), this.clock.now());
      this.logger.log({ upToPosition: seal.upToPosition, streams: seal.streams }, 'store sealed');
    } catch (error) {
      this.logger.error({ err: error }, 'sealing failed; will try at the next interval');
    }
  }
}
