import type { HashAlg } from '../infrastructure/crypto-suite';
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { chainEnvelopes, GENESIS_HASH, type EventMetadata, type PendingEvent } from './envelope';
import {
  RevisionConflict,
  StoreCorrupt,
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
  type StoredEventRaw,
  type StoredEventText,
  type SubscribeAllOptions,
  type Subscription,
} from './event-store.port';
import { comparePositions, parsePosition } from './position';

interface EventRow {
  position: number;
  stream: string;
  revision: number;
  type: string;
  data: string;
  metadata: string;
}

interface PendingAppend {
  streamId: string;
  events: readonly PendingEvent[];
  expected: ExpectedRevision;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

export interface SqliteEventStoreOptions {
  /** Recorded on and used for each new event's hash (CRYPTO_SUITE=gm: 'sm3'); unset: sha256 as always. */
  hashAlg?: HashAlg;
  /**
   * 'FULL' (default) fsyncs the WAL at every commit, so an answered command survives a power
   * loss; 'NORMAL' survives process crashes only. Group commit amortises the fsync.
   */
  synchronous?: 'FULL' | 'NORMAL';
  /** Largest number of queued appends written in one transaction. */
  maxGroupSize?: number;
  /** How often other processes' commits are noticed (PRAGMA data_version, no disk read). */
  crossProcessPollMs?: number;
  /** How many of the newest events are kept parsed in memory for live readers. */
  recentEvents?: number;
  /**
   * Refuse to create the file (tools such as the CLI): pointed at the wrong directory they must
   * fail, not verify a fresh empty store and report it intact.
   */
  fileMustExist?: boolean;
  /**
   * The first ping checks every page (PRAGMA quick_check) of a file up to this size (default
   * 64 MiB, a fraction of a second); a larger file is left to verify, which always checks, since
   * the check blocks the event loop for as long as it reads.
   */
  pingCheckMaxBytes?: number;
}

/** `fileMustExist` was asked for and there is no event store file at that path. */
export class EventStoreFileMissing extends Error {
  constructor(readonly file: string) {
    super(`no event store at ${file}`);
    this.name = 'EventStoreFileMissing';
  }
}

/** Types starting with '$' are the store's own (e.g. seals); readAll and subscriptions skip them. */
const isSystemType = (type: string) => type.startsWith('$');

/**
 * The embedded event store: one SQLite file in WAL mode. Appends from concurrent commands are
 * grouped into one transaction (group commit); each append is still checked against its own
 * expected revision inside a savepoint, so one conflict never fails its neighbours.
 */
export class SqliteEventStore implements EventStore {
  private readonly db: Database.Database;
  private readonly queue: PendingAppend[] = [];
  private flushScheduled = false;
  private readonly listeners = new Set<() => void>();
  private readonly poller: NodeJS.Timeout;
  private dataVersion: number;
  private closed = false;
  private readonly maxGroupSize: number;
  /**
   * The newest events by position, filled at commit time: live readers (projections,
   * subscriptions) get them without a query or a JSON parse. Stored events are immutable, so
   * sharing the objects is safe as long as readers do not mutate them (none does).
   */
  private readonly recent = new Map<number, StoredEvent>();
  private readonly recentLimit: number;
  private staged: StoredEvent[] = [];
  private newest = 0;
  /** Another process wrote this file: the in-memory head can no longer be trusted. */
  private foreignSeen = false;
  /**
   * Set once a read met a damaged page: damage does not heal, so every later read and ping fails
   * with it (and /health reports it) instead of answering from whatever pages still read.
   */
  private corrupt?: StoreCorrupt;
  private storageChecked = false;
  private readonly pingCheckMaxBytes: number;
  private readonly savepoint: { begin: Database.Statement; release: Database.Statement; rollback: Database.Statement };
  private readonly statements: {
    head: Database.Statement<[string], { revision: number; metadata: string }>;
    last: Database.Statement<[string], EventRow>;
    insert: Database.Statement<[string, number, string, string, string]>;
    readStream: Database.Statement<[string, number, number], EventRow>;
    readAll: Database.Statement<[number, number], EventRow>;
    lastRow: Database.Statement<[], { position: number }>;
    dataVersion: Database.Statement<[], number>;
    headPosition: Database.Statement<[], { position: number | null }>;
    lastSequence: Database.Statement<[], { position: number | null }>;
  };

