import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { AppConfig } from '../infrastructure/config';
import type { Actor } from '../domain';
import {
  EVENT_STORE,
  InvalidPosition,
  type EventStore,
  type Position,
  type StoredEvent,
  type Subscription,
} from '../event-store/event-store.port';
import { positionSortKey } from '../event-store/position';
import { APP_CONFIG } from '../infrastructure/tokens';
import { INSTANCE_ID, LEASE_STORE, type LeaseStore } from '../leases/lease.port';
import { READ_MODEL_STORE, type Doc, type DocChange, type ReadModelStore } from '../read-model/read-model.port';
import { InvalidInput, ProblemError } from '../application/errors';
import { publish, resolveTypes, type PublishedEvent } from './event-envelope';
import { SUBSCRIPTION_SETTINGS, type SubscriptionSettings } from '../infrastructure/subscription-settings';
import { SecretBox, signPayload } from './signature';
import { checkWebhookUrl, systemLookup, type Lookup } from './ssrf';

export const SUBSCRIPTIONS_COLLECTION = 'webhook_subscriptions';
export const DEAD_LETTERS_COLLECTION = 'webhook_dead_letters';
/**
 * Releases before putDocument wrote subscriptions through `commit` under this pseudo-checkpoint
 * (always at position 0). The documents themselves load as they are; the checkpoint is removed
 * at start-up.
 */
export const LEGACY_SUBSCRIPTIONS_CHECKPOINT = 'webhook_subscriptions';
const checkpointName = (id: string) => `webhook:${id}`;
/** The lease an instance holds while it delivers for subscription `id` (same name, other store). */
const leaseName = (id: string) => `webhook:${id}`;

export interface WebhookSubscription {
  id: string;
  url: string;
  types: string[];
  families: string[];
  createdAt: string;
}

interface SubscriptionDoc extends Doc {
  url: string;
  types: string[];
  families: string[];
  sealedSecret: string;
  createdAt: string;
  createdBy: string;
  /**
   * The latest POST /:id/redeliver. Applied by the instance holding the subscription's lease
   * (possibly not the one that was asked), which notices a new `id` when it polls.
   */
  redelivery?: { id: string; fromPosition?: string };
}

interface DeadLetterDoc extends Doc {
  subscriptionId: string;
  position: Position;
  sortKey: string;
  eventId: string;
  type: string;
  event: PublishedEvent;
  attempts: number;
  lastError: string;
  failedAt: string;
}

export interface WebhookStatus extends WebhookSubscription {
  state: 'running' | 'retrying' | 'stopped';
  checkpoint: Position | null;
  /** Consecutive failed attempts on the event in flight. */
  failures: number;
  lastError: string | null;
  lastAttemptAt: string | null;
  lastDeliveredAt: string | null;
  delivered: number;
  deadLetterCount: number;
  deadLetters: Array<{
    position: Position;
    eventId: string;
    type: string;
    attempts: number;
    lastError: string;
    failedAt: string;
  }>;
}

type Outcome = 'delivered' | 'failed' | 'stopped';

/**
 * One subscription's delivery loop. Delivery guarantees (issue 5):
 * - at-least-once: the checkpoint `webhook:<id>` moves only after the receiver answered 2xx (or
 *   the event was dead-lettered, in the same commit as the dead letter); a crash in between
 *   delivers that event again, so receivers de-duplicate on X-Event-Id;
 * - in order: the store's subscription awaits each delivery, so exactly one request is in flight
 *   per subscription and events arrive in global order (hence in order per project);
 * - a receiver that keeps failing costs at most `maxAttempts` tries with capped, jittered
 *   exponential back-off per event; then the event goes to the dead-letter list and delivery
 *   moves on, so one poisoned event cannot stall the subscription for ever.
 */
class WebhookWorker {
  failures = 0;
  lastError: string | null = null;
  lastAttemptAt: string | null = null;
  lastDeliveredAt: string | null = null;
  delivered = 0;
  checkpoint: Position | null = null;
  private subscription?: Subscription;
  private readonly halt = new AbortController();
  /** The delivery attempt on the wire, if any (stopAfterInFlight lets it finish). */
  private inFlight?: Promise<unknown>;
  /** Winding down for a restart: no new attempt starts, the one in flight may finish. */
  private winding = false;
  private restartTimer?: NodeJS.Timeout;
  private restartDelayMs: number;
  private secret: string;

