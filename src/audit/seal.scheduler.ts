import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '../infrastructure/config';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port';
import { CLOCK, type Clock } from '../infrastructure/clock';
import { APP_CONFIG } from '../infrastructure/tokens';
import { INSTANCE_ID, LEASE_STORE, type LeaseStore } from '../leases/lease.port';
import { sealKeyFrom } from './seal-key';
import { SEAL_STREAM, sealStore } from './integrity';

const LEASE = 'seal-scheduler';

/**
 * Seals every stream head periodically (SEAL_INTERVAL_MINUTES, default 60; 0 disables; off
 * under NODE_ENV=test), so a truncated tail is detectable from the next seal on.
 * With several instances (issue 11 §3) each one's timer fires, but one seal is appended per
 * interval: an instance seals only while it holds the lease `seal-scheduler` (so two never seal
 * at once) and only when the newest seal in `system-seals` is at least one interval old (so the
 * next holder does not seal again right after the previous one).
 *
 * Why a plain setInterval and not @nestjs/schedule (12.0.2 would fit @nestjs/common 11): it is
 * not installed here, and it would buy nothing. Its @Interval/@Cron take the period when the
 * class is decorated, while ours come from configuration (SEAL_INTERVAL_MINUTES may be 0.5,
 * which no cron expression says; DEADLINE_WATCHER_INTERVAL_SECONDS; webhook back-off is
 * per-event setTimeout); its dynamic form (SchedulerRegistry.addInterval) only stores a timer
 * we create ourselves; and what makes a tick correct across instances is the lease plus the age
 * check, which no scheduler provides. The deadline watcher and the webhook lease pass follow
 * the same reasoning.
 */
@Injectable()
export class SealScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private readonly logger = new Logger('Seal');

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LEASE_STORE) private readonly leases: LeaseStore,
    @Inject(INSTANCE_ID) private readonly instanceId: string,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.sealIntervalMs <= 0) return;
    this.timer = setInterval(() => void this.sealNow(), this.config.sealIntervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async sealNow(): Promise<void> {
    // Taken when the tick starts: our own next tick is then never less than one interval later.
    const now = this.clock.now();
    let held = false;
    try {
      held = await this.leases.acquire(LEASE, this.instanceId, this.config.leaseTtlMs);
      if (!held) return;
      const last = await this.newestSealAt();
      if (last !== undefined && now.getTime() - last < this.config.sealIntervalMs) return;
      const seal = await sealStore(this.eventStore, sealKeyFrom(this.config), now);
      this.logger.log({ upToPosition: seal.upToPosition, streams: seal.streams }, 'store sealed');
    } catch (error) {
      this.logger.error({ err: error }, 'sealing failed; will try at the next interval');
    } finally {
      // The age check keeps the next holder from sealing early; no need to keep the lease.
      if (held) await this.leases.release(LEASE, this.instanceId).catch(() => undefined);
    }
  }

  /** When the newest seal was made (ms since the epoch), or undefined without one. */
  private async newestSealAt(): Promise<number | undefined> {
    // One seal per interval: the stream stays small (8 760 a year at the hourly default).
    const seals = await this.eventStore.readStream(SEAL_STREAM);
    const newest = seals[seals.length - 1];
    if (!newest) return undefined;
    const at = Date.parse(String((newest.data as { sealedAt?: unknown }).sealedAt ?? newest.metadata.occurredAt));
    return Number.isFinite(at) ? at : undefined;
  }
}
