import type { EventMetadata, PendingEvent } from './envelope';

/** DI token for the event store port. */
export const EVENT_STORE = Symbol('EVENT_STORE');

/**
 * Where a stream is expected to be before an append:
 * - a number: the stream's last revision must be exactly this (0-based, as in EventStoreDB);
 * - 'no_stream': the stream must not exist yet;
 * - 'any': no check (the adapter still chains hashes onto the real head).
 */
export type ExpectedRevision = number | 'no_stream' | 'any';

/**
 * An opaque, lossless, totally ordered position in the global log ($all).
 * SQLite: the decimal sequence number ("42"). EventStoreDB: "commit/prepare", both 64-bit
 * decimals. Compare with `comparePositions`, never as plain strings.
 */
export type Position = string;

export interface StoredEvent {
  streamId: string;
  /** 0-based revision within the stream. */
  revision: number;
  /** Position in the global log. */
  position: Position;
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
}

/** An event whose data is left as the stored JSON text (for streaming exports). */
export interface StoredEventText extends Omit<StoredEvent, 'data'> {
  dataJson: string;
}

/** An event exactly as stored: type, data and metadata as the stored JSON texts. */
export interface StoredEventRaw {
  streamId: string;
  revision: number;
  position: Position;
  type: string;
  dataJson: string;
  metadataJson: string;
}

export interface AppendResult {
  /** Revision of the last appended event. */
  nextRevision: number;
  /** Global position of the last appended event. */
  position: Position;
}

export interface ReadStreamOptions {
  fromRevision?: number;
  /** Inclusive. */
  toRevision?: number;
}

export interface ReadAllOptions {
  /** Exclusive: events strictly after this position. Undefined = from the start. */
  after?: Position;
  limit: number;
  /** Only these event types (server-side filter where the store supports it). */
  types?: readonly string[];
  /**
   * Read the stored bytes, never an in-memory copy the adapter keeps for live readers.
   * Verification (audit) reads this way, so a changed byte in the store cannot hide behind a cache.
   */
  fromStorage?: boolean;
  /**
   * Most events one call examines where the adapter filters on its side (EventStoreDB: reads of
   * $all take no server-side filter, so system events and other types are skipped here). When the
   * bound stops the scan, fewer than `limit` events, possibly none, come back although more may
   * follow: callers that page use `scanAll`, which says where to continue. Default: unbounded
   * without `types` (only system events are skipped), DEFAULT_MAX_SCAN with `types`. An adapter
   * that filters through an index (SQLite) may ignore it.
   */
  maxScan?: number;
}

/** Default for ReadAllOptions.maxScan. */
export const DEFAULT_MAX_SCAN = 4096;

/** One bounded step of a scan of $all. */
export interface ScanResult<E = StoredEvent> {
  /** The matching events, in global order (at most `limit`). */
  events: E[];
  /**
   * The last position examined, matching or not (≥ the last event's position): the next call
   * continues with `after: scannedTo`. Undefined when nothing after `after` was examined.
   */
  scannedTo?: Position;
  /** The scan reached the end of the log: nothing more matches now. */
  end: boolean;
}

export interface SubscribeAllOptions {
  after?: Position;
  types?: readonly string[];
  /**
   * Called with a position up to which the store has looked for matching events (a filtered
   * subscription's checkpoint, EventStoreDB `checkpointReached`): no event of `types` at or
   * before it is still to be delivered. Lets a reader of rare types know it is caught up
   * without scanning the log itself.
   */
  onCheckpoint?: (position: Position) => void | Promise<void>;
}

/** A running catch-up-then-live subscription. */
export interface Subscription {
  /** Stops delivery; resolves when no handler call is in flight any more. */
  stop(): Promise<void>;
  /** Resolves (or rejects) when the subscription ends, by stop() or by an error. */
  readonly done: Promise<void>;
}

export type EventHandler = (event: StoredEvent) => Promise<void> | void;

/**
 * The event store port. Adapters: SQLite (embedded default) and EventStoreDB.
 * Events are facts: the port offers no update and no delete.
 */
