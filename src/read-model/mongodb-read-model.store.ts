/*
 * MongoDB read-model store (official `mongodb` driver).
 *
 * One MongoDB collection per read-model collection (names map 1:1, dotted paths too) and a
 * `_checkpoints` collection keyed by projection name.
 *
 * Delivery guarantees: MongoDB gives us no cheap multi-collection transaction here, so a
 * commit is (1) revision-guarded, idempotent document writes, then (2) a checkpoint that only
 * moves forward. A crash between them replays the batch, which changes nothing. Several service
 * instances may run the same projection at once; neither a document's `_v` nor a checkpoint
 * can go backwards because every write is conditional on the stored value being lower:
 *
 *   replaceOne({ _id, _v: { $lt: v } }, doc, { upsert: true })
 *
 * If the stored `_v` is already >= v the filter misses, the upsert tries to insert the same
 * `_id` and the server answers E11000 duplicate key: that is the "skip". We send each batch as
 * an unordered bulkWrite and ignore only code 11000 — after re-reading the stored `_v` to make
 * sure the duplicate really is "newer or equal already" (it can also be a racing first insert
 * with a lower `_v`, which we retry, or a unique secondary index violation, which we raise).
 *
 * Deletes leave no tombstone (`deleteOne({ _id, _v: { $lt: v } })`): an instance far behind may
 * briefly re-create a deleted document until it reaches the same delete. Accepted: projections
 * rarely delete and the net state converges.
 */
import {
  MongoBulkWriteError,
  MongoClient,
  MongoError,
  MongoNetworkError,
  MongoNotConnectedError,
  MongoOperationTimeoutError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
  MongoWriteConcernError,
  type AnyBulkWriteOperation,
  type Collection,
  type Db,
  type Document,
  type IndexDescription,
  type Sort,
} from 'mongodb';
import { StoreUnavailable } from '../event-store/event-store.port';
import { positionSortKey } from '../event-store/position';
import {
  assertChange,
  assertCollection,
  assertDocument,
  assertDocumentId,
  assertRegistry,
  collapseChanges,
  escapeRegex,
  fieldPath,
  filterTerms,
  InvalidReadModelQuery,
  legacyVersionKey,
  normaliseFindOptions,
  parseLegacyVersion,
  type Term,
} from './filter';
import type {
  Checkpoint,
  ProjectionRegistry,
  StoredProjectionRegistry,
  Doc,
  DocChange,
  Filter,
  FindOptions,
  GroupResult,
  IndexSpec,
  ReadModelStore,
  Scalar,
  EnsureIndexesOptions,
} from './read-model.port';

export interface MongoReadModelStoreOptions {
  /** How long to look for a usable server before failing an operation (ms). Default 5000. */
  serverSelectionTimeoutMS?: number;
  /** TCP connect timeout (ms). Default 5000. */
  connectTimeoutMS?: number;
  /** Backstop for any socket read/write that hangs (ms). Default 30000. */
  socketTimeoutMS?: number;
  /** Server-side limit for each command (maxTimeMS) except index builds. Default 10000. */
  maxTimeMS?: number;
  /** Delay before a failed background index build is tried again (doubles up to 5 min). Default 5000. */
  indexRetryMs?: number;
  /** Told about every failed background index build (it is retried). Default: logged to stderr. */
  onIndexError?: (collection: string, error: unknown) => void;
}

interface CheckpointDocument {
  _id: string;
  position: string;
  /** positionSortKey(position): fixed width, so string order is position order. */
  sortKey: string;
  updatedAt: string;
}

const CHECKPOINTS = '_checkpoints';
const REGISTRIES = '_projection_registry';

interface RegistryDocument extends ProjectionRegistry {
  _id: string;
  rev: number;
}

/**
 * A read whose collection was dropped or renamed under it (its cursor is killed): the caller's
 * collection was superseded a moment ago, so one retry answers from what is there now.
 */
const VANISHED_COLLECTION_CODES = new Set([
  26, // NamespaceNotFound
  43, // CursorNotFound
  96, // OperationFailed ("collection dropped")
  175, // QueryPlanKilled
  237, // CursorKilled
]);
const DUPLICATE_KEY = 11000;
const NAMESPACE_NOT_FOUND = 26;
/** Attempts for a write whose E11000 is not explained by a newer stored `_v`. */
const MAX_WRITE_ATTEMPTS = 3;
/** Server errors that mean "try again later", not "your request is wrong". */
const UNAVAILABLE_SERVER_CODES = new Set([
  50, // MaxTimeMSExpired
  64, // WriteConcernFailed
  91, // ShutdownInProgress
  189, // PrimarySteppedDown
  262, // ExceededTimeLimit
  6, // HostUnreachable
  7, // HostNotFound
  89, // NetworkTimeout
  9001, // SocketException
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
]);