  constructor(
    readonly doc: SubscriptionDoc,
    private readonly eventStore: EventStore,
    private readonly readModels: ReadModelStore,
    private readonly settings: SubscriptionSettings,
    secretBox: SecretBox,
    private readonly lookup: Lookup,
    private readonly logger: Logger,
    private readonly redeliverDeadLetters: boolean,
    /** Whether this instance still holds the subscription's lease (by its last renewal). */
    private readonly holdsLease: () => boolean,
  ) {
    this.secret = secretBox.open(doc.sealedSecret);
    this.restartDelayMs = settings.webhookBackoffBaseMs;
  }

  /** Stopped because the lease ran out: restarted when it is taken again. */
  lostLease = false;

  get stopped(): boolean {
    return this.halt.signal.aborted;
  }

  get state(): WebhookStatus['state'] {
    if (this.stopped) return 'stopped';
    return this.failures > 0 ? 'retrying' : 'running';
  }

  async start(): Promise<void> {
    if (this.redeliverDeadLetters) await this.replayDeadLetters();
    await this.follow();
  }

  /**
   * Stops once the attempt on the wire has its answer: a delivery the receiver accepted is
   * acknowledged (its checkpoint committed) instead of being sent again by the restarted worker.
   * A redelivery request restarts the worker this way; shutdown and a lost lease stop at once.
   */
  async stopAfterInFlight(): Promise<void> {
    this.winding = true;
    await this.inFlight?.catch(() => undefined);
    await this.stop();
  }

  async stop(): Promise<void> {
    this.halt.abort();
    if (this.restartTimer) clearTimeout(this.restartTimer);
    await this.subscription?.stop();
  }

  private async follow(): Promise<void> {
    if (this.stopped) return;
    this.checkpoint = (await this.readModels.getCheckpoint(checkpointName(this.doc._id)))?.position ?? null;
    const types = resolveTypes(this.doc.types, this.doc.families);
    const subscription = this.eventStore.subscribeAll({ after: this.checkpoint ?? undefined, types }, (event) =>
      this.handle(event),
    );
    this.subscription = subscription;
    subscription.done.then(
      () => undefined,
      (error: unknown) => {
        if (this.stopped) return;
        if (error instanceof InvalidPosition) {
          // The store refuses the checkpoint itself (e.g. an SQLite-era position on EventStoreDB):
          // restarting from it would fail the same way forever. Stop; an operator sets a valid
          // one with POST /subscriptions/:id/redeliver {fromPosition}.
          this.logger.error(
            { err: error, subscription: this.doc._id, checkpoint: this.checkpoint },
            'webhook checkpoint is not a position of this event store; worker stopped',
          );
          this.halt.abort();
          return;
        }
        // The store failed or a checkpoint could not be written: resume from the checkpoint,
        // which re-delivers at most the event in flight (at-least-once).
        this.logger.warn(
          { err: error, subscription: this.doc._id },
          'webhook subscription ended; restarting from its checkpoint',
        );
        const delay = this.restartDelayMs;
        this.restartDelayMs = Math.min(this.restartDelayMs * 2, this.settings.webhookBackoffCapMs);
        this.restartTimer = setTimeout(() => void this.follow().catch(() => undefined), delay);
        this.restartTimer.unref();
      },
    );
  }

  private async handle(stored: StoredEvent): Promise<void> {
    if (this.stopped) return;
    const event = publish(stored);
    const { outcome, attempts } = await this.deliverWithRetries(event);
    if (outcome === 'stopped') return; // not acknowledged: delivered again after a restart
    const now = new Date().toISOString();
    const changes: DocChange[] = [];
    if (outcome === 'failed') {
      const letter: DeadLetterDoc = {
        _id: `${this.doc._id}:${event.position}`,
        _v: 1,
        subscriptionId: this.doc._id,
        position: event.position,
        sortKey: positionSortKey(event.position),
        eventId: event.metadata.eventId,
        type: event.type,
        event,
        attempts,
        lastError: this.lastError ?? 'unknown',
        failedAt: now,
      };
      changes.push({ op: 'upsert', collection: DEAD_LETTERS_COLLECTION, doc: letter });
      this.logger.warn(
        { subscription: this.doc._id, position: event.position, type: event.type },
        'webhook event dead-lettered',
      );
    }
    // The dead letter and the checkpoint move together: the event is never both lost and skipped.
    await this.readModels.commit(checkpointName(this.doc._id), changes, { position: event.position, updatedAt: now });
    this.checkpoint = event.position;
    this.failures = 0;
    this.restartDelayMs = this.settings.webhookBackoffBaseMs;
  }