  static open(file: string, options: SqliteEventStoreOptions = {}): SqliteEventStore {
    if (options.fileMustExist && file !== ':memory:') {
      if (!existsSync(file)) throw new EventStoreFileMissing(file);
    } else if (file !== ':memory:') {
      mkdirSync(dirname(file), { recursive: true });
    }
    let db: Database.Database | undefined;
    try {
      db = new Database(file, { fileMustExist: options.fileMustExist === true && file !== ':memory:' });
      return new SqliteEventStore(db, options);
    } catch (error) {
      db?.close();
      if (isCorruption(error)) throw new StoreCorrupt('event store file is damaged', error);
      if (options.fileMustExist && (error as { code?: unknown })?.code === 'SQLITE_CANTOPEN')
        throw new EventStoreFileMissing(file);
      throw error;
    }
  }

  private readonly hashAlg?: HashAlg;

  private constructor(db: Database.Database, options: SqliteEventStoreOptions) {
    this.db = db;
    this.hashAlg = options.hashAlg;
    this.maxGroupSize = options.maxGroupSize ?? 256;
    this.recentLimit = options.recentEvents ?? 8192;
    this.pingCheckMaxBytes = options.pingCheckMaxBytes ?? 64 * 1024 * 1024;
    // The wait first: another process opening the same fresh file may hold the lock that switching
    // to WAL needs, and without a busy timeout the second start-up fails at once (SQLITE_BUSY).
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    db.exec(`
      CREATE TABLE IF NOT EXISTS events (
        position INTEGER PRIMARY KEY AUTOINCREMENT,
        stream   TEXT    NOT NULL,
        revision INTEGER NOT NULL,
        type     TEXT    NOT NULL,
        data     TEXT    NOT NULL,
        metadata TEXT    NOT NULL,
        UNIQUE (stream, revision)
      );
      CREATE INDEX IF NOT EXISTS events_type_position ON events (type, position);
      -- Facts are immutable: the database itself refuses to change or remove them.
      CREATE TRIGGER IF NOT EXISTS events_no_update BEFORE UPDATE ON events
        BEGIN SELECT RAISE(ABORT, 'events are immutable'); END;
      CREATE TRIGGER IF NOT EXISTS events_no_delete BEFORE DELETE ON events
        BEGIN SELECT RAISE(ABORT, 'events are immutable'); END;
    `);
    this.statements = {
      head: db.prepare('SELECT revision, metadata FROM events WHERE stream = ? ORDER BY revision DESC LIMIT 1'),
      last: db.prepare(
        'SELECT position, stream, revision, type, data, metadata FROM events ' +
          'WHERE stream = ? ORDER BY revision DESC LIMIT 1',
      ),
      insert: db.prepare('INSERT INTO events (stream, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?)'),
      readStream: db.prepare(
        'SELECT position, stream, revision, type, data, metadata FROM events ' +
          'WHERE stream = ? AND revision BETWEEN ? AND ? ORDER BY revision',
      ),
      readAll: db.prepare(
        'SELECT position, stream, revision, type, data, metadata FROM events ' +
          "WHERE position > ? AND type NOT LIKE '$%' ORDER BY position LIMIT ?",
      ),
      headPosition: db.prepare("SELECT MAX(position) AS position FROM events WHERE type NOT LIKE '$%'"),
      lastRow: db.prepare('SELECT position FROM events ORDER BY position DESC LIMIT 1'),
      dataVersion: db.prepare('PRAGMA data_version').pluck() as Database.Statement<[], number>,
      lastSequence: db.prepare('SELECT MAX(position) AS position FROM events'),
    };
    this.savepoint = {
      begin: db.prepare('SAVEPOINT append_one'),
      release: db.prepare('RELEASE append_one'),
      rollback: db.prepare('ROLLBACK TO append_one'),
    };
    this.dataVersion = db.pragma('data_version', { simple: true }) as number;
    // Commits of other processes (CLI, a second instance) are noticed by this cheap counter,
    // read from the WAL index in shared memory: no busy polling of the file when idle.
    this.poller = setInterval(() => this.checkForeignCommits(), options.crossProcessPollMs ?? 500);
    this.poller.unref();
  }

