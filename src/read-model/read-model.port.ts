import type { Position } from '../event-store/event-store.port';

/** DI token for the read-model (document) store port. */
export const READ_MODEL_STORE = Symbol('READ_MODEL_STORE');

export type Scalar = string | number | boolean | null;

/** A read-model document. `_id` is its key; `_v` is the guard version its projection wrote. */
export interface Doc {
  _id: string;
  /** Monotonic version of the document (e.g. the stream revision); writes never lower it. */
  _v: number;
  [field: string]: unknown;
}

export interface FieldCondition {
  $eq?: Scalar;
  $ne?: Scalar;
  $gt?: Scalar;
  $gte?: Scalar;
  $lt?: Scalar;
  $lte?: Scalar;
  $in?: readonly Scalar[];
  /** Case-insensitive substring match on a string field (any script, e.g. Chinese). */
  $contains?: string;
  /** True: field present and not null; false: absent or null. */
  $exists?: boolean;
}

/**
 * The filter subset both adapters implement: field (dotted paths allowed) → value (equality;
 * for an array field, "contains this element") or a condition; conditions are ANDed.
 */
export type Filter = Record<string, Scalar | FieldCondition>;

export interface FindOptions {
  sort?: Record<string, 1 | -1>;
  skip?: number;
  limit?: number;
}

export interface GroupResult {
  key: Scalar;
  count: number;
  sums: Record<string, number>;
}

export interface IndexSpec {
  /** Dotted field paths with direction. */
  fields: Record<string, 1 | -1>;
  unique?: boolean;
}

export interface EnsureIndexesOptions {
  /**
   * Start the build and return at once; the adapter retries failures later and reports them
   * through its error callback. For start-up: building an index over a large collection can take
   * minutes, and a start that awaits it (and fails on it) crash-loops. Queries stay correct
   * without indexes, but a unique index is only enforced once built: await it (no `background`)
   * where the constraint matters.
   */
  background?: boolean;
}

export type DocChange =
  { op: 'upsert'; collection: string; doc: Doc } | { op: 'delete'; collection: string; id: string; _v: number };

export interface Checkpoint {
  position: Position;
  updatedAt: string;
}

/**
 * Which generation (collection, and checkpoint of the same name) holds each version of a
 * projection. Several instances share it: every change is a compare-and-set on `rev`.
 */
export interface ProjectionRegistry {
  /**
   * Projection version → the active generation of that version. Keys are the version written
   * in decimal (`String(projection.version)`): JSON and BSON object keys are strings, and the
   * adapters refuse any other key.
   */
  active: Record<string, string>;
  /** Superseded generations, dropped once `retiredAt` is older than the grace period. */
  retired: Array<{ generation: string; retiredAt: string }>;
}

export interface StoredProjectionRegistry extends ProjectionRegistry {
  /** Incremented by every successful put; 0 means "never written". */
  rev: number;
}

/**
 * Named collections of JSON documents plus one checkpoint per consumer of the event log (a
 * projection generation, a webhook subscription).
 * `commit` writes a batch of changes and the projection's checkpoint together: in SQLite one
 * transaction; in MongoDB revision-guarded writes followed by a checkpoint that never moves
 * backwards, so a crash between them only causes an idempotent replay.
 * Data that no event feeds (webhook subscriptions and their dead letters) goes through
 * `putDocument`/`deleteDocument` instead: no guard, no checkpoint.
 */
export interface ReadModelStore {
  /** Creates missing indexes (no-op for existing ones). Never bounded by a command timeout. */
  ensureIndexes(collection: string, indexes: readonly IndexSpec[], options?: EnsureIndexesOptions): Promise<void>;
  get(collection: string, id: string): Promise<Doc | null>;
  getMany(collection: string, ids: readonly string[]): Promise<Doc[]>;
  find(collection: string, filter: Filter, options?: FindOptions): Promise<Doc[]>;
  count(collection: string, filter: Filter): Promise<number>;
  /** Counts and sums of numeric fields per value of `by` (dotted path). */
  group(collection: string, filter: Filter, by: string, sumFields: readonly string[]): Promise<GroupResult[]>;
  /**
   * Applies changes guarded by `_v` (a change with `_v` not above the stored one is skipped) and
   * moves the checkpoint forward (never backwards) in one unit.
   */
  commit(projection: string, changes: readonly DocChange[], checkpoint: Checkpoint): Promise<void>;
  getCheckpoint(projection: string): Promise<Checkpoint | null>;
  /**
   * Sets a checkpoint to exactly `checkpoint`, also backwards (which `commit` never does): an
   * operator's replay from an older position.
   */
  resetCheckpoint(name: string, checkpoint: Checkpoint): Promise<void>;
  /**
   * Stores a document that is not a projection's (service configuration such as a webhook
   * subscription): it replaces whatever is stored under its `_id`, whatever the `_v`, and no
   * checkpoint moves. Read back with get/find like any document.
   */
  putDocument(collection: string, doc: Doc): Promise<void>;
  /** Deletes the document `id` whatever its `_v`; absent is not an error. */
  deleteDocument(collection: string, id: string): Promise<void>;
  /** Drops a collection's documents (used by rebuilds into a fresh collection). */
  dropCollection(collection: string): Promise<void>;
  /**
   * Atomically puts `source` in the place of `target` (dropping the old target, keeping the
   * source's documents and indexes). Readers see either the old or the new collection, never an
   * empty one. A missing source is an error and changes nothing (the target is never dropped
   * for it). The projection runner no longer swaps: it activates generations instead.
   */
  replaceCollection(target: string, source: string): Promise<void>;
  /** Removes a projection's checkpoint (rebuild from zero). */
  deleteCheckpoint(projection: string): Promise<void>;
  /** The projection's generation registry, or null when none was ever written. */
  getProjectionRegistry(projection: string): Promise<StoredProjectionRegistry | null>;
  /**
   * Writes the registry only if its stored `rev` is still `expectedRev` (0: absent); true when
   * written (the stored rev is then expectedRev + 1), false when another writer came first.
   */
  putProjectionRegistry(projection: string, expectedRev: number, next: ProjectionRegistry): Promise<boolean>;
  /**
   * Upgrade path only: the version a projection was built with by releases before generations,
   * which kept it in a pseudo-checkpoint named `<projection>@version` (its position was the
   * version). Null when there is none or it is not a version. Read once, by a runner that finds
   * no registry, to adopt such a store without rebuilding it.
   */
  legacyProjectionVersion(projection: string): Promise<number | null>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