  /** Dead letters re-queued by POST /subscriptions/:id/redeliver, oldest first, before live events. */
  private async replayDeadLetters(): Promise<void> {
    const letters = (await this.readModels.find(
      DEAD_LETTERS_COLLECTION,
      { subscriptionId: this.doc._id },
      { sort: { sortKey: 1 } },
    )) as DeadLetterDoc[];
    for (const letter of letters) {
      if (this.stopped) return;
      const { outcome, attempts } = await this.deliverWithRetries(letter.event);
      if (outcome === 'stopped') return;
      // Not a commit: the subscription's own checkpoint stays where it is.
      if (outcome === 'delivered') {
        await this.readModels.deleteDocument(DEAD_LETTERS_COLLECTION, letter._id);
      } else {
        await this.readModels.putDocument(DEAD_LETTERS_COLLECTION, {
          ...letter,
          _v: letter._v + 1,
          attempts: letter.attempts + attempts,
          lastError: this.lastError ?? 'unknown',
          failedAt: new Date().toISOString(),
        });
      }
      this.failures = 0;
    }
  }

  private async deliverWithRetries(event: PublishedEvent): Promise<{ outcome: Outcome; attempts: number }> {
    const body = JSON.stringify(event);
    for (let attempt = 1; attempt <= this.settings.webhookMaxAttempts; attempt++) {
      if (this.stopped || this.winding || !this.stillHolding()) return { outcome: 'stopped', attempts: attempt - 1 };
      const sent = this.attempt(event, body);
      this.inFlight = sent;
      const error = await sent;
      this.inFlight = undefined;
      if (error === null) {
        this.failures = 0;
        this.lastError = null;
        this.delivered++;
        this.lastDeliveredAt = new Date().toISOString();
        return { outcome: 'delivered', attempts: attempt };
      }
      this.failures = attempt;
      this.lastError = error;
      if (attempt < this.settings.webhookMaxAttempts && !(await this.sleep(this.backoff(attempt)))) {
        return { outcome: 'stopped', attempts: attempt };
      }
    }
    return { outcome: this.stopped ? 'stopped' : 'failed', attempts: this.settings.webhookMaxAttempts };
  }

  /**
   * Checked before every attempt: a process that was frozen past its lease (GC pause, suspended
   * VM) must not deliver alongside the instance that took over. The worker stops itself (the
   * event in flight is not acknowledged, so whoever holds the lease delivers it again).
   */
  private stillHolding(): boolean {
    if (this.holdsLease()) return true;
    this.lostLease = true;
    // Not awaited: stop() waits for the handler call we are in.
    void this.stop();
    return false;
  }

  /** "Full jitter" between half and all of min(cap, base·2^(n−1)): retries of many subscriptions spread out. */
  private backoff(attempt: number): number {
    const ceiling = Math.min(
      this.settings.webhookBackoffCapMs,
      this.settings.webhookBackoffBaseMs * 2 ** (attempt - 1),
    );
    return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
  }

  /** Resolves false when the worker was stopped while sleeping. */
  private sleep(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      if (this.stopped) return resolve(false);
      const onAbort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        this.halt.signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, ms);
      this.halt.signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** One POST; null on 2xx, else why it failed. */
  private async attempt(event: PublishedEvent, body: string): Promise<string | null> {
    this.lastAttemptAt = new Date().toISOString();
    // Checked again at every attempt: the name may now resolve elsewhere (DNS rebinding).
    const check = await checkWebhookUrl(this.doc.url, this.settings.webhookAllowedHosts, this.lookup);
    if (!check.ok) return `refused target: ${check.problems.join('; ')}`;
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), this.settings.webhookTimeoutMs);
    const onHalt = () => timeout.abort();
    this.halt.signal.addEventListener('abort', onHalt, { once: true });
    const timestamp = String(Math.floor(Date.now() / 1000));
    try {
      const response = await fetch(this.doc.url, {
        method: 'POST',
        body,
        // A redirect could lead past the address check: it counts as a failure.
        redirect: 'manual',
        signal: timeout.signal,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'ordos-supervision-webhooks/1',
          'x-signature': signPayload(this.secret, timestamp, body),
          'x-timestamp': timestamp,
          'x-event-id': event.metadata.eventId,
          'x-event-type': event.type,
          'x-event-position': event.position,
          'x-subscription-id': this.doc._id,
        },
      });
      await response.body?.cancel().catch(() => undefined);
      return response.status >= 200 && response.status < 300 ? null : `HTTP ${response.status}`;
    } catch (error) {
      if (timeout.signal.aborted && !this.stopped) return `no answer within ${this.settings.webhookTimeoutMs} ms`;
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      return `request failed${cause ? `: ${cause}` : ''}`;
    } finally {
      clearTimeout(timer);
      this.halt.signal.removeEventListener('abort', onHalt);
    }
  }
}