  append(streamId: string, events: readonly PendingEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new StoreUnavailable('event store is closed'));
    if (events.length === 0) return Promise.reject(new Error('append needs at least one event'));
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ streamId, events, expected, resolve, reject });
      if (this.queue.length >= this.maxGroupSize) {
        this.flush();
      } else if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.queue.length === 0) return;
    const group = this.queue.splice(0, this.maxGroupSize);
    const outcomes: Array<{ ok: true; result: AppendResult } | { ok: false; error: unknown }> = [];
    try {
      // IMMEDIATE: take the write lock before reading the heads. A deferred transaction that read
      // a snapshot and then tries to write after another process committed fails at once with
      // SQLITE_BUSY_SNAPSHOT (the busy timeout does not apply), i.e. a 503 for every command of a
      // second instance sharing the file.
      this.db
        .transaction(() => {
          for (const item of group) {
            this.savepoint.begin.run();
            const mark = this.staged.length;
            try {
              outcomes.push({ ok: true, result: this.appendOne(item) });
              this.savepoint.release.run();
            } catch (error) {
              // The file cannot be written (read-only, disk full, I/O error): fail the whole group
              // as StoreUnavailable (a 503) instead of handing each caller a raw driver error (a 500).
              if (cannotWrite(error)) throw error;
              this.savepoint.rollback.run();
              this.savepoint.release.run();
              this.staged.length = mark;
              outcomes.push({ ok: false, error });
            }
          }
        })
        .immediate();
      for (const event of this.staged) this.remember(event);
      this.staged = [];
    } catch (error) {
      this.staged = [];
      // The commit itself failed (disk full, read-only file): nothing of the group was written.
      const unavailable = new StoreUnavailable('event store cannot write', error);
      for (const item of group) item.reject(unavailable);
      if (this.queue.length > 0) setImmediate(() => this.flush());
      return;
    }
    group.forEach((item, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) item.resolve(outcome.result);
      else item.reject(outcome.error);
    });
    if (outcomes.some((o) => o.ok)) this.notify();
    if (this.queue.length > 0) setImmediate(() => this.flush());
  }

  private appendOne({ streamId, events, expected }: PendingAppend): AppendResult {
    const head = this.statements.head.get(streamId);
    const actual = head ? head.revision : -1;
    const holds = expected === 'any' || (expected === 'no_stream' ? actual === -1 : expected === actual);
    if (!holds) throw new RevisionConflict(streamId, expected, actual);
    const prevHash = head ? (JSON.parse(head.metadata) as EventMetadata).hash : GENESIS_HASH;
    let revision = actual;
    let position = 0;
    for (const event of chainEnvelopes(prevHash, events, this.hashAlg)) {
      revision += 1;
      const info = this.statements.insert.run(
        streamId,
        revision,
        event.type,
        JSON.stringify(event.data),
        JSON.stringify(event.metadata),
      );
      position = Number(info.lastInsertRowid);
      this.staged.push({
        streamId,
        revision,
        position: String(position),
        type: event.type,
        data: event.data,
        metadata: event.metadata,
      });
    }
    return { nextRevision: revision, position: String(position) };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const from = options.fromRevision ?? 0;
    const to = options.toRevision ?? Number.MAX_SAFE_INTEGER;
    return this.guard(() => this.statements.readStream.all(streamId, from, to).map(toStoredEvent));
  }

  async readAll(options: ReadAllOptions): Promise<StoredEvent[]> {
    const after = options.after === undefined ? 0 : Number(parsePosition(options.after).commit);
    return this.guard(() => {
      // fromStorage (verification) never takes the in-memory copies: a byte changed in the file
      // must show, not the object remembered at commit time.
      if (!options.types || options.types.length === 0) {
        if (options.fromStorage) return this.statements.readAll.all(after, options.limit).map(toStoredEvent);
        const cached = this.fromRecent(after, options.limit);
        if (cached.complete) return cached.events;
        const rest = this.statements.readAll.all(cached.upTo, options.limit - cached.events.length).map(toStoredEvent);
        return cached.events.length === 0 ? rest : [...cached.events, ...rest];
      }
      const types = options.types.filter((t) => !isSystemType(t));
      if (types.length === 0) return [];
      return (this.typedRead(types.length).all(after, ...types, options.limit) as EventRow[]).map(toStoredEvent);
    });
  }

  async readLastEvent(streamId: string): Promise<StoredEvent | undefined> {
    return this.guard(() => {
      const row = this.statements.last.get(streamId);
      return row ? toStoredEvent(row) : undefined;
    });
  }

  async readStreamText(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEventRaw[]> {
    const from = options.fromRevision ?? 0;
    const to = options.toRevision ?? Number.MAX_SAFE_INTEGER;
    return this.guard(() => this.statements.readStream.all(streamId, from, to).map(toRaw));
  }

  async readAllRaw(options: ReadAllOptions): Promise<StoredEventRaw[]> {
    const after = options.after === undefined ? 0 : Number(parsePosition(options.after).commit);
    return this.guard(() => {
      const types = options.types?.filter((t) => !isSystemType(t));
      if (options.types && options.types.length > 0 && (!types || types.length === 0)) return [];
      const rows = (
        types && types.length > 0
          ? this.typedRead(types.length).all(after, ...types, options.limit)
          : this.statements.readAll.all(after, options.limit)
      ) as EventRow[];
      return rows.map(toRaw);
    });
  }

  /**
   * PRAGMA data_version moves whenever another connection (a second instance, the CLI, someone
   * with the sqlite3 shell who dropped the immutability trigger) commits to the file; this
   * connection itself only ever inserts (appendOne, guarded by the triggers).
   */
  async storageVersion(): Promise<string> {
    return this.guard(() => String(this.statements.dataVersion.get()));
  }

  /** PRAGMA quick_check: every page of the file, including those no read has touched yet. */
  async checkStorage(): Promise<void> {
    this.guard(() => {
      const rows = this.db.pragma('quick_check') as Array<{ quick_check: string }>;
      const problems = rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
      if (problems.length > 0) {
        this.corrupt = new StoreCorrupt(
          `event store file is damaged (quick_check: ${problems.slice(0, 3).join('; ')})`,
        );
        throw this.corrupt;
      }
    });
  }

  /**
   * The type filter runs on the (type, position) index, so every call is bounded by `limit`
   * already and `maxScan` is not needed. A short page is the end of the log.
   */
  async scanAll(options: ReadAllOptions): Promise<ScanResult> {
    const events = await this.readAll(options);
    const end = events.length < options.limit;
    return { events, scannedTo: events.length > 0 ? events[events.length - 1].position : options.after, end };
  }

  /** A decimal sequence number (the only form this store issues) not beyond the last one written. */
  async checkPosition(position: string): Promise<boolean> {
    if (!/^\d{1,16}$/.test(position)) return false;
    const value = Number(position);
    if (!Number.isSafeInteger(value)) return false;
    if (value === 0) return true;
    const last = this.guard(() => this.statements.lastSequence.get()?.position ?? 0);
    return value <= last;
  }

  async readAllText(options: ReadAllOptions): Promise<StoredEventText[]> {
    const after = options.after === undefined ? 0 : Number(parsePosition(options.after).commit);
    return this.guard(() => {
      const types = options.types?.filter((t) => !isSystemType(t));
      const rows = (
        types && types.length > 0
          ? this.typedRead(types.length).all(after, ...types, options.limit)
          : options.types && options.types.length > 0
            ? []
            : this.statements.readAll.all(after, options.limit)
      ) as EventRow[];
      return rows.map((row) => ({
        streamId: row.stream,
        revision: row.revision,
        position: String(row.position),
        type: row.type,
        dataJson: row.data,
        metadata: JSON.parse(row.metadata) as EventMetadata,
      }));
    });
  }

  subscribeAll(options: SubscribeAllOptions, handler: EventHandler): Subscription {
    let stopped = false;
    let wake: (() => void) | undefined;
    const listener = () => wake?.();
    this.listeners.add(listener);
    const run = async () => {
      let after = options.after;
      try {
        while (!stopped) {
          // The head is read first: an empty read after it proves nothing of ours up to there.
          const head = options.onCheckpoint ? await this.headPosition() : undefined;
          let batch = await this.readAll({ after, limit: 2000, types: options.types });
          const behindHead = head !== undefined && (after === undefined || comparePositions(head, after) > 0);
          // The in-memory tail may not hold another process's newest commits yet: only a read
          // from the file proves that nothing of ours lies up to the head.
          if (batch.length === 0 && behindHead)
            batch = await this.readAll({ after, limit: 2000, types: options.types, fromStorage: true });
          if (batch.length === 0) {
            if (behindHead) {
              await options.onCheckpoint?.(head!);
              after = head;
              continue;
            }
            // Idle: sleep until an append (ours or another process's) says there is more.
            await new Promise<void>((resolve) => {
              wake = resolve;
              if (stopped || this.closed) resolve();
            });
            wake = undefined;
            if (this.closed) break;
            continue;
          }
          for (const event of batch) {
            if (stopped) break;
            await handler(event);
            after = event.position;
          }
        }
      } finally {
        this.listeners.delete(listener);
      }
    };
    const done = run();
    return {
      done,
      stop: async () => {
        stopped = true;
        wake?.();
        await done.catch(() => undefined);
      },
    };
  }

  async headPosition(): Promise<Position | undefined> {
    return this.guard(() => {
      const row = this.statements.headPosition.get();
      return row?.position == null ? undefined : String(row.position);
    });
  }

  async ping(): Promise<void> {
    // The first ping after opening checks every page once (PRAGMA quick_check): damage done while
    // the service was stopped then shows on /health at start, not when a read first trips on it.
    // The cost, one pass over the file, is paid once per process (and only for files up to
    // pingCheckMaxBytes); later pings read the newest row and rely on the sticky flag set by any
    // read that meets a damaged page.
    if (!this.storageChecked) {
      if (this.fileBytes() <= this.pingCheckMaxBytes) await this.checkStorage();
      this.storageChecked = true;
    }
    this.guard(() => this.statements.lastRow.get());
  }

  private fileBytes(): number {
    if (this.db.memory) return 0;
    try {
      const main = statSync(this.db.name).size;
      return main + (existsSync(`${this.db.name}-wal`) ? statSync(`${this.db.name}-wal`).size : 0);
    } catch {
      return Number.POSITIVE_INFINITY;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    clearInterval(this.poller);
    this.notify();
    this.db.close();
  }

  private readonly typedReads = new Map<number, Database.Statement>();

  /** Prepared once per number of types (the index on (type, position) serves each). */
  private typedRead(count: number): Database.Statement {
    let statement = this.typedReads.get(count);
    if (!statement) {
      const placeholders = Array.from({ length: count }, () => '?').join(',');
      statement = this.db.prepare(
        `SELECT position, stream, revision, type, data, metadata FROM events
         WHERE position > ? AND type IN (${placeholders}) ORDER BY position LIMIT ?`,
      );
      if (this.typedReads.size < 64) this.typedReads.set(count, statement);
    }
    return statement;
  }

  private remember(event: StoredEvent): void {
    const position = Number(event.position);
    this.recent.set(position, event);
    this.recent.delete(position - this.recentLimit);
    if (position > this.newest) this.newest = position;
  }

  /**
   * Events after `after` from memory while positions are contiguous there. `complete` when the
   * cache answered the whole read (limit reached or nothing newer exists); otherwise the caller
   * continues with SQL after `upTo` (e.g. a gap left by another process's commit).
   */
  private fromRecent(after: number, limit: number): { events: StoredEvent[]; upTo: number; complete: boolean } {
    const events: StoredEvent[] = [];
    let position = after;
    for (;;) {
      const next = this.recent.get(position + 1);
      if (!next) break;
      position += 1;
      if (isSystemType(next.type)) continue;
      events.push(next);
      if (events.length >= limit) return { events, upTo: position, complete: true };
    }
    const knownHead = this.lastPosition();
    return { events, upTo: position, complete: knownHead !== undefined && position >= knownHead };
  }

  /** Highest committed position, trusted only while no other process has written the file. */
  private lastPosition(): number | undefined {
    return this.foreignSeen || this.newest === 0 ? undefined : this.newest;
  }

  private checkForeignCommits(): void {
    if (this.closed) return;
    try {
      const version = this.db.pragma('data_version', { simple: true }) as number;
      if (version !== this.dataVersion) {
        this.dataVersion = version;
        this.foreignSeen = true;
        this.notify();
      }
    } catch {
      // A transient read failure only delays live delivery until the next tick.
    }
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }

  private guard<T>(read: () => T): T {
    if (this.closed) throw new StoreUnavailable('event store is closed');
    if (this.corrupt) throw this.corrupt;
    try {
      return read();
    } catch (error) {
      if (error instanceof StoreCorrupt) throw error;
      if (isCorruption(error)) {
        this.corrupt = new StoreCorrupt('event store file is damaged', error);
        throw this.corrupt;
      }
      throw new StoreUnavailable('event store cannot read', error);
    }
  }
}

/** SQLite errors that mean the store cannot write now, as opposed to a refusal of one append. */
function cannotWrite(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return (
    typeof code === 'string' &&
    /^SQLITE_(FULL|READONLY|IOERR|CANTOPEN|BUSY|LOCKED|CORRUPT|NOTADB|NOMEM|PROTOCOL)/.test(code)
  );
}

/** The file is damaged or is not a database at all: retrying does not help, a backup does. */
function isCorruption(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && /^SQLITE_(CORRUPT|NOTADB)/.test(code);
}

function toRaw(row: EventRow): StoredEventRaw {
  return {
    streamId: row.stream,
    revision: row.revision,
    position: String(row.position),
    type: row.type,
    dataJson: row.data,
    metadataJson: row.metadata,
  };
}

function toStoredEvent(row: EventRow): StoredEvent {
  return {
    streamId: row.stream,
    revision: row.revision,
    position: String(row.position),
    type: row.type,
    data: JSON.parse(row.data) as Record<string, unknown>,
    metadata: JSON.parse(row.metadata) as EventMetadata,
  };
}
