import { readlinkSync } from 'node:fs';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { canonicalJson, type PendingEvent } from '../event-store/envelope';
import { AppendOutcomeUnknown, EVENT_STORE, RevisionConflict, type EventStore, type ExpectedRevision, type StoredEvent, StoreUnavailable } from '../event-store/event-store.port';
import { ProblemError } from '../application/errors';
import { DomainError } from '../domain';
import { CLOCK, type Clock } from '../infrastructure/clock';
import { APP_CONFIG } from '../infrastructure/tokens';
import type { AppConfig } from '../infrastructure/config';
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
  /**
   * Authorize first, then replay: refuses (throws) exactly as a fresh request would when the
   * caller may no longer issue this command on this stream (role or department changed).
   */
  authorize: () => Promise<void>;
  /** The request as the client sent it (no server-generated ids). */
  body: unknown;
}

/** Type of the answer record; '$' marks it as the store's own, hidden from $all readers. */
export const IDEMPOTENCY_RECORD = '$IdempotencyKeyRecorded';
/** "This instance is deciding the key": written before the command runs. */
export const IDEMPOTENCY_CLAIM = '$IdempotencyKeyClaimed';
/** The claimed command was refused before appending anything: the next request decides anew. */
export const IDEMPOTENCY_RELEASE = '$IdempotencyKeyReleased';

/** A claim older than this with no answer may be taken over (its owner is presumed dead). */
const LEASE_MS = 30_000;
/** How long a request waits for another instance's answer to a claimed key. */
const WAIT_MS = 10_000;
const POLL_MS = 50;
/** This process: a claim names it so that a later process can tell that its owner is gone. */
/**
 * Who holds a claim. Pids are compared only within one pid namespace of one host: containers that
 * share a host name (or all run as pid 1) must not take each other's live claims for dead ones.
 */
const OWNER = { host: hostname(), pidNamespace: pidNamespace(), pid: process.pid, instance: randomUUID() };

type Owner = typeof OWNER;

/**
 * A name-based UUID (RFC 4122 version-5 layout from SHA-1) for an id the client did not send:
 * the same user retrying with the same key gets the same id, so the retry addresses the same
 * stream and its request hashes the same.
 */