export class MongoReadModelStore implements ReadModelStore {
  private readonly client: MongoClient;
  private readonly db: Db;
  private readonly maxTimeMS: number;
  private readonly indexRetryMs: number;
  private readonly onIndexError: (collection: string, error: unknown) => void;
  private readonly indexTimers = new Set<NodeJS.Timeout>();
  private closed = false;

  /** Creates the store and checks the server answers (throws StoreUnavailable otherwise). */
  static async connect(
    uri: string,
    dbName: string,
    options?: MongoReadModelStoreOptions,
  ): Promise<MongoReadModelStore> {
    const store = new MongoReadModelStore(uri, dbName, options);
    try {
      await store.ping();
    } catch (error) {
      await store.close().catch(() => undefined);
      throw error;
    }
    return store;
  }

  /** Does not touch the network; the driver connects on the first operation. */
  constructor(uri: string, dbName: string, options: MongoReadModelStoreOptions = {}) {
    this.client = new MongoClient(uri, {
      serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 5000,
      connectTimeoutMS: options.connectTimeoutMS ?? 5000,
      socketTimeoutMS: options.socketTimeoutMS ?? 30000,
      appName: 'ordos-supervision-read-model',
      // Like JSON (and the SQLite adapter): an undefined field is absent, not null.
      ignoreUndefined: true,
    });
    this.db = this.client.db(dbName);
    this.maxTimeMS = options.maxTimeMS ?? 10000;
    this.indexRetryMs = options.indexRetryMs ?? 5000;
    this.onIndexError =
      options.onIndexError ??
      ((collection, error) =>
        console.warn(
          `MongoDB index build on ${collection} failed; retrying: ${(error as Error)?.message ?? String(error)}`,
        ));
  }

  /**
   * createIndexes without maxTimeMS: mongod aborts an index build whose command is interrupted
   * (maxTimeMS expiry, killOp; SERVER-46595), so a bound here would throw away minutes of work on
   * a large collection and fail the same way at every start. A dropped connection (our
   * socketTimeoutMS) does not abort the build on the server (SERVER-101507); a later call waits
   * for the build in progress or finds the index.
   */
  async ensureIndexes(
    collection: string,
    indexes: readonly IndexSpec[],
    options: EnsureIndexesOptions = {},
  ): Promise<void> {
    assertCollection(collection);
    const descriptions: IndexDescription[] = [];
    for (const spec of indexes) {
      const fields = Object.entries(spec.fields ?? {});
      if (fields.length === 0) throw new InvalidReadModelQuery(`${collection}: an index needs at least one field`);
      for (const [path, dir] of fields) {
        fieldPath(path);
        if (dir !== 1 && dir !== -1)
          throw new InvalidReadModelQuery(`${collection} index ${path}: direction must be 1 or -1`);
      }
      // MongoDB always has the unique _id index and refuses options on it.
      if (fields.length === 1 && fields[0][0] === '_id') continue;
      // Default names derive from the key, so re-running with the same spec is a no-op.
      descriptions.push({ key: Object.fromEntries(fields), ...(spec.unique ? { unique: true } : {}) });
    }
    if (descriptions.length === 0) return;
    if (options.background) {
      this.buildInBackground(collection, descriptions, this.indexRetryMs);
      return;
    }
    await this.buildIndexes(collection, descriptions);
  }

  private async buildIndexes(collection: string, descriptions: readonly IndexDescription[]): Promise<void> {
    // Always createIndexes, never a listIndexes shortcut: listIndexes also lists builds still in
    // progress, and a unique index is enforced only once built. For existing indexes the command
    // is a quick no-op; an identical build in progress is waited for.
    await this.run('ensureIndexes', () => this.collection(collection).createIndexes([...descriptions]));
  }