export interface EventStore {
  /**
   * Appends events to one stream atomically. The adapter fills `prevHash`/`hash` by chaining
   * onto the stream's real head with `chainEnvelopes` (one implementation for all adapters).
   * @throws RevisionConflict when the expectation does not hold.
   */
  append(streamId: string, events: readonly PendingEvent[], expected: ExpectedRevision): Promise<AppendResult>;
  /** Events of one stream in revision order; [] when the stream does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]>;
  /**
   * Events of all streams in global order, system events excluded. With `types`, bounded by
   * `maxScan` where the adapter filters on its side: an empty or short result then does not
   * prove that nothing of those types follows (use scanAll, or a subscription's onCheckpoint).
   */
  readAll(options: ReadAllOptions): Promise<StoredEvent[]>;
  /** As readAll, and says how far it looked and whether it reached the end of the log. */
  scanAll(options: ReadAllOptions): Promise<ScanResult>;
  /**
   * Optional: as readAll, but each event's data stays the stored JSON text. Lets a full export
   * stream a million events without parsing and re-serialising every payload.
   */
  readAllText?(options: ReadAllOptions): Promise<StoredEventText[]>;
  /**
   * Optional: as readAll (system events excluded, from storage), but each event exactly as the
   * stored texts. Verification reads this way so an event whose stored bytes no longer parse is
   * named like any other broken event instead of failing the whole read.
   */
  readAllRaw?(options: ReadAllOptions): Promise<StoredEventRaw[]>;
  /**
   * Optional: one stream's events as the stored texts, read from storage. Lets a cache of parsed
   * events prove, cheaply, that what it holds is still byte for byte what is stored.
   */
  readStreamText?(streamId: string, options?: ReadStreamOptions): Promise<StoredEventRaw[]>;
  /** Optional: the stream's newest event only (one indexed read), undefined without a stream. */
  readLastEvent?(streamId: string): Promise<StoredEvent | undefined>;
  /**
   * Optional: a token that stays the same only while no stored event can have changed except by
   * this instance's own appends (SQLite: PRAGMA data_version, which moves when another connection
   * commits to the file). While it holds, a cache proven equal to storage stays proven for the
   * events it holds and only needs what was appended since.
   */
  storageVersion?(): Promise<string>;
  /**
   * Optional: a structural check of the storage itself (SQLite `PRAGMA quick_check`), which finds
   * damaged pages no read has touched yet. Throws StoreCorrupt when the storage is damaged.
   */
  checkStorage?(): Promise<void>;
  /**
   * Catch up from `after`, then follow live. The handler is awaited: events are delivered one
   * at a time, in global order. A handler error ends the subscription (done rejects).
   */
  subscribeAll(options: SubscribeAllOptions, handler: EventHandler): Subscription;
  /**
   * Is `position` one this store issued, so that reading or subscribing after it is meaningful?
   * SQLite: a decimal sequence number not beyond the head. EventStoreDB: "commit/prepare" of an
   * existing event ("0/0", the start of the log, too). False for anything else (a position of
   * the other store kind, a made-up number); throws StoreUnavailable when the store cannot say.
   * Callers refuse client-given positions that fail it with 400.
   */
  checkPosition(position: string): Promise<boolean>;
  /** Position of the newest event, undefined when the store is empty. */
  headPosition(): Promise<Position | undefined>;
  /** Throws when the store cannot serve (used by /health). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The stream does not stand where the caller expected it. */
export class RevisionConflict extends Error {
  readonly code = 'REVISION_CONFLICT';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** The stream's actual last revision, -1 when it does not exist, undefined if unknown. */
    readonly actual: number | undefined,
  ) {
    super(
      `stream ${streamId}: expected revision ${String(expected)}, actual ${actual === undefined ? 'unknown' : actual}`,
    );
    this.name = 'RevisionConflict';
  }
}

/**
 * The store refuses a position as not one of its own (EventStoreDB answers InvalidArgument
 * "Trying to read from an invalid position"). Not transient: retrying from the same position
 * fails the same way, so subscribers must stop or reset instead of restarting (maps to 400).
 */
export class InvalidPosition extends Error {
  readonly code = 'INVALID_POSITION';
  constructor(
    readonly position: string | undefined,
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'InvalidPosition';
  }
}

/** The store cannot be reached or refuses to write (maps to 503). */
export class StoreUnavailable extends Error {
  readonly code = 'STORE_UNAVAILABLE';
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'StoreUnavailable';
  }
}

/**
 * The store's storage is damaged (SQLite: SQLITE_CORRUPT, SQLITE_NOTADB). Unlike StoreUnavailable
 * this does not pass by retrying: operators must restore from a backup. Maps to 500 STORE_CORRUPT.
 */
export class StoreCorrupt extends Error {
  readonly code = 'STORE_CORRUPT';
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'StoreCorrupt';
  }
}

/**
 * The append was sent but the store did not confirm it (a timeout, a connection lost mid-call):
 * the events may or may not be stored. Never answered as "nothing was changed".
 */
export class AppendOutcomeUnknown extends StoreUnavailable {
  constructor(message: string, cause?: unknown) {
    super(message, cause);
    this.name = 'AppendOutcomeUnknown';
  }
}