export function idFromKey(actor: string, key: string, purpose: string): string {
  const bytes = createHash('sha1').update(`ordos-idempotency:${purpose}\n${actor}\n${key}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Idempotency-Key records live in the event store itself (one short stream per key and user), so
 * they are as durable as the events, shared by every instance, and need no third store.
 *
 * One key, one decision, whichever instance gets it: the key is claimed in its stream (expected
 * 'no_stream', or the revision read) BEFORE the command runs; only the winner executes and then
 * appends the answer after its claim. Others wait for that answer (at most WAIT_MS), else 409
 * IDEMPOTENCY_KEY_IN_PROGRESS. A claim whose owner is gone (its process no longer runs on this
 * host, or the lease passed) is taken over optimistically; the command's own events carry the key
 * in their metadata, so the taker first looks for them in the target stream: if the owner died
 * after appending, they are the answer and nothing is decided again.
 *
 * A key is remembered for IDEMPOTENCY_RETENTION_HOURS (default 24): an older record is ignored and
 * the key starts a new request. The check reads only the key's own stream (a few events).
 */
@Injectable()
export class IdempotencyService {
  private readonly logger = new Logger(IdempotencyService.name);
  private readonly inFlight = new Map<string, Promise<Dispatched>>();
  /** Key streams whose claim this process holds and is executing right now. */
  private readonly executing = new Set<string>();
  private readonly retentionMs: number;

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) config: Pick<AppConfig, 'idempotencyRetentionHours'>,
  ) {
    this.retentionMs = (config.idempotencyRetentionHours ?? 24) * 3_600_000;
  }

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
    const waitUntil = Date.now() + WAIT_MS;
    for (;;) {
      // O(1): only the key's newest record decides; the whole key stream is read only to take
      // over an abandoned claim (when its use began).
      const last = await this.lastRecord(streamId);
      const live = last && last.type !== IDEMPOTENCY_RELEASE && this.age(last) < this.retentionMs ? last : undefined;
      if (!live) {
        // A new request (or one whose record has expired): claim the key, then decide.
        const claim = await this.claim(streamId, requestHash, request, last ? last.revision : 'no_stream');
        if (claim === undefined) continue; // another instance claimed first: read its claim
        return this.executeClaimed(streamId, claim, requestHash, request, execute);
      }
      const { requestHash: recordedHash, answer } = live.data as { requestHash: string; answer?: Dispatched };
      if (recordedHash !== requestHash) throw reused();
      if (live.type === IDEMPOTENCY_RECORD) {
        await request.authorize();
        return answer!;
      }
      // An unanswered claim: its owner is deciding, or died while deciding.
      if (this.ownerGone(streamId, live)) {
        const claim = await this.claim(streamId, requestHash, request, live.revision);
        if (claim === undefined) continue;
        const recovered = await this.appendedBefore(request, useStartedAt(await this.eventStore.readStream(streamId)));
        if (recovered) {
          await this.record(streamId, claim, requestHash, request, recovered);
          await request.authorize();
          return recovered;
        }
        return this.executeClaimed(streamId, claim, requestHash, request, execute);
      }
      if (Date.now() > waitUntil) throw inProgress();
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  /** Runs the command under this process's claim and records its answer after the claim. */
  private async executeClaimed(
    streamId: string,
    claimRevision: number,
    requestHash: string,
    request: IdempotentRequest,
    execute: () => Promise<Dispatched>,
  ): Promise<Dispatched> {
    this.executing.add(streamId);
    let answer: Dispatched;
    try {
      answer = await execute();
    } catch (error) {
      // A refusal, a conflict or a store that said it wrote nothing appended nothing: release the
      // key so that a retry is decided anew at once (not after the lease). An append whose outcome
      // is unknown (sent, not confirmed) or an unexpected failure keeps the claim: the retry that
      // takes it over looks in the target stream first.
      const appendedNothing =
        error instanceof DomainError ||
        error instanceof RevisionConflict ||
        error instanceof ProblemError ||
        (error instanceof StoreUnavailable && !(error instanceof AppendOutcomeUnknown));
      if (appendedNothing) {
        await this.append(streamId, IDEMPOTENCY_RELEASE, { requestHash, route: request.route }, request, claimRevision).catch((e: unknown) =>
          this.logger.warn(`Idempotency-Key release not recorded (the claim will be taken over): ${describe(e)}`),
        );
      }
      throw error;
    } finally {
      this.executing.delete(streamId);
    }
    await this.record(streamId, claimRevision, requestHash, request, answer);
    return answer;
  }

  /**
   * The command's events are stored: its answer is the truth even when the answer record cannot
   * be written (full disk). The claim then stays unanswered, and a retry recovers the answer
   * from the events that carry the key.
   */
  private async record(streamId: string, claimRevision: number, requestHash: string, request: IdempotentRequest, answer: Dispatched): Promise<void> {
    try {
      await this.append(streamId, IDEMPOTENCY_RECORD, { requestHash, answer, route: request.route }, request, claimRevision);
    } catch (error) {
      this.logger.error(`Idempotency-Key answer not recorded after the command was stored (a retry recovers it from the events): ${describe(error)}`);
    }
  }

  /** Appends a claim at `expected`; undefined when another instance got there first. */
  private async claim(streamId: string, requestHash: string, request: IdempotentRequest, expected: ExpectedRevision): Promise<number | undefined> {
    try {
      const { nextRevision } = await this.append(streamId, IDEMPOTENCY_CLAIM, { requestHash, route: request.route, owner: OWNER }, request, expected);
      return nextRevision;
    } catch (error) {
      if (error instanceof RevisionConflict) return undefined;
      throw error;
    }
  }

  private append(streamId: string, type: string, data: Record<string, unknown>, request: IdempotentRequest, expected: ExpectedRevision) {
    const event: PendingEvent = {
      type,
      data,
      metadata: {
        eventId: randomUUID(),
        occurredAt: this.clock.now().toISOString(),
        actor: { sub: request.actor, name: request.actor, role: 'SYSTEM' },
        correlationId: randomUUID(),
        causationId: randomUUID(),
        idempotencyKey: request.key,
        policy: 'n/a',
        schemaVersion: 1,
      },
    };
    return this.eventStore.append(streamId, [event], expected);
  }

  private async lastRecord(streamId: string): Promise<StoredEvent | undefined> {
    if (this.eventStore.readLastEvent) return this.eventStore.readLastEvent(streamId);
    const records = await this.eventStore.readStream(streamId);
    return records[records.length - 1];
  }

  private age(record: StoredEvent): number {
    return this.clock.now().getTime() - Date.parse(record.metadata.occurredAt);
  }

  /**
   * Is the claim's owner gone? This process: when it is not executing the key (its attempt
   * ended without an answer). Another process on this host: when it no longer runs (or its pid
   * now belongs to this process). Elsewhere: when the lease has passed.
   */
  private ownerGone(streamId: string, claim: StoredEvent): boolean {
    const owner = (claim.data as { owner?: Owner }).owner;
    if (owner?.instance === OWNER.instance) return !this.executing.has(streamId);
    const samePidSpace = owner && owner.host === OWNER.host && OWNER.pidNamespace !== null && owner.pidNamespace === OWNER.pidNamespace;
    if (owner && samePidSpace && (owner.pid === OWNER.pid || !processRuns(owner.pid))) return true;
    return this.age(claim) >= LEASE_MS;
  }

  /** Events the command appended under this use of the key before its owner died unanswered. */
  private async appendedBefore(request: IdempotentRequest, since: number): Promise<Dispatched | undefined> {
    const events = (await this.eventStore.readStream(request.targetStream)).filter(
      (e) => e.metadata.idempotencyKey === request.key && e.metadata.actor?.sub === request.actor && Date.parse(e.metadata.occurredAt) >= since,
    );
    return events.length > 0 ? request.answerFrom(events) : undefined;
  }
}

/** When the current use of the key began: its first claim after the last answer or release. */
function useStartedAt(records: StoredEvent[]): number {
  let start = -Infinity;
  for (const record of records) {
    if (record.type !== IDEMPOTENCY_CLAIM) start = -Infinity;
    else if (start === -Infinity) start = Date.parse(record.metadata.occurredAt);
  }
  return start;
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function reused(): ProblemError {
  return new ProblemError(
    422,
    'IDEMPOTENCY_KEY_REUSED',
    'Idempotency-Key reused',
    'This Idempotency-Key was already used with a different request body.',
  );
}

function inProgress(): ProblemError {
  return new ProblemError(
    409,
    'IDEMPOTENCY_KEY_IN_PROGRESS',
    'Idempotency-Key in progress',
    'A request with this Idempotency-Key is still being decided; nothing was changed by this one. Retry shortly for its answer.',
  );
}

/** The pid namespace of this process (Linux), null where it cannot be told. */
function pidNamespace(): string | null {
  try {
    return readlinkSync('/proc/self/ns/pid');
  } catch {
    return null;
  }
}