  private buildInBackground(collection: string, descriptions: readonly IndexDescription[], delayMs: number): void {
    if (this.closed) return;
    this.buildIndexes(collection, descriptions).catch((error: unknown) => {
      if (this.closed) return;
      this.onIndexError(collection, error);
      const timer = setTimeout(() => {
        this.indexTimers.delete(timer);
        this.buildInBackground(collection, descriptions, Math.min(delayMs * 2, 300_000));
      }, delayMs);
      timer.unref();
      this.indexTimers.add(timer);
    });
  }

  async get(collection: string, id: string): Promise<Doc | null> {
    assertCollection(collection);
    const doc = await this.read('get', () =>
      this.collection(collection).findOne({ _id: id }, { maxTimeMS: this.maxTimeMS }),
    );
    return doc ?? null;
  }

  async getMany(collection: string, ids: readonly string[]): Promise<Doc[]> {
    assertCollection(collection);
    if (ids.length === 0) return [];
    const unique = [...new Set(ids)];
    const docs = await this.read('getMany', () =>
      this.collection(collection)
        .find({ _id: { $in: unique } }, { maxTimeMS: this.maxTimeMS })
        .toArray(),
    );
    const byId = new Map(docs.map((doc) => [doc._id, doc]));
    return unique.flatMap((id) => byId.get(id) ?? []);
  }

  async find(collection: string, filter: Filter, options?: FindOptions): Promise<Doc[]> {
    assertCollection(collection);
    const query = toMongoFilter(filter);
    const { sort, skip, limit } = normaliseFindOptions(options);
    if (limit === 0) return [];
    const sortSpec: Sort = Object.fromEntries(sort);
    const docs = await this.read('find', () =>
      this.collection(collection)
        .find(query, { sort: sortSpec, skip, ...(limit === undefined ? {} : { limit }), maxTimeMS: this.maxTimeMS })
        .toArray(),
    );
    return docs;
  }

  async count(collection: string, filter: Filter): Promise<number> {
    assertCollection(collection);
    const query = toMongoFilter(filter);
    return this.read('count', () => this.collection(collection).countDocuments(query, { maxTimeMS: this.maxTimeMS }));
  }

  async group(collection: string, filter: Filter, by: string, sumFields: readonly string[]): Promise<GroupResult[]> {
    assertCollection(collection);
    fieldPath(by);
    sumFields.forEach(fieldPath);
    const stage: Document = { _id: `$${by}`, count: { $sum: 1 } };
    // Output names cannot contain dots, so sums travel as s0, s1, … and are mapped back.
    sumFields.forEach((path, i) => {
      stage[`s${i}`] = { $sum: `$${path}` };
    });
    const pipeline: Document[] = [{ $match: toMongoFilter(filter) }, { $group: stage }, { $sort: { _id: 1 } }];
    const rows = await this.read('group', () =>
      this.collection(collection).aggregate(pipeline, { maxTimeMS: this.maxTimeMS }).toArray(),
    );
    return rows.map((row) => ({
      key: (row._id ?? null) as Scalar,
      count: Number(row.count),
      sums: Object.fromEntries(sumFields.map((path, i) => [path, Number(row[`s${i}`] ?? 0)])),
    }));
  }

  async commit(projection: string, changes: readonly DocChange[], checkpoint: Checkpoint): Promise<void> {
    assertProjection(projection);
    changes.forEach(assertChange);
    const sortKey = positionSortKey(checkpoint.position);
    const byCollection = new Map<string, DocChange[]>();
    for (const change of collapseChanges(changes)) {
      const list = byCollection.get(change.collection) ?? [];
      list.push(change);
      byCollection.set(change.collection, list);
    }
    for (const [collection, list] of byCollection) await this.applyChanges(collection, list);
    // Only after every document write succeeded: a failure above leaves the checkpoint behind,
    // and the replay is harmless.
    await this.advanceCheckpoint(projection, checkpoint, sortKey);
  }

  async getCheckpoint(projection: string): Promise<Checkpoint | null> {
    assertProjection(projection);
    const doc = await this.run('getCheckpoint', () =>
      this.checkpoints().findOne({ _id: projection }, { maxTimeMS: this.maxTimeMS }),
    );
    return doc ? { position: doc.position, updatedAt: doc.updatedAt } : null;
  }