/**
 * Webhook subscriptions (issue 5). Subscriptions are documents of the read-model collection
 * `webhook_subscriptions` (written with the port's putDocument, so SQLite and MongoDB both work);
 * they are configuration of this service, not facts of the domain, hence not events. Each runs
 * a worker on the event store's catch-up subscription (`subscribeAll`: SQLite polling or
 * EventStoreDB's subscribeToAll).
 *
 * Several instances (issue 11 §3): an instance runs a subscription's worker only while it holds
 * the lease `webhook:<id>`, renewed every ttl/3 (LEASE_TTL_MS, default 15 s). The same pass polls
 * the subscription list, so subscriptions created on another instance are taken up and deleted
 * ones stopped. One instance delivers each event; when the holder dies its lease expires and
 * another instance resumes from the committed checkpoint, re-delivering at most the event that
 * was in flight (at-least-once stays).
 */
@Injectable()
export class WebhooksService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Webhooks');
  private readonly workers = new Map<string, WebhookWorker>();
  /** Subscription id → until when (ms) our lease holds, by the start of its last renewal. */
  private readonly leaseUntil = new Map<string, number>();
  private readonly leaseTtlMs: number;
  private pollTimer?: NodeJS.Timeout;
  private polling?: Promise<void>;
  private shuttingDown = false;
  private readonly secretBox: SecretBox;
  /** Replaceable in tests (a fake resolver). */
  lookup: Lookup = systemLookup;

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    @Inject(SUBSCRIPTION_SETTINGS) private readonly settings: SubscriptionSettings,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(LEASE_STORE) private readonly leases: LeaseStore,
    @Inject(INSTANCE_ID) private readonly instanceId: string,
  ) {
    this.secretBox = new SecretBox(settings.webhookSecretKey ?? config.jwtSecret, config.cryptoSuite);
    this.leaseTtlMs = config.leaseTtlMs;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.readModels.ensureIndexes(SUBSCRIPTIONS_COLLECTION, [{ fields: { createdAt: 1 } }]);
    await this.readModels.ensureIndexes(DEAD_LETTERS_COLLECTION, [{ fields: { subscriptionId: 1, sortKey: 1 } }]);
    // Upgrade: the pseudo-checkpoint the old releases committed subscriptions under means nothing now.
    await this.readModels.deleteCheckpoint(LEGACY_SUBSCRIPTIONS_CHECKPOINT);
    await this.poll();
    this.pollTimer = setInterval(() => void this.poll(), Math.max(20, Math.floor(this.leaseTtlMs / 3)));
    this.pollTimer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.shuttingDown = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    await this.polling;
    await Promise.all([...this.workers.values()].map((w) => w.stop()));
    this.workers.clear();
    // Given up at once: another instance need not wait for the ttl.
    await Promise.all(
      [...this.leaseUntil.keys()].map((id) =>
        this.leases.release(leaseName(id), this.instanceId).catch(() => undefined),
      ),
    );
    this.leaseUntil.clear();
  }

  /** One pass of renewing leases and reconciling workers with the subscription list; passes never overlap. */
  poll(): Promise<void> {
    if (!this.polling) {
      this.polling = this.reconcile()
        .catch((error: unknown) => this.logger.warn({ err: error }, 'webhook lease pass failed; next pass retries'))
        .finally(() => {
          this.polling = undefined;
        });
    }
    return this.polling;
  }

  private async reconcile(): Promise<void> {
    if (this.shuttingDown) return;
    const docs = (await this.readModels.find(
      SUBSCRIPTIONS_COLLECTION,
      {},
      { sort: { createdAt: 1 } },
    )) as SubscriptionDoc[];
    const present = new Set(docs.map((d) => d._id));
    for (const id of [...this.workers.keys(), ...this.leaseUntil.keys()]) {
      if (present.has(id) || this.shuttingDown) continue;
      // Deleted on another instance. Our worker may have committed its checkpoint after that
      // instance removed it: remove it again.
      const worker = this.workers.get(id);
      await worker?.stop();
      this.workers.delete(id);
      await this.giveUpLease(id);
      if (worker) await this.readModels.deleteCheckpoint(checkpointName(id)).catch(() => undefined);
    }
    for (const doc of docs) {
      if (this.shuttingDown) return;
      const held = await this.takeLease(doc._id);
      const worker = this.workers.get(doc._id);
      if (!held) {
        if (worker) {
          this.logger.warn({ subscription: doc._id }, 'webhook lease lost; another instance delivers');
          await worker.stop();
          this.workers.delete(doc._id);
        }
        continue;
      }
      try {
        // A request is applied by the worker that runs when it arrives. A worker started afresh
        // (start-up, takeover) takes the doc as it is: applying an old request again would
        // replay from its fromPosition after every restart.
        if (!worker || worker.lostLease) this.startWorker(doc, false);
        else if (doc.redelivery && doc.redelivery.id !== worker.doc.redelivery?.id) await this.applyRedelivery(doc);
      } catch (error) {
        // e.g. the key changed and the secret cannot be opened: the others still run.
        this.logger.error({ err: error, subscription: doc._id }, 'webhook subscription cannot start');
      }
    }
  }

  /** Takes or renews the lease of subscription `id`; on a store error keeps what the last renewal gave. */
  private async takeLease(id: string): Promise<boolean> {
    const asked = Date.now();
    try {
      const held = await this.leases.acquire(leaseName(id), this.instanceId, this.leaseTtlMs);
      if (held) this.leaseUntil.set(id, asked + this.leaseTtlMs);
      else this.leaseUntil.delete(id);
      return held;
    } catch (error) {
      this.logger.warn({ err: error, subscription: id }, 'webhook lease could not be renewed');
      return (this.leaseUntil.get(id) ?? 0) > Date.now();
    }
  }

  private async giveUpLease(id: string): Promise<void> {
    this.leaseUntil.delete(id);
    await this.leases.release(leaseName(id), this.instanceId).catch(() => undefined);
  }

  async create(
    input: { url: string; types?: string[]; families?: string[]; secret: string },
    actor: Actor,
  ): Promise<WebhookSubscription> {
    const check = await checkWebhookUrl(input.url, this.settings.webhookAllowedHosts, this.lookup);
    if (!check.ok) throw new InvalidInput([{ field: 'url', problems: check.problems }]);
    const id = randomUUID();
    const now = new Date().toISOString();
    const doc: SubscriptionDoc = {
      _id: id,
      _v: 1,
      url: input.url,
      types: [...new Set(input.types ?? [])],
      families: [...new Set(input.families ?? [])],
      sealedSecret: this.secretBox.seal(input.secret),
      createdAt: now,
      createdBy: actor.sub,
    };
    // A new subscription starts at the head: it receives what happens from now on
    // (POST /:id/redeliver {fromPosition} replays older events).
    const head = await this.eventStore.headPosition();
    if (head !== undefined) await this.readModels.commit(checkpointName(id), [], { position: head, updatedAt: now });
    await this.readModels.putDocument(SUBSCRIPTIONS_COLLECTION, doc);
    // Usually free: this instance delivers at once. Otherwise the holder's next poll starts it.
    if (await this.takeLease(id)) this.startWorker(doc, false);
    return view(doc);
  }

  async list(): Promise<WebhookSubscription[]> {
    const docs = (await this.readModels.find(
      SUBSCRIPTIONS_COLLECTION,
      {},
      { sort: { createdAt: 1 } },
    )) as SubscriptionDoc[];
    return docs.map(view);
  }

  async status(id: string): Promise<WebhookStatus> {
    const doc = await this.load(id);
    const worker = this.workers.get(id);
    const letters = (await this.readModels.find(
      DEAD_LETTERS_COLLECTION,
      { subscriptionId: id },
      { sort: { sortKey: 1 } },
    )) as DeadLetterDoc[];
    const checkpoint = (await this.readModels.getCheckpoint(checkpointName(id)))?.position ?? null;
    return {
      ...view(doc),
      state: worker?.state ?? 'stopped',
      checkpoint,
      failures: worker?.failures ?? 0,
      lastError: worker?.lastError ?? null,
      lastAttemptAt: worker?.lastAttemptAt ?? null,
      lastDeliveredAt: worker?.lastDeliveredAt ?? null,
      delivered: worker?.delivered ?? 0,
      deadLetterCount: letters.length,
      deadLetters: letters.map((l) => ({
        position: l.position,
        eventId: l.eventId,
        type: l.type,
        attempts: l.attempts,
        lastError: l.lastError,
        failedAt: l.failedAt,
      })),
    };
  }

  async remove(id: string): Promise<void> {
    await this.load(id);
    await this.workers.get(id)?.stop();
    this.workers.delete(id);
    await this.giveUpLease(id);
    // Dead letters first, the subscription last: a DELETE that fails half-way can be repeated.
    for (const letter of await this.readModels.find(DEAD_LETTERS_COLLECTION, { subscriptionId: id })) {
      await this.readModels.deleteDocument(DEAD_LETTERS_COLLECTION, letter._id);
    }
    await this.readModels.deleteDocument(SUBSCRIPTIONS_COLLECTION, id);
    await this.readModels.deleteCheckpoint(checkpointName(id));
  }

  /**
   * Without `fromPosition`: re-queue every dead letter (delivered before new events). With it:
   * replay every matching event after `fromPosition` (exclusive, like Last-Event-ID; "0" = all).
   */
  async redeliver(id: string, fromPosition?: string): Promise<{ id: string; requeued?: number; replayAfter?: string }> {
    const current = await this.load(id);
    // Recorded on the subscription: only the lease holder may move the checkpoint (a worker
    // running elsewhere would carry it forward again), so the holder applies the request.
    const doc: SubscriptionDoc = {
      ...current,
      _v: current._v + 1,
      redelivery: { id: randomUUID(), ...(fromPosition !== undefined ? { fromPosition } : {}) },
    };
    const requeued =
      fromPosition === undefined
        ? await this.readModels.count(DEAD_LETTERS_COLLECTION, { subscriptionId: id })
        : undefined;
    await this.readModels.putDocument(SUBSCRIPTIONS_COLLECTION, doc);
    if (await this.takeLease(id)) await this.applyRedelivery(doc);
    return fromPosition !== undefined ? { id, replayAfter: fromPosition } : { id, requeued };
  }

  /** Restarts the worker for a redelivery request; called only while holding the lease. */
  private async applyRedelivery(doc: SubscriptionDoc): Promise<void> {
    const id = doc._id;
    // The delivery on the wire finishes first: an accepted one is not sent twice by the restart.
    await this.workers.get(id)?.stopAfterInFlight();
    this.workers.delete(id);
    const fromPosition = doc.redelivery?.fromPosition;
    if (fromPosition !== undefined) {
      // Backwards on purpose (commit never moves a checkpoint back).
      const checkpoint = { position: fromPosition, updatedAt: new Date().toISOString() };
      await this.readModels.resetCheckpoint(checkpointName(id), checkpoint);
    }
    this.startWorker(doc, fromPosition === undefined);
  }

  private async load(id: string): Promise<SubscriptionDoc> {
    const doc = (await this.readModels.get(SUBSCRIPTIONS_COLLECTION, id)) as SubscriptionDoc | null;
    if (!doc) throw new ProblemError(404, 'NOT_FOUND', 'Not found', `No webhook subscription ${id}.`);
    return doc;
  }

  private startWorker(doc: SubscriptionDoc, redeliverDeadLetters: boolean): void {
    const id = doc._id;
    const worker = new WebhookWorker(
      doc,
      this.eventStore,
      this.readModels,
      this.settings,
      this.secretBox,
      this.lookup,
      this.logger,
      redeliverDeadLetters,
      () => (this.leaseUntil.get(id) ?? 0) > Date.now(),
    );
    this.workers.set(doc._id, worker);
    worker.start().catch((error: unknown) => {
      this.logger.error({ err: error, subscription: doc._id }, 'webhook worker failed to start; retrying');
      // e.g. the store was briefly unavailable: try again unless stopped or replaced meanwhile.
      setTimeout(() => {
        if (!worker.stopped && this.workers.get(doc._id) === worker && !this.shuttingDown) {
          void worker.stop().then(() => this.startWorker(doc, redeliverDeadLetters));
        }
      }, this.settings.webhookBackoffCapMs).unref();
    });
  }
}

function view(doc: SubscriptionDoc): WebhookSubscription {
  return { id: doc._id, url: doc.url, types: doc.types, families: doc.families, createdAt: doc.createdAt };
}
