import { readlinkSync } from 'node:fs';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { canonicalJson, type PendingEvent } from '../event-store/envelope';
import {
  EVENT_STORE,
  RevisionConflict,
  type EventStore,
  type ExpectedRevision,
  type StoredEvent,
} from '../event-store/event-store.port';
import { ProblemError } from '../application/errors';
import type { Dispatched } from '../application/context';
import { CLOCK, type Clock } from '../infrastructure/clock';
import { APP_CONFIG } from '../infrastructure/tokens';
import type { AppConfig } from '../infrastructure/config';

/** Type of the answer record; '$' marks it as the store's own, hidden from $all readers. */
export const IDEMPOTENCY_RECORD = '$IdempotencyKeyRecorded';
/** "This instance is deciding the key": written before the command runs. */
export const IDEMPOTENCY_CLAIM = '$IdempotencyKeyClaimed';
/** The claimed command was refused before appending anything: the next request decides anew. */
export const IDEMPOTENCY_RELEASE = '$IdempotencyKeyReleased';

/** A request that carries an Idempotency-Key. */
export interface KeyedRequest {
  key: string;
  /** Keys are scoped per user: two users may pick the same key. */
  actor: string;
  /** Command type and target stream. */
  route: string;
  /** The request as the client sent it (no server-generated ids, no facts the server read). */
  body: unknown;
}

/** This process holds the key: it decides the command, then records or releases the claim. */
export interface KeyClaim {
  readonly streamId: string;
  /** Revision of the claim record: the answer or release is appended right after it. */
  readonly revision: number;
  readonly requestHash: string;
  readonly request: KeyedRequest;
  /**
   * Set when the claim was taken over from an owner that is gone: when that owner's use of the key
   * began. Its events, if it appended any, carry the key: look for them before deciding again.
   */
  readonly takenOverSince?: number;
}

/** What a key says about a request: replay the recorded answer, or decide under a claim. */
export type KeyCheck = { replay: Dispatched } | { claim: KeyClaim };

/** Data of claim, answer and release records. */
type KeyRecordData = {
  requestHash: string;
  route: string;
  answer?: Dispatched;
  owner?: Owner;
};

/** A claim older than this with no answer may be taken over (its owner is presumed dead). */
const LEASE_MS = 30_000;
/** How long a request waits for another instance's answer to a claimed key. */
const WAIT_MS = 10_000;
const POLL_MS = 50;
/**
 * Who holds a claim. Pids are compared only within one pid namespace of one host: containers that
 * share a host name (or all run as pid 1) must not take each other's live claims for dead ones.
 */
const OWNER = { host: hostname(), pidNamespace: pidNamespace(), pid: process.pid, instance: randomUUID() };

type Owner = typeof OWNER;

/**
 * Idempotency-Key records live in the event store itself (one short stream per key and user), so
 * they are as durable as the events, shared by every instance, and need no third store.
 *
 * One key, one decision, whichever instance gets it: `claim` appends a claim to the key's stream
 * (expected 'no_stream', or the revision read) BEFORE the command runs; only the winner decides,
 * then `record`s the answer (or `release`s the key when nothing was appended) after its claim.
 * Others wait for that answer (at most WAIT_MS), else 409 IDEMPOTENCY_KEY_IN_PROGRESS. A claim whose
 * owner is gone (its process no longer runs on this host, or the lease passed) is taken over
 * optimistically; the command's own events carry the key in their metadata, so the taker first
 * looks for them (`appendedUnder`): if the owner died after appending, they are the answer.
 *
 * A key is remembered for IDEMPOTENCY_RETENTION_HOURS (default 24): an older record is ignored and
 * the key starts a new request. The check reads only the key's newest record (O(1)).
 */