  async dropCollection(collection: string): Promise<void> {
    assertCollection(collection);
    await this.run('dropCollection', async () => {
      try {
        await this.db.dropCollection(collection, { maxTimeMS: this.maxTimeMS });
      } catch (error) {
        // Servers before 7.0 report a missing collection as an error; dropping it is done.
        if (!(error instanceof MongoServerError && error.code === NAMESPACE_NOT_FOUND)) throw error;
      }
    });
  }

  async replaceCollection(target: string, source: string): Promise<void> {
    assertCollection(target);
    assertCollection(source);
    // renameCollection with dropTarget is atomic on the server: readers see old or new.
    await this.run('replaceCollection', async () => {
      try {
        await this.db.renameCollection(source, target, { dropTarget: true });
      } catch (error) {
        // A missing source (another rebuild renamed it first) must never cost the target.
        if (error instanceof MongoServerError && error.code === NAMESPACE_NOT_FOUND) {
          throw new InvalidReadModelQuery(`replaceCollection: source collection ${source} does not exist`);
        }
        throw error;
      }
    });
  }

  async resetCheckpoint(name: string, checkpoint: Checkpoint): Promise<void> {
    assertProjection(name);
    const sortKey = positionSortKey(checkpoint.position);
    // The replacement has no _id: an upsert takes it from the filter's equality on _id.
    await this.run('resetCheckpoint', () =>
      this.checkpoints().replaceOne(
        { _id: name },
        { position: checkpoint.position, sortKey, updatedAt: checkpoint.updatedAt },
        { upsert: true, maxTimeMS: this.maxTimeMS },
      ),
    );
  }

  /**
   * Last writer wins. Two racing upserts of one new _id cannot both insert: the filter is an
   * equality on _id, so the server (4.2+, SERVER-14322) retries the loser's duplicate-key
   * insert as an update.
   */
  async putDocument(collection: string, doc: Doc): Promise<void> {
    assertDocument(collection, doc);
    await this.run('putDocument', () =>
      this.collection(collection).replaceOne({ _id: doc._id }, doc, { upsert: true, maxTimeMS: this.maxTimeMS }),
    );
  }

  async deleteDocument(collection: string, id: string): Promise<void> {
    assertDocumentId(collection, id);
    await this.run('deleteDocument', () =>
      this.collection(collection).deleteOne({ _id: id }, { maxTimeMS: this.maxTimeMS }),
    );
  }

  async deleteCheckpoint(projection: string): Promise<void> {
    assertProjection(projection);
    await this.run('deleteCheckpoint', () =>
      this.checkpoints().deleteOne({ _id: projection }, { maxTimeMS: this.maxTimeMS }),
    );
  }

  async getProjectionRegistry(projection: string): Promise<StoredProjectionRegistry | null> {
    assertProjection(projection);
    const doc = await this.run('getProjectionRegistry', () =>
      this.registries().findOne({ _id: projection }, { maxTimeMS: this.maxTimeMS }),
    );
    return doc ? { active: doc.active, retired: doc.retired, rev: doc.rev } : null;
  }

