import type { HashAlg } from '../infrastructure/crypto-suite';
import { createHash } from 'node:crypto';
import {
  BACKWARDS,
  END,
  ErrorType,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  excludeSystemEvents,
  eventTypeFilter,
  jsonEvent,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type AppendExpectedRevision,
  type Filter,
  type Position as EsdbPosition,
  type ReadPosition,
  type RecordedEvent,
  type StreamingRead,
} from '@eventstore/db-client';
import { GENESIS_HASH, chainEnvelopes, type EventMetadata, type PendingEvent } from './envelope';
import {
  AppendOutcomeUnknown,
  DEFAULT_MAX_SCAN,
  InvalidPosition,
  RevisionConflict,
  StoreUnavailable,
  type AppendResult,
  type EventHandler,
  type EventStore,
  type ExpectedRevision,
  type Position,
  type ReadAllOptions,
  type ReadStreamOptions,
  type ScanResult,
  type StoredEvent,
  type SubscribeAllOptions,
  type Subscription,
} from './event-store.port';
import { comparePositions, parsePosition } from './position';

export interface EventStoreDbOptions {
  /** Recorded on and used for each new event's hash (CRYPTO_SUITE=gm: 'sm3'); unset: sha256 as always. */
  hashAlg?: HashAlg;
  /** Upper bound for one append (read head + append + read back). */
  writeTimeoutMs?: number;
  /** Upper bound for one read call (a whole stream, or one page of $all). */
  readTimeoutMs?: number;
  /** Upper bound for ping(); /health must answer quickly even when the server is gone. */
  pingTimeoutMs?: number;
  /** Attempts for an 'any' append that loses a race against another writer. */
  anyRetries?: number;
  /** Page size when scanning $all (system events are filtered out on our side). */
  allPageSize?: number;
  /** Default ReadAllOptions.maxScan: most events one readAll/scanAll examines. */
  maxScan?: number;
  /**
   * Filtered subscriptions report a checkpoint every `checkpointInterval` × 32 events the server
   * examined (KurrentDB: multiplier × maxSearchWindow, 32 by default), and once when catching up
   * ends. 32 → about every 1,000 events.
   */
  checkpointInterval?: number;
}

const DEFAULTS: Required<Omit<EventStoreDbOptions, 'hashAlg'>> = {
  writeTimeoutMs: 10_000,
  readTimeoutMs: 30_000,
  pingTimeoutMs: 2_000,
  anyRetries: 5,
  allPageSize: 256,
  maxScan: DEFAULT_MAX_SCAN,
  checkpointInterval: 32,
};

/** Largest value of a server position part (the server keeps them as signed 64-bit). */
const MAX_POSITION = 0x7fff_ffff_ffff_ffffn;

/** 2^64 - 1: what servers before 22.6 put in the commit position of events read from a stream. */
const UNKNOWN_COMMIT = 0xffff_ffff_ffff_ffffn;

// ---------------------------------------------------------------------------------------------
// Pure helpers (exported for unit tests)
// ---------------------------------------------------------------------------------------------

/** "commit/prepare" from the client's bigint pair, losslessly (never through Number). */
export function encodePosition(position: EsdbPosition): Position {
  return `${position.commit.toString(10)}/${position.prepare.toString(10)}`;
}

/** The client's bigint pair from "commit/prepare" ("C" alone means C/C, as position.ts reads it). */
export function decodePosition(position: Position): EsdbPosition {
  return parsePosition(position);
}

/**
 * Servers before 22.6 do not know an event's commit position when it is read from a stream
 * (KurrentDB PR #3459) and send 2^64-1. gRPC cannot write explicit transactions, so every event
 * is committed where it is prepared (commit == prepare), and the prepare position stands in.
 */
export function normalizePosition(position: EsdbPosition | undefined): EsdbPosition | undefined {
  if (!position) return undefined;
  if (position.commit === UNKNOWN_COMMIT) {
    return position.prepare === UNKNOWN_COMMIT ? undefined : { commit: position.prepare, prepare: position.prepare };
  }
  return position;
}