@Injectable()
export class IdempotencyService {
  private readonly logger = new Logger(IdempotencyService.name);
  /** Per key stream, the end of the last turn in this process: retries in one process queue up. */
  private readonly turns = new Map<string, Promise<void>>();
  /** Key streams whose claim this process holds, with the end of the holder's turn. */
  private readonly held = new Map<string, () => void>();
  private readonly retentionMs: number;

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) config: Pick<AppConfig, 'idempotencyRetentionHours'>,
  ) {
    this.retentionMs = (config.idempotencyRetentionHours ?? 24) * 3_600_000;
  }

  /**
   * The recorded answer to replay, or a claim on the key for this process (call `settle` when done
   * with it). Throws 422 IDEMPOTENCY_KEY_REUSED for another body, 409 …IN_PROGRESS after waiting.
   */
  async claim(request: KeyedRequest): Promise<KeyCheck> {
    const streamId = `idempotency-${digest(`${request.actor}\n${request.key}`)}`;
    // Concurrent retries with the same key in this process wait for the first one.
    const endTurn = await this.takeTurn(streamId);
    try {
      const checked = await this.check(streamId, request);
      if ('claim' in checked) this.held.set(streamId, endTurn);
      else endTurn();
      return checked;
    } catch (error) {
      endTurn();
      throw error;
    }
  }

  /** Events the command appended to `targetStream` under this use of the key (a taken-over claim). */
  async appendedUnder(claim: KeyClaim, targetStream: string): Promise<StoredEvent[]> {
    const { key, actor } = claim.request;
    const since = claim.takenOverSince ?? Infinity;
    return (await this.eventStore.readStream(targetStream)).filter(
      (e) =>
        e.metadata.idempotencyKey === key &&
        e.metadata.actor?.sub === actor &&
        Date.parse(e.metadata.occurredAt) >= since,
    );
  }

  /**
   * Records the answer after the claim. The command's events are stored: its answer is the truth
   * even when the record cannot be written (full disk). The claim then stays unanswered, and a
   * retry recovers the answer from the events that carry the key.
   */
  async record(claim: KeyClaim, answer: Dispatched): Promise<void> {
    const { requestHash, request } = claim;
    try {
      await this.append(
        claim.streamId,
        IDEMPOTENCY_RECORD,
        { requestHash, answer, route: request.route },
        request,
        claim.revision,
      );
    } catch (error) {
      this.logger.error(
        'Idempotency-Key answer not recorded after the command was stored (a retry recovers it from the events): ' +
          describe(error),
      );
    }
  }

  /**
   * The command appended nothing (refused, conflicted, or the store said it wrote nothing): release
   * the key so that a retry is decided anew at once, not after the lease.
   */
  async release(claim: KeyClaim): Promise<void> {
    const { requestHash, request } = claim;
    await this.append(
      claim.streamId,
      IDEMPOTENCY_RELEASE,
      { requestHash, route: request.route },
      request,
      claim.revision,
    ).catch((e: unknown) =>
      this.logger.warn(`Idempotency-Key release not recorded (the claim will be taken over): ${describe(e)}`),
    );
  }

  /**
   * This process is done with the claim, answered or not: the next request with the key in this
   * process goes ahead, and takes over a claim left unanswered (an outcome the store did not confirm).
   */
  settle(claim: KeyClaim): void {
    const endTurn = this.held.get(claim.streamId);
    this.held.delete(claim.streamId);
    endTurn?.();
  }

  private async check(streamId: string, request: KeyedRequest): Promise<KeyCheck> {
    const requestHash = digest(canonicalJson({ route: request.route, body: request.body }));
    const waitUntil = Date.now() + WAIT_MS;
    for (;;) {
      // O(1): only the key's newest record decides; the whole key stream is read only to take
      // over an abandoned claim (when its use began).
      const last = await this.lastRecord(streamId);
      const live = last && last.type !== IDEMPOTENCY_RELEASE && this.age(last) < this.retentionMs ? last : undefined;
      if (!live) {
        // A new request (or one whose record has expired): claim the key, then decide.
        const revision = await this.appendClaim(streamId, requestHash, request, last ? last.revision : 'no_stream');
        if (revision === undefined) continue; // another instance claimed first: read its claim
        return { claim: { streamId, revision, requestHash, request } };
      }
      const recorded = live.data as KeyRecordData;
      if (recorded.requestHash !== requestHash) throw reused();
      if (live.type === IDEMPOTENCY_RECORD) return { replay: recorded.answer! };
      // An unanswered claim: its owner is deciding, or died while deciding.
      if (this.ownerGone(streamId, recorded.owner, live)) {
        const revision = await this.appendClaim(streamId, requestHash, request, live.revision);
        if (revision === undefined) continue;
        const takenOverSince = useStartedAt(await this.eventStore.readStream(streamId));
        return { claim: { streamId, revision, requestHash, request, takenOverSince } };
      }
      if (Date.now() > waitUntil) throw inProgress();
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  /** Waits for the previous turn on the key stream in this process; resolves with this turn's end. */
  private async takeTurn(streamId: string): Promise<() => void> {
    const previous = this.turns.get(streamId) ?? Promise.resolve();
    let endTurn!: () => void;
    const mine = new Promise<void>((resolve) => (endTurn = resolve));
    const tail = previous.then(() => mine);
    this.turns.set(streamId, tail);
    void tail.then(() => {
      if (this.turns.get(streamId) === tail) this.turns.delete(streamId);
    });
    await previous;
    return endTurn;
  }

  /** Appends a claim at `expected`; undefined when another instance got there first. */
  private async appendClaim(
    streamId: string,
    requestHash: string,
    request: KeyedRequest,
    expected: ExpectedRevision,
  ): Promise<number | undefined> {
    try {
      const data = { requestHash, route: request.route, owner: OWNER };
      return (await this.append(streamId, IDEMPOTENCY_CLAIM, data, request, expected)).nextRevision;
    } catch (error) {
      if (error instanceof RevisionConflict) return undefined;
      throw error;
    }
  }

  private append(
    streamId: string,
    type: string,
    data: KeyRecordData,
    request: KeyedRequest,
    expected: ExpectedRevision,
  ) {
    const record: PendingEvent = {
      type,
      data,
      // A system record: nothing was decided, so it names no policy (SystemRecordMetadata).
      metadata: {
        eventId: randomUUID(),
        occurredAt: this.clock.now().toISOString(),
        actor: { sub: request.actor, name: request.actor, role: 'SYSTEM' },
        correlationId: randomUUID(),
        causationId: randomUUID(),
        idempotencyKey: request.key,
        schemaVersion: 1,
      },
    };
    return this.eventStore.append(streamId, [record], expected);
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
   * Is the claim's owner gone? This process: when it holds no claim on the key (its attempt ended
   * without an answer). Another process on this host: when it no longer runs (or its pid now
   * belongs to this process). Elsewhere: when the lease has passed.
   */
  private ownerGone(streamId: string, owner: Owner | undefined, claim: StoredEvent): boolean {
    if (owner?.instance === OWNER.instance) return !this.held.has(streamId);
    const samePidSpace =
      owner && owner.host === OWNER.host && OWNER.pidNamespace !== null && owner.pidNamespace === OWNER.pidNamespace;
    if (owner && samePidSpace && (owner.pid === OWNER.pid || !processRuns(owner.pid))) return true;
    return this.age(claim) >= LEASE_MS;
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
    'A request with this Idempotency-Key is still being decided; nothing was changed by this one. ' +
      'Retry shortly for its answer.',
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
