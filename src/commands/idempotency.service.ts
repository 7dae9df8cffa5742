import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { canonicalJson } from '../event-store/envelope';
import { EVENT_STORE, RevisionConflict, type EventStore } from '../event-store/event-store.port';
import { ProblemError } from '../http/problem';
import type { Dispatched } from './command-dispatcher';

export interface IdempotentRequest {
  key: string;
  /** Keys are scoped per user: two users may pick the same key. */
  actor: string;
  /** Command type and target stream. */
  route: string;
  /** The stream the command appends to. */
  targetStream: string;
  /** Builds the answer from events already appended under this key (crash recovery). */
  answerFrom: (events: { revision: number; position: string; type: string }[]) => Dispatched;
  body: unknown;
}

/** Type of the stored record; '$' marks it as the store's own, hidden from $all readers. */
export const IDEMPOTENCY_RECORD = '$IdempotencyKeyRecorded';

/**
 * Idempotency-Key records live in the event store itself (a one-event stream per key), so they
 * are as durable as the events and need no third store. The command's own events also carry the
 * key in their metadata: if the process dies between appending them and recording the key, the
 * retry finds them there and answers from them instead of deciding again.
 */
@Injectable()
export class IdempotencyService {
  private readonly inFlight = new Map<string, Promise<Dispatched>>();

  constructor(@Inject(EVENT_STORE) private readonly eventStore: EventStore) {}

  async once(request: IdempotentRequest, execute: () => Promise<Dispatched>): Promise<Dispatched> {
    const streamId = `idempotency-${digest(`${request.actor}\n${request.key}`)}`;
    // Concurrent retries with the same key in this process wait for the first one.
    const running = this.inFlight.get(streamId);
    if (running) {
      await running.catch(() => undefined);
    }
    const work = this.decide(streamId, request, execute);
    this.inFlight.set(streamId, work);
    try {
      return await work;
    } finally {
      if (this.inFlight.get(streamId) === work) this.inFlight.delete(streamId);
    }
  }

  private async decide(streamId: string, request: IdempotentRequest, execute: () => Promise<Dispatched>): Promise<Dispatched> {
    const requestHash = digest(canonicalJson({ route: request.route, body: request.body }));
    const recorded = await this.recorded(streamId);
    if (recorded) {
      if (recorded.requestHash !== requestHash) throw reused();
      return recorded.answer;
    }
    const answer = (await this.appendedBefore(request)) ?? (await execute());
    try {
      await this.eventStore.append(
        streamId,
        [
          {
            type: IDEMPOTENCY_RECORD,
            data: { requestHash, answer, route: request.route },
            metadata: {
              eventId: randomUUID(),
              occurredAt: new Date().toISOString(),
              actor: { sub: request.actor, name: request.actor, role: 'SYSTEM' },
              correlationId: randomUUID(),
              causationId: randomUUID(),
              idempotencyKey: request.key,
              policy: 'n/a',
              schemaVersion: 1,
            },
          },
        ],
        'no_stream',
      );
    } catch (error) {
      if (!(error instanceof RevisionConflict)) throw error;
      // Another instance recorded the key first: its answer is the first answer.
      const other = await this.recorded(streamId);
      if (other && other.requestHash !== requestHash) throw reused();
      if (other) return other.answer;
    }
    return answer;
  }

  /** Events the command appended before the process died without recording the key. */
  private async appendedBefore(request: IdempotentRequest): Promise<Dispatched | undefined> {
    const events = (await this.eventStore.readStream(request.targetStream)).filter(
      (e) => e.metadata.idempotencyKey === request.key && e.metadata.actor?.sub === request.actor,
    );
    return events.length > 0 ? request.answerFrom(events) : undefined;
  }

  private async recorded(streamId: string): Promise<{ requestHash: string; answer: Dispatched } | undefined> {
    const [record] = await this.eventStore.readStream(streamId, { toRevision: 0 });
    return record ? (record.data as { requestHash: string; answer: Dispatched }) : undefined;
  }
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function reused(): ProblemError {
  return new ProblemError(
    422,
    'IDEMPOTENCY_KEY_REUSED',
    'Idempotency-Key reused',
    'This Idempotency-Key was already used with a different request body.',
  );
}
