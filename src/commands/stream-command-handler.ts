import { randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { fold, type CommandMetadata, type Decider } from '../domain';
import type { PendingEvent } from '../event-store/envelope';
import { RevisionConflict, type EventStore, type StoredEvent } from '../event-store/event-store.port';
import { upcast } from '../event-store/upcasters';
import { CommandMetrics } from '../infrastructure/metrics';
import { ProblemError } from '../application/errors';

/** Schema version of events written now; upcasters lift older ones on read. */
export const SCHEMA_VERSION = 1;

/**
 * How many folded streams each handler keeps, least recently used going first. One handler per
 * aggregate: plans are one stream a year, so in practice this bounds the projects.
 */
const STATE_CACHE_LIMIT = 20_000;

/** What the generic handler needs of a command: its type, and the time and actor it carries. */
export type DomainCommand = { type: string; metadata: CommandMetadata };
export type DomainEvent = { type: string; data: object };

/**
 * A stored event as its aggregate's event, after upcasting. The store holds what decide produced
 * (and upcasters lift what an older schema wrote): the one place stored data meets a domain type.
 */
export function domainEvent<E extends DomainEvent>(stored: StoredEvent): E {
  const { type, data } = upcast(stored);
  return { type, data } as E;
}

export interface HandleOptions {
  correlationId: string;
  causationId: string;
  idempotencyKey?: string;
  /** Optimistic concurrency from the client: a mismatch is a 409, never retried. */
  expectedRevision?: number;
}

export interface CommandOutcome {
  streamId: string;
  revision: number;
  position: string;
  events: string[];
  created: boolean;
  /** 第三十三条: some event appended was decided after the policy in force had lapsed. */
  policyLapsed?: boolean;
}

interface Folded<S> {
  revision: number;
  position: string;
  state: S;
}

/**
 * Conflicts with other instances are retried on fresh state for at most this long; jitter
 * spreads out writers racing for one project. Writers in this process never conflict with each
 * other: they take turns per stream.
 */
const CONTENTION_LIMIT_MS = 5_000;
const backoff = (attempt: number) => new Promise((r) => setTimeout(r, Math.random() * 2 ** Math.min(attempt, 5)));

/**
 * The one generic handler: read the stream, fold evolve, decide (pure), append with the revision
 * that was read. A concurrent writer makes the append fail with RevisionConflict; without a
 * client expectation the whole load-decide-append is retried on the fresh state, so the
 * decision is always taken on the state it is appended after.
 */
export class StreamCommandHandler<C extends DomainCommand, E extends DomainEvent, S> {
  /**
   * Folded state per stream after this process's last successful append. A cached state is only
   * a guess: the append still expects its revision, so a write by anyone else surfaces as a
   * RevisionConflict and the retry folds the stream afresh.
   */
  private readonly states = new LRUCache<string, Folded<S>>({ max: STATE_CACHE_LIMIT });
  /** The tail of each stream's queue of writers in this process. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly decider: Decider<C, E, S>,
    private readonly eventStore: EventStore,
    private readonly metrics: CommandMetrics,
  ) {}

  async handle(streamId: string, command: C, options: HandleOptions): Promise<CommandOutcome> {
    const stop = this.metrics.start(command.type);
    try {
      const outcome = await this.serialized(streamId, () => this.decideAndAppend(streamId, command, options));
      stop('accepted');
      return outcome;
    } catch (error) {
      stop(error instanceof RevisionConflict ? 'conflict' : ((error as { kind?: string }).kind ?? 'error'));
      throw error;
    }
  }

  /**
   * One writer per stream at a time in this process: the server's own concurrency never turns
   * into a conflict (or a retry) the client sees; writers to other streams still share a group
   * commit.
   */
  private serialized<T>(streamId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(streamId) ?? Promise.resolve();
    const mine = previous.then(work);
    const tail = mine.catch(() => undefined);
    this.queues.set(streamId, tail);
    void tail.then(() => {
      if (this.queues.get(streamId) === tail) this.queues.delete(streamId);
    });
    return mine;
  }

  /**
   * The stream's folded state: from the cache when `useCache` and it holds the revision the client
   * expects (or the client expects none), else read and folded from the store.
   */
  private async load(streamId: string, read: { useCache: boolean; expectedRevision?: number }) {
    const cached = read.useCache ? this.states.get(streamId) : undefined;
    if (cached && (read.expectedRevision === undefined || read.expectedRevision === cached.revision)) {
      return { ...cached, cached: true };
    }
    const stored = await this.eventStore.readStream(streamId);
    const state = fold(this.decider, stored.map(domainEvent<E>));
    return { revision: stored.length - 1, position: stored[stored.length - 1]?.position ?? '0', state, cached: false };
  }

  private async decideAndAppend(streamId: string, command: C, options: HandleOptions): Promise<CommandOutcome> {
    const { expectedRevision } = options;
    const giveUpAt = Date.now() + CONTENTION_LIMIT_MS;
    for (let attempt = 0; ; attempt++) {
      // The first attempt may trust the cache; a retry follows a conflict, so it reads the stream.
      const loaded = await this.load(streamId, { useCache: attempt === 0, expectedRevision });
      const { revision, position: headPosition, state, cached } = loaded;
      if (expectedRevision !== undefined && expectedRevision !== revision) {
        throw new RevisionConflict(streamId, expectedRevision, revision);
      }
      let decided: ReturnType<Decider<C, E, S>['decide']>;
      try {
        decided = this.decider.decide(command, state);
      } catch (refusal) {
        // A refusal must be decided on the stored state, not on a cache another writer outdated.
        if (!cached) throw refusal;
        this.states.delete(streamId);
        continue;
      }
      if (decided.length === 0) {
        // Nothing to append: answer the stored revision, never a cached guess another instance
        // may have overtaken.
        if (cached) {
          this.states.delete(streamId);
          continue;
        }
        return { streamId, revision, position: headPosition, events: [], created: false };
      }
      const pending: PendingEvent[] = decided.map((d) => ({
        type: d.type,
        data: { ...d.data },
        metadata: {
          eventId: randomUUID(),
          occurredAt: command.metadata.now,
          actor: command.metadata.actor,
          correlationId: options.correlationId,
          causationId: options.causationId,
          ...(options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {}),
          ...(d.article ? { article: d.article } : {}),
          policy: d.policy,
          ...(d.policyLapsed ? { policyLapsed: true } : {}),
          schemaVersion: SCHEMA_VERSION,
        },
      }));
      try {
        const endTimer = this.metrics.appendTimer();
        const result = await this.eventStore.append(streamId, pending, revision === -1 ? 'no_stream' : revision);
        endTimer();
        const next = fold(this.decider, decided, state);
        this.states.set(streamId, { revision: result.nextRevision, position: result.position, state: next });
        return {
          streamId,
          revision: result.nextRevision,
          position: result.position,
          events: pending.map((e) => e.type),
          created: revision === -1,
          ...(decided.some((d) => d.policyLapsed) ? { policyLapsed: true } : {}),
        };
      } catch (error) {
        this.states.delete(streamId);
        if (!(error instanceof RevisionConflict) || expectedRevision !== undefined) throw error;
        // The client sent no expectedRevision: another instance's write is our problem, not a
        // "changed since you read it" for the client.
        if (Date.now() >= giveUpAt) throw contended();
        await backoff(attempt);
      }
    }
  }
}

function contended(): ProblemError {
  return new ProblemError(
    503,
    'CONTENDED',
    'Project contended',
    'Too many concurrent writes to this project; nothing was changed. Retry the request.',
  );
}