/** System events ($>, $metadata, $statistics…): the same rule as the server's excludeSystemEvents(). */
export function isSystemEventType(type: string): boolean {
  return type.startsWith('$');
}

/** Stream revisions are unsigned 64-bit; ours stay far below 2^53, and we refuse to round silently. */
export function revisionToNumber(revision: bigint): number {
  if (revision < 0n || revision > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new Error(`stream revision ${revision} does not fit a JavaScript number`);
  }
  return Number(revision);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * EventStoreDB event ids must be UUIDs. Ours normally are; anything else is mapped to a
 * deterministic name-based UUID (SHA-1, version 5 layout) so a retried append still carries the
 * same id and the server can deduplicate it.
 */
export function toEventStoreDbId(eventId: string): string {
  if (UUID.test(eventId)) return eventId.toLowerCase();
  const bytes = createHash('sha1').update(`ordos-event:${eventId}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** An anchored .NET/JS-compatible regex matching exactly these event types. */
export function eventTypesRegex(types: readonly string[]): string {
  const escaped = types.map((t) => t.replace(/[.*+?^${}()|[\]\\#\s-]/g, (c) => `\\${c}`));
  return `^(?:${escaped.join('|')})$`;
}

/**
 * Does `type` pass the port's filter: never a system event, and one of `types` when a non-empty
 * list is given (an empty list filters nothing, as in the SQLite adapter).
 */
export function acceptsEventType(type: string, types: readonly string[] | undefined): boolean {
  if (isSystemEventType(type)) return false;
  return types === undefined || types.length === 0 || types.includes(type);
}

function isClientError(error: unknown, type: ErrorType): boolean {
  return typeof error === 'object' && error !== null && (error as { type?: unknown }).type === type;
}

/** The actual revision carried by a WrongExpectedVersionError: -1 for no stream, undefined if unknown. */
export function actualRevisionOf(error: unknown): number | undefined {
  const actual = (error as { actualVersion?: unknown } | null)?.actualVersion;
  if (typeof actual === 'bigint') return actual <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(actual) : undefined;
  if (actual === NO_STREAM) return -1;
  return undefined;
}

const UNAVAILABLE_TYPES: readonly ErrorType[] = [
  ErrorType.UNAVAILABLE,
  ErrorType.DEADLINE_EXCEEDED,
  ErrorType.TIMEOUT,
  ErrorType.NOT_LEADER,
  ErrorType.CANCELLED,
];
/** gRPC status codes: CANCELLED 1, DEADLINE_EXCEEDED 4, ABORTED 10, UNAVAILABLE 14. */
const UNAVAILABLE_CODES: readonly number[] = [1, 4, 10, 14];

/**
 * Maps client errors onto the port: connection trouble becomes StoreUnavailable (503), our own
 * errors pass through, anything else (access denied, bad argument…) is rethrown as it is.
 */
export function toPortError(error: unknown, what: string, position?: Position): unknown {
  if (error instanceof RevisionConflict || error instanceof StoreUnavailable || error instanceof InvalidPosition)
    return error;
  if (isInvalidPositionError(error)) {
    return new InvalidPosition(position, `EventStoreDB ${what}: ${(error as Error).message}`, error);
  }
  const type = (error as { type?: unknown } | null)?.type;
  const code = (error as { code?: unknown } | null)?.code;
  if (
    (typeof type === 'string' && UNAVAILABLE_TYPES.includes(type as ErrorType)) ||
    (typeof code === 'number' && UNAVAILABLE_CODES.includes(code)) ||
    (typeof code === 'string' &&
      ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EAI_AGAIN'].includes(code)) ||
    (error instanceof Error &&
      /failed to discover|connect(ion)? (refused|failed)|no connection established/i.test(error.message))
  ) {
    const message = error instanceof Error && error.message ? error.message : String(error);
    return new StoreUnavailable(`EventStoreDB ${what}: ${message}`, error);
  }
  return error;
}

/**
 * The server's answer to a read or subscription from a position that is not a record boundary
 * of its log: gRPC InvalidArgument "Trying to read from an invalid position." (KurrentDB
 * RpcExceptions.InvalidPositionException). The client has no class for it and hands it over as
 * an UnknownError carrying the gRPC code 3.
 */
export function isInvalidPositionError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, type, message } = error as { code?: unknown; type?: unknown; message?: unknown };
  const invalidArgument = code === 3 || type === ErrorType.INVALID_ARGUMENT;
  return invalidArgument && typeof message === 'string' && /invalid position/i.test(message);
}

/** "commit/prepare" as the server accepts it: two decimals, each at most 2^63-1. */
export function isEventStoreDbPosition(position: string): boolean {
  const match = /^(\d{1,19})\/(\d{1,19})$/.exec(position);
  return match !== null && BigInt(match[1]) <= MAX_POSITION && BigInt(match[2]) <= MAX_POSITION;
}

/** What the subscription's checkpointReached pushes into the event stream (see subscribeAll). */
interface CheckpointMarker {
  readonly checkpoint: EsdbPosition;
}
const CHECKPOINT = Symbol('checkpoint');
function isCheckpointMarker(item: unknown): item is CheckpointMarker {
  return typeof item === 'object' && item !== null && (item as { [CHECKPOINT]?: unknown })[CHECKPOINT] === true;
}

// ---------------------------------------------------------------------------------------------
// The adapter
// ---------------------------------------------------------------------------------------------

/**
 * EventStore port on EventStoreDB / KurrentDB (gRPC, server 22.6 or later for positions on
 * stream reads). The hash chain is kept by reading the stream head and appending with that exact
 * revision, so two writers racing on one stream end in a RevisionConflict, never in a fork.
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly options: Required<Omit<EventStoreDbOptions, 'hashAlg'>> & Pick<EventStoreDbOptions, 'hashAlg'>;
  private readonly subscriptions = new Set<Subscription>();
  private closed = false;

  constructor(
    private readonly client: EventStoreDBClient,
    options: EventStoreDbOptions = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  /**
   * Connects lazily: the client dials on the first call, so the service can start while the
   * database is still coming up and /health (ping) reports it.
   */
  static async connect(connectionString: string, options?: EventStoreDbOptions): Promise<EventStoreDbEventStore> {
    return new EventStoreDbEventStore(EventStoreDBClient.connectionString(connectionString), options);
  }

  async append(streamId: string, events: readonly PendingEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    this.assertOpen();
    if (events.length === 0) throw new Error('append needs at least one event');
    const attempts = expected === 'any' ? Math.max(1, this.options.anyRetries) : 1;
    let lastConflict: unknown;
    for (let attempt = 0; attempt < attempts; attempt++) {
      const progress = { sent: false };
      try {
        return await this.withTimeout(
          this.appendOnce(streamId, events, expected, progress),
          this.options.writeTimeoutMs,
          `append to ${streamId}`,
        );
      } catch (error) {
        if (!isClientError(error, ErrorType.WRONG_EXPECTED_VERSION)) {
          const mapped = toPortError(error, `append to ${streamId}`);
          // Once the append request has left, a timeout or a lost connection says nothing about
          // whether the server committed it: the caller must not be told "nothing was changed".
          if (progress.sent && mapped instanceof StoreUnavailable && !(mapped instanceof AppendOutcomeUnknown)) {
            throw new AppendOutcomeUnknown(mapped.message, error);
          }
          throw mapped;
        }
        // Another writer moved the head between our read and our append. With 'any' the caller
        // does not care where the head is, so chain onto the new head and try again.
        lastConflict = error;
      }
    }
    throw new RevisionConflict(streamId, expected, actualRevisionOf(lastConflict));
  }

  private async appendOnce(
    streamId: string,
    events: readonly PendingEvent[],
    expected: ExpectedRevision,
    progress: { sent: boolean } = { sent: false },
  ): Promise<AppendResult> {
    const head = await this.readHead(streamId);
    const actual = head ? head.revision : -1;
    if (expected === 'no_stream' ? head !== undefined : expected !== 'any' && expected !== actual) {
      throw new RevisionConflict(streamId, expected, actual);
    }
    // A head without a hash was not written through this port; the chain starts afresh there.
    const prevHash = typeof head?.metadata?.hash === 'string' ? head.metadata.hash : GENESIS_HASH;
    const chained = chainEnvelopes(prevHash, events, this.options.hashAlg);
    const expectedRevision: AppendExpectedRevision = head ? BigInt(head.revision) : NO_STREAM;
    progress.sent = true;
    const result = await this.client.appendToStream(
      streamId,
      chained.map((event) =>
        jsonEvent({
          id: toEventStoreDbId(event.metadata.eventId),
          type: event.type,
          data: event.data,
          metadata: event.metadata,
        }),
      ),
      { expectedRevision, deadline: this.options.writeTimeoutMs },
    );
    if (result.success === false) {
      // Only when the connection string sets throwOnAppendFailure=false.
      throw new RevisionConflict(streamId, expected, undefined);
    }
    const nextRevision = revisionToNumber(result.nextExpectedRevision);
    // The events are committed from here on: whatever fails now must not turn into an error, or
    // the caller's retry meets its own write as a RevisionConflict. The server reports the log
    // position of the batch's last record for both parts (KurrentDB WriteEvents.ClientSuccessMsg:
    // CommitPosition, CommitPosition; CommitChased carries the TransactionEnd prepare), and an
    // event written through gRPC sits in $all at (its prepare, its prepare): that is exactly the
    // last event's position. Only when it reports none (NoPosition, e.g. an idempotent replay
    // without a known log position) is the event read back, and that read is best-effort.
    const reported = normalizePosition(result.position);
    if (reported) return { nextRevision, position: encodePosition(reported) };
    const readBack = await this.positionOfRevision(streamId, nextRevision).catch(() => undefined);
    if (readBack) return { nextRevision, position: encodePosition(readBack) };
    // Committed, position unknown: the head of $all is at or after our last event, which keeps
    // read-your-writes waits correct (they wait for a position at least this far).
    const logHead = await this.headPosition().catch(() => undefined);
    if (logHead) return { nextRevision, position: logHead };
    throw new AppendOutcomeUnknown(
      `EventStoreDB append to ${streamId}: committed, but the server reported no position and none could be read`,
    );
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    this.assertOpen();
    const from = options.fromRevision ?? 0;
    if (from < 0 || (options.toRevision !== undefined && options.toRevision < from)) return [];
    const maxCount = options.toRevision === undefined ? undefined : options.toRevision - from + 1;
    const resolved = await this.readStreamRaw(
      streamId,
      {
        fromRevision: from === 0 ? START : BigInt(from),
        direction: FORWARDS,
        ...(maxCount === undefined ? {} : { maxCount }),
      },
      this.options.readTimeoutMs,
    );
    return resolved.flatMap((r) => (r.event ? [toStoredEvent(r.event)] : []));
  }

  async readAll(options: ReadAllOptions): Promise<StoredEvent[]> {
    return (await this.scanAll(options)).events;
  }

  /**
   * @eventstore/db-client 6.2.1 offers no server-side filter on reads of $all (readAll always
   * sends NoFilter; only subscribeToAll takes one), so pages are scanned here and system events /
   * other types skipped, at most `maxScan` events per call: a reader of rare types pages on with
   * `scannedTo` instead of one call scanning the whole log.
   */
  async scanAll(options: ReadAllOptions): Promise<ScanResult> {
    this.assertOpen();
    const after = options.after;
    if (options.limit <= 0) return { events: [], scannedTo: after, end: false };
    // The default bound applies to type-filtered reads, whose matches may be rare. Without types
    // only system events are skipped, and callers such as the integrity check read "empty" as
    // "the end": they keep the unbounded scan unless they ask for a bound.
    const typed = options.types !== undefined && options.types.length > 0;
    const maxScan = Math.max(1, options.maxScan ?? (typed ? this.options.maxScan : Number.POSITIVE_INFINITY));
    const found: StoredEvent[] = [];
    let cursor: EsdbPosition | undefined = after === undefined ? undefined : decodePosition(after);
    let last: Position | undefined = after;
    let scanned = 0;
    const pageSize = Math.max(this.options.allPageSize, 2);
    for (;;) {
      // fromPosition is inclusive: one more than needed, the first is usually `after` itself.
      const want = Number.isFinite(maxScan) ? Math.min(pageSize, maxScan - scanned + 1) : pageSize;
      const page = await this.readAllPage(
        { fromPosition: cursor ?? START, direction: FORWARDS, maxCount: Math.max(want, 2) },
        after,
      );
      let advanced = false;
      for (const resolved of page) {
        const event = resolved.event;
        if (!event) continue;
        const position = encodePosition(event.position);
        // fromPosition is inclusive on reads; the port's `after` is exclusive.
        if (last !== undefined && comparePositions(position, last) <= 0) continue;
        last = position;
        cursor = event.position;
        advanced = true;
        scanned += 1;
        if (acceptsEventType(event.type, options.types)) {
          found.push(toStoredEvent(event, event.position));
          if (found.length >= options.limit) return { events: found, scannedTo: last, end: false };
        }
        if (scanned >= maxScan) return { events: found, scannedTo: last, end: false };
      }
      if (page.length < Math.max(want, 2) || !advanced) return { events: found, scannedTo: last, end: true };
    }
  }

  async checkPosition(position: string): Promise<boolean> {
    this.assertOpen();
    // "0" (the API's "from the beginning") and "0/0" are the start of the log.
    if (position === '0' || position === '0/0') return true;
    if (!isEventStoreDbPosition(position)) return false;
    const wanted = decodePosition(position);
    try {
      const [first] = await this.collect(
        () =>
          this.client.readAll({
            fromPosition: wanted,
            direction: FORWARDS,
            maxCount: 1,
            deadline: this.options.readTimeoutMs,
          }),
        this.options.readTimeoutMs,
        'check of a position',
      );
      const found = first?.event?.position;
      return found !== undefined && found.commit === wanted.commit && found.prepare === wanted.prepare;
    } catch (error) {
      const mapped = toPortError(error, 'check of a position', position);
      if (mapped instanceof InvalidPosition) return false;
      throw mapped;
    }
  }

  subscribeAll(options: SubscribeAllOptions, handler: EventHandler): Subscription {
    if (this.closed) {
      const failed = Promise.reject(new StoreUnavailable('EventStoreDB event store is closed'));
      failed.catch(() => undefined);
      return { done: failed, stop: async () => undefined };
    }
    const onCheckpoint = options.onCheckpoint;
    // The client awaits checkpointReached inside the stream's transform, i.e. possibly while
    // events before the checkpoint still wait in the readable buffer for our handler. Calling
    // onCheckpoint from there could let a reader record a checkpoint past events it has not
    // handled. So the checkpoint is pushed into the same stream, behind those events, and
    // delivered by the loop below in order.
    const checkpointReached = onCheckpoint
      ? (subscription: AllStreamSubscription, position: EsdbPosition) => {
          const marker = { [CHECKPOINT]: true, checkpoint: position };
          (subscription as unknown as { push(chunk: unknown): boolean }).push(marker);
        }
      : undefined;
    const filterOptions = {
      checkpointInterval: this.options.checkpointInterval,
      ...(checkpointReached ? { checkpointReached } : {}),
    };
    const filter: Filter =
      options.types && options.types.length > 0
        ? eventTypeFilter({ regex: eventTypesRegex(options.types), ...filterOptions })
        : excludeSystemEvents(filterOptions);
    const stream = this.client.subscribeToAll({
      fromPosition: options.after === undefined ? START : decodePosition(options.after),
      filter,
    });
    let stopped = false;
    let last = options.after;

    const run = async (): Promise<void> => {
      try {
        // The async iterator pulls one event at a time: the handler is awaited before the next
        // one is taken, which keeps global order and applies back-pressure to the gRPC stream.
        for await (const item of stream as AsyncIterable<AllStreamResolvedEvent | CheckpointMarker>) {
          if (stopped) break;
          if (isCheckpointMarker(item)) {
            // Server checkpoints are positions up to which it has looked (KurrentDB
            // AllSubscriptionFiltered: "checkpoints equal to or after" the last event sent).
            if (onCheckpoint) await onCheckpoint(encodePosition(item.checkpoint));
            continue;
          }
          const resolved = item;
          const event = resolved.event;
          if (!event) continue;
          const position = encodePosition(event.position);
          if (last !== undefined && comparePositions(position, last) <= 0) continue;
          last = position;
          if (!acceptsEventType(event.type, options.types)) continue;
          await handler(toStoredEvent(event, event.position));
        }
        if (!stopped) throw new StoreUnavailable('EventStoreDB subscription to $all ended by the server');
      } catch (error) {
        // After stop() every error is the echo of our own cancellation (or a handler that was
        // already running when the caller asked us to stop): stop() wins.
        if (stopped) return;
        throw toPortError(error, 'subscription to $all', options.after);
      } finally {
        await stream.unsubscribe().catch(() => undefined);
      }
    };

    const done = run();
    // Keep an unobserved failure from becoming an unhandled rejection; callers awaiting `done`
    // still see it.
    done.catch(() => undefined);
    const subscription: Subscription = {
      done,
      stop: async () => {
        if (!stopped) {
          stopped = true;
          await stream.unsubscribe().catch(() => undefined);
        }
        await done.catch(() => undefined);
        this.subscriptions.delete(subscription);
      },
    };
    this.subscriptions.add(subscription);
    done.finally(() => this.subscriptions.delete(subscription)).catch(() => undefined);
    return subscription;
  }

  async headPosition(): Promise<Position | undefined> {
    this.assertOpen();
    const pageSize = 32;
    let cursor: ReadPosition = END;
    let last: Position | undefined;
    for (;;) {
      const page = await this.readAllPage({ fromPosition: cursor, direction: BACKWARDS, maxCount: pageSize });
      let advanced = false;
      for (const resolved of page) {
        const event = resolved.event;
        if (!event) continue;
        const position = encodePosition(event.position);
        if (last !== undefined && comparePositions(position, last) >= 0) continue;
        last = position;
        cursor = event.position;
        advanced = true;
        if (!isSystemEventType(event.type)) return position;
      }
      if (page.length < pageSize || !advanced) return undefined;
    }
  }

  async ping(): Promise<void> {
    this.assertOpen();
    try {
      await this.collect(
        () =>
          this.client.readAll({
            fromPosition: END,
            direction: BACKWARDS,
            maxCount: 1,
            deadline: this.options.pingTimeoutMs,
          }),
        this.options.pingTimeoutMs,
        'ping',
      );
    } catch (error) {
      const mapped = toPortError(error, 'ping');
      if (mapped instanceof StoreUnavailable) throw mapped;
      throw new StoreUnavailable(`EventStoreDB ping: ${error instanceof Error ? error.message : String(error)}`, error);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.subscriptions].map((s) => s.stop()));
    await this.client.dispose();
  }

  // -------------------------------------------------------------------------------------------

  private assertOpen(): void {
    if (this.closed) throw new StoreUnavailable('EventStoreDB event store is closed');
  }

  /** The stream's last event, or undefined when the stream does not exist. */
  async readLastEvent(streamId: string): Promise<StoredEvent | undefined> {
    this.assertOpen();
    const [resolved] = await this.readStreamRaw(
      streamId,
      { fromRevision: END, direction: BACKWARDS, maxCount: 1 },
      this.options.readTimeoutMs,
    );
    return resolved?.event ? toStoredEvent(resolved.event) : undefined;
  }

  private async readHead(
    streamId: string,
  ): Promise<{ revision: number; metadata: Partial<EventMetadata> | undefined } | undefined> {
    const [resolved] = await this.readStreamRaw(
      streamId,
      { fromRevision: END, direction: BACKWARDS, maxCount: 1 },
      this.options.writeTimeoutMs,
    );
    if (!resolved?.event) return undefined;
    const metadata = resolved.event.metadata;
    return {
      revision: revisionToNumber(resolved.event.revision),
      metadata:
        metadata && typeof metadata === 'object' && !(metadata instanceof Uint8Array)
          ? (metadata as Partial<EventMetadata>)
          : undefined,
    };
  }

  private async positionOfRevision(streamId: string, revision: number): Promise<EsdbPosition | undefined> {
    const [resolved] = await this.readStreamRaw(
      streamId,
      { fromRevision: BigInt(revision), direction: FORWARDS, maxCount: 1 },
      this.options.writeTimeoutMs,
    );
    return normalizePosition(resolved?.event?.position);
  }

  private async readStreamRaw(
    streamId: string,
    options: Parameters<EventStoreDBClient['readStream']>[1],
    timeoutMs: number,
  ): Promise<{ event?: RecordedEvent }[]> {
    try {
      return await this.collect(() => this.client.readStream(streamId, options), timeoutMs, `read of ${streamId}`);
    } catch (error) {
      if (isClientError(error, ErrorType.STREAM_NOT_FOUND)) return [];
      throw toPortError(error, `read of ${streamId}`);
    }
  }

  private async readAllPage(
    options: Parameters<EventStoreDBClient['readAll']>[0],
    from?: Position,
  ): Promise<AllStreamResolvedEvent[]> {
    try {
      return await this.collect(() => this.client.readAll(options), this.options.readTimeoutMs, 'read of $all');
    } catch (error) {
      throw toPortError(error, 'read of $all', from);
    }
  }

  /**
   * Drains a streaming read. The client runs reads with no gRPC deadline at all (it passes
   * Infinity, whatever `deadline` says), so the bound is enforced here and the call cancelled.
   */
  private async collect<T>(open: () => StreamingRead<T>, timeoutMs: number, what: string): Promise<T[]> {
    const read = open();
    const items: T[] = [];
    const drain = (async () => {
      for await (const item of read) items.push(item);
    })();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new StoreUnavailable(`EventStoreDB ${what}: no answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      await Promise.race([drain, timeout]);
      return items;
    } catch (error) {
      drain.catch(() => undefined);
      await read.cancel().catch(() => undefined);
      read.destroy();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  private async withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      // The outcome of a timed-out append is unknown: it may still commit. A retry carries the
      // same event ids, and the head check turns it into a RevisionConflict rather than a fork.
      timer = setTimeout(
        () => reject(new StoreUnavailable(`EventStoreDB ${what}: no answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    promise.catch(() => undefined);
    try {
      return await Promise.race([promise, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

function toStoredEvent(event: RecordedEvent, allPosition?: EsdbPosition): StoredEvent {
  const position = normalizePosition(allPosition ?? event.position);
  if (!position) {
    throw new StoreUnavailable(
      `EventStoreDB returned ${event.streamId}@${event.revision} without a position (server older than 22.6?)`,
    );
  }
  const data =
    event.isJson && event.data && typeof event.data === 'object' && !Array.isArray(event.data) ? event.data : {};
  const metadata =
    event.metadata && typeof event.metadata === 'object' && !(event.metadata instanceof Uint8Array)
      ? event.metadata
      : {};
  return {
    streamId: event.streamId,
    revision: revisionToNumber(event.revision),
    position: encodePosition(position),
    type: event.type,
    data: data as Record<string, unknown>,
    metadata: metadata as unknown as EventMetadata,
  };
}