  async putProjectionRegistry(projection: string, expectedRev: number, next: ProjectionRegistry): Promise<boolean> {
    assertProjection(projection);
    assertRegistry(projection, next);
    const body = { active: next.active, retired: next.retired };
    return this.run('putProjectionRegistry', async () => {
      if (expectedRev === 0) {
        try {
          await this.registries().insertOne({ _id: projection, rev: 1, ...body });
          return true;
        } catch (error) {
          if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) return false;
          throw error;
        }
      }
      const result = await this.registries().updateOne(
        { _id: projection, rev: expectedRev },
        { $set: { ...body, rev: expectedRev + 1 } },
      );
      return result.matchedCount === 1;
    });
  }

  async legacyProjectionVersion(projection: string): Promise<number | null> {
    assertProjection(projection);
    const doc = await this.run('legacyProjectionVersion', () =>
      this.checkpoints().findOne({ _id: legacyVersionKey(projection) }, { maxTimeMS: this.maxTimeMS }),
    );
    return parseLegacyVersion(doc?.position);
  }

  async ping(): Promise<void> {
    // Bounded by serverSelectionTimeoutMS / socketTimeoutMS.
    await this.run('ping', () => this.db.command({ ping: 1 }));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.indexTimers) clearTimeout(timer);
    this.indexTimers.clear();
    await this.client.close();
  }

  // --- internals -------------------------------------------------------------------------

  private collection(name: string): Collection<Doc> {
    return this.db.collection<Doc>(name);
  }

  private checkpoints(): Collection<CheckpointDocument> {
    return this.db.collection<CheckpointDocument>(CHECKPOINTS);
  }

  private async applyChanges(collection: string, changes: readonly DocChange[]): Promise<void> {
    const coll = this.collection(collection);
    let pending = changes;
    for (let attempt = 1; pending.length > 0; attempt++) {
      const ops: AnyBulkWriteOperation<Doc>[] = pending.map((change) =>
        change.op === 'upsert'
          ? {
              replaceOne: {
                filter: { _id: change.doc._id, _v: { $lt: change.doc._v } },
                replacement: change.doc,
                upsert: true,
              },
            }
          : { deleteOne: { filter: { _id: change.id, _v: { $lt: change._v } } } },
      );
      let duplicates: DocChange[] = [];
      try {
        await coll.bulkWrite(ops, { ordered: false, maxTimeMS: this.maxTimeMS });
      } catch (error) {
        if (!(error instanceof MongoBulkWriteError)) throw toStoreError(error, `commit to ${collection}`);
        const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
        const unexpected = writeErrors.filter((e) => e.code !== DUPLICATE_KEY);
        if (writeErrors.length === 0 || unexpected.length > 0 || error.err !== undefined) {
          throw toStoreError(error, `commit to ${collection}`);
        }
        duplicates = writeErrors.map((e) => pending[e.index]);
      }
      if (duplicates.length === 0) return;

      // E11000: the guard missed and the _id exists. Skip when the stored _v is at least ours;
      // otherwise (a racing first insert with a lower _v, or a document deleted in between)
      // write again.
      const ids = duplicates.map(changeId);
      const stored = await this.run('commit', () =>
        coll.find({ _id: { $in: ids } }, { projection: { _v: 1 }, maxTimeMS: this.maxTimeMS }).toArray(),
      );
      const storedV = new Map(stored.map((doc) => [doc._id, Number(doc._v)]));
      pending = duplicates.filter((change) => {
        const v = storedV.get(changeId(change));
        return v === undefined || !(v >= changeV(change));
      });
      if (pending.length > 0 && attempt >= MAX_WRITE_ATTEMPTS) {
        throw new Error(
          `${collection}: duplicate key on ${pending.map(changeId).join(', ')} not explained by a newer _v ` +
            `(unique index violation?)`,
        );
      }
    }
  }

  private async advanceCheckpoint(projection: string, checkpoint: Checkpoint, sortKey: string): Promise<void> {
    const checkpoints = this.checkpoints();
    for (let attempt = 1; ; attempt++) {
      try {
        await checkpoints.updateOne(
          { _id: projection, sortKey: { $lt: sortKey } },
          { $set: { position: checkpoint.position, sortKey, updatedAt: checkpoint.updatedAt } },
          { upsert: true, maxTimeMS: this.maxTimeMS },
        );
        return;
      } catch (error) {
        if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) {
          throw toStoreError(error, 'commit checkpoint');
        }
      }
      // E11000: a checkpoint exists at or past ours (skip) — or one was created concurrently
      // behind ours, in which case the next attempt's guard matches it.
      const current = await this.run('commit checkpoint', () =>
        checkpoints.findOne({ _id: projection }, { maxTimeMS: this.maxTimeMS }),
      );
      if (current && current.sortKey >= sortKey) return;
      if (attempt >= MAX_WRITE_ATTEMPTS)
        throw new Error(`checkpoint ${projection}: could not move forward to ${checkpoint.position}`);
    }
  }

  private registries(): Collection<RegistryDocument> {
    return this.db.collection<RegistryDocument>(REGISTRIES);
  }

  /** A read, retried once when its collection vanished under it (see VANISHED_COLLECTION_CODES). */
  private async read<T>(what: string, operation: () => Promise<T>): Promise<T> {
    try {
      return await this.run(what, operation);
    } catch (error) {
      const cause = (error as { cause?: unknown }).cause ?? error;
      if (!(cause instanceof MongoServerError && VANISHED_COLLECTION_CODES.has(Number(cause.code)))) throw error;
      return this.run(what, operation);
    }
  }

  private async run<T>(what: string, operation: () => Promise<T>): Promise<T> {
    if (this.closed) throw new StoreUnavailable(`MongoDB read-model store is closed (${what})`);
    try {
      return await operation();
    } catch (error) {
      throw toStoreError(error, what);
    }
  }
}

