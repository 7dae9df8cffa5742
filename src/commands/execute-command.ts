import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { annualPlanDecider, projectDecider, type Actor } from '../domain';
import type { PendingEvent } from '../event-store/envelope';
import { EVENT_STORE, RevisionConflict, type EventStore } from '../event-store/event-store.port';
import { CommandMetrics } from '../infrastructure/metrics';
import { upcast } from '../event-store/upcasters';
import { ProblemError } from '../application/errors';

type DecidedEvent = { type: string; data: unknown; article?: string; policy: string; policyLapsed?: boolean };

/** The shape every decider of src/domain has. */
interface Decider {
  initialState(): unknown;
  decide(command: never, state: never): DecidedEvent[];
  evolve(state: never, event: never): unknown;
}

export const DECIDERS = {
  project: projectDecider as unknown as Decider,
  annualPlan: annualPlanDecider as unknown as Decider,
} as const;

export type DeciderName = keyof typeof DECIDERS;

/** Schema version of events written now; upcasters lift older ones on read. */
export const SCHEMA_VERSION = 1;

/** One domain command to run through load → decide → append. */
export class ExecuteCommand {
  constructor(
    readonly decider: DeciderName,
    readonly streamId: string,
    readonly command: { type: string; data: Record<string, unknown>; metadata: { now: string; actor: Actor } },
    readonly context: {
      correlationId: string;
      causationId: string;
      idempotencyKey?: string;
      /** Optimistic concurrency from the client: a mismatch is a 409, never retried. */
      expectedRevision?: number;
    },
  ) {}
}

export interface CommandOutcome {
  streamId: string;
  revision: number;
  position: string;
  events: string[];
  created: boolean;
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
@CommandHandler(ExecuteCommand)
export class ExecuteCommandHandler implements ICommandHandler<ExecuteCommand, CommandOutcome> {
  /**
   * Folded state per stream after this process's last successful append. A cached state is only
   * a guess: the append still expects its revision, so a write by anyone else surfaces as a
   * RevisionConflict and the retry folds the stream afresh.
   */
  private readonly states = new Map<string, { revision: number; position: string; state: unknown }>();
  private static readonly CACHE_LIMIT = 20_000;

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    private readonly metrics: CommandMetrics,
  ) {}

  /** The tail of each stream's queue of writers in this process. */
  private readonly queues = new Map<string, Promise<unknown>>();

  async execute(command: ExecuteCommand): Promise<CommandOutcome> {
    const stop = this.metrics.start(command.command.type);
    try {
      const outcome = await this.serialized(command.streamId, () => this.run(command));
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
   * The stream's folded state: from the cache when it holds the revision the client expects (or
   * the client expects none), else read and folded from the store. `expected === -2` forces a read.
   */
  private async load(decider: Decider, streamId: string, expected: number | undefined) {
    const cached = this.states.get(streamId);
    if (cached && expected !== -2 && (expected === undefined || expected === cached.revision)) return { ...cached, cached: true };
    const events = (await this.eventStore.readStream(streamId)).map(upcast);
    let state = decider.initialState();
    for (const event of events) state = decider.evolve(state as never, { type: event.type, data: event.data } as never);
    return { revision: events.length - 1, position: events[events.length - 1]?.position ?? '0', state, cached: false };
  }

  private remember(streamId: string, entry: { revision: number; position: string; state: unknown }): void {
    this.states.delete(streamId);
    this.states.set(streamId, entry);
    if (this.states.size > ExecuteCommandHandler.CACHE_LIMIT) {
      // Map keeps insertion order: the first key is the least recently written stream.
      this.states.delete(this.states.keys().next().value as string);
    }
  }

  private async run({ decider: name, streamId, command, context }: ExecuteCommand): Promise<CommandOutcome> {
    const decider = DECIDERS[name];
    const giveUpAt = Date.now() + CONTENTION_LIMIT_MS;
    for (let attempt = 0; ; attempt++) {
      const { revision, position: headPosition, state, cached } = await this.load(decider, streamId, attempt === 0 ? context.expectedRevision : -2);
      if (context.expectedRevision !== undefined && context.expectedRevision !== revision) {
        throw new RevisionConflict(streamId, context.expectedRevision, revision);
      }
      let decided: DecidedEvent[];
      try {
        decided = decider.decide(command as never, state as never);
      } catch (refusal) {
        // A refusal must be decided on the stored state, not on a cache another writer outdated.
        if (!cached) throw refusal;
        this.states.delete(streamId);
        continue;
      }
      const pending: PendingEvent[] = decided.map((d) => ({
        type: d.type,
        data: d.data as Record<string, unknown>,
        metadata: {
          eventId: randomUUID(),
          occurredAt: command.metadata.now,
          actor: command.metadata.actor,
          correlationId: context.correlationId,
          causationId: context.causationId,
          ...(context.idempotencyKey ? { idempotencyKey: context.idempotencyKey } : {}),
          ...(d.article ? { article: d.article } : {}),
          policy: d.policy,
          ...(d.policyLapsed ? { policyLapsed: true } : {}),
          schemaVersion: SCHEMA_VERSION,
        },
      }));
      if (pending.length === 0) {
        // Nothing to append: answer the stored revision, never a cached guess another instance
        // may have overtaken.
        if (cached) {
          this.states.delete(streamId);
          continue;
        }
        return { streamId, revision, position: headPosition, events: [], created: false };
      }
      try {
        const endTimer = this.metrics.appendTimer();
        const result = await this.eventStore.append(streamId, pending, revision === -1 ? 'no_stream' : revision);
        endTimer();
        let next = state;
        for (const event of pending) next = decider.evolve(next as never, { type: event.type, data: event.data } as never);
        this.remember(streamId, { revision: result.nextRevision, position: result.position, state: next });
        return {
          streamId,
          revision: result.nextRevision,
          position: result.position,
          events: pending.map((e) => e.type),
          created: revision === -1,
        };
      } catch (error) {
        this.states.delete(streamId);
        if (!(error instanceof RevisionConflict) || context.expectedRevision !== undefined) throw error;
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