// --- translation ---------------------------------------------------------------------------

function assertProjection(projection: string): void {
  if (typeof projection !== 'string' || projection.length === 0 || projection.length > 200) {
    throw new InvalidReadModelQuery(`invalid projection name: ${JSON.stringify(projection)}`);
  }
}

function changeId(change: DocChange): string {
  return change.op === 'upsert' ? change.doc._id : change.id;
}

function changeV(change: DocChange): number {
  return change.op === 'upsert' ? change.doc._v : change._v;
}

/** One term as a MongoDB condition fragment on its field. */
function condition(term: Term): Document {
  switch (term.op) {
    case '$eq':
    case '$ne':
    case '$gt':
    case '$gte':
    case '$lt':
    case '$lte':
      return { [term.op]: term.value };
    case '$in':
      return { $in: term.values };
    case '$contains':
      // Escaped: the caller's text is a literal, never a pattern (no ReDoS, no wildcards).
      return { $regex: escapeRegex(term.value), $options: 'i' };
    case '$exists':
      // The port's $exists means "present and not null"; MongoDB's would accept null.
      return term.value ? { $ne: null } : { $eq: null };
    default: {
      const never: never = term;
      throw new InvalidReadModelQuery(`unsupported term ${JSON.stringify(never)}`);
    }
  }
}

/** Dotted paths map 1:1; terms on the same field merge unless their operators collide. */
export function toMongoFilter(filter: Filter): Document {
  const byField = new Map<string, Document>();
  const overflow: Document[] = [];
  for (const term of filterTerms(filter)) {
    const fragment = condition(term);
    const existing = byField.get(term.path);
    if (!existing) {
      byField.set(term.path, fragment);
    } else if (Object.keys(fragment).some((op) => op in existing)) {
      overflow.push({ [term.path]: fragment });
    } else {
      Object.assign(existing, fragment);
    }
  }
  const query: Document = Object.fromEntries(byField);
  if (overflow.length > 0) query.$and = overflow;
  return query;
}

/**
 * A MongoBulkWriteError is a refusal of documents only when it carries writeErrors. The driver
 * (6.x bulk/common.js executeCommands) also wraps, with empty writeErrors:
 * - a driver error of a batch (network, server selection, timeout), kept as `errorResponse`;
 * - a write concern error, as `{ message, code }` plus `result.writeConcernErrors` (or `err`).
 * Those say nothing about the documents: the store is unavailable, try again.
 */
export function bulkWriteUnavailable(error: MongoBulkWriteError): boolean {
  const writeErrors = Array.isArray(error.writeErrors)
    ? error.writeErrors
    : error.writeErrors
      ? [error.writeErrors]
      : [];
  if (error.err !== undefined) return true;
  const result = error.result as { getWriteConcernError?: () => unknown } | undefined;
  if (typeof result?.getWriteConcernError === 'function' && result.getWriteConcernError()) return true;
  if (writeErrors.length > 0) return false;
  const cause = (error as { errorResponse?: unknown }).errorResponse;
  if (cause instanceof Error && cause !== error) {
    return toStoreError(cause, 'bulk write') instanceof StoreUnavailable;
  }
  // No document was refused, the driver did not fail: what remains is the write concern path.
  return true;
}

/** Connection-level failures become StoreUnavailable (HTTP 503); everything else passes through. */
export function toStoreError(error: unknown, what: string): unknown {
  if (error instanceof StoreUnavailable || error instanceof InvalidReadModelQuery) return error;
  const unavailable =
    error instanceof MongoServerSelectionError ||
    error instanceof MongoNetworkError ||
    error instanceof MongoNotConnectedError ||
    error instanceof MongoTopologyClosedError ||
    error instanceof MongoOperationTimeoutError ||
    error instanceof MongoWriteConcernError ||
    (error instanceof MongoBulkWriteError && bulkWriteUnavailable(error)) ||
    (error instanceof MongoServerError && typeof error.code === 'number' && UNAVAILABLE_SERVER_CODES.has(error.code)) ||
    (error instanceof MongoError &&
      (error.hasErrorLabel('RetryableWriteError') || error.hasErrorLabel('TransientTransactionError')));
  if (unavailable) {
    return new StoreUnavailable(`MongoDB read-model store unavailable (${what}): ${(error as Error).message}`, error);
  }
  return error;
}
