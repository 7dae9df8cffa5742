import type {
  Doc,
  DocChange,
  FieldCondition,
  Filter,
  FindOptions,
  ProjectionRegistry,
  Scalar,
} from './read-model.port';

/**
 * Helpers shared by the read-model adapters: validation of caller-supplied names and the
 * normalisation both adapters apply before translating a filter, so that they agree on the
 * port's semantics.
 *
 * Field paths reach the adapters from query DTOs and may be user-influenced. SQLite has to
 * inline them into SQL (an index on `json_extract(body,'$.a.b')` is only used when the query
 * carries exactly the same expression), so every segment is validated against a strict
 * identifier pattern; values are always bound as parameters.
 */

const SEGMENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Letters first, so that no user collection can collide with `_checkpoints` / `_rm_…`. */
const COLLECTION = /^[A-Za-z][A-Za-z0-9_]{0,99}$/;
const OPERATORS = new Set(['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$contains', '$exists']);

export class InvalidReadModelQuery extends Error {
  readonly code = 'INVALID_READ_MODEL_QUERY';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidReadModelQuery';
  }
}

/** Splits a dotted path and validates each segment; throws on anything but identifiers. */
export function fieldPath(path: string): string[] {
  if (typeof path !== 'string' || path.length === 0 || path.length > 200) {
    throw new InvalidReadModelQuery(`invalid field path: ${JSON.stringify(path)}`);
  }
  const segments = path.split('.');
  for (const segment of segments) {
    if (!SEGMENT.test(segment)) throw new InvalidReadModelQuery(`invalid field path: ${JSON.stringify(path)}`);
  }
  return segments;
}

export function assertCollection(collection: string): void {
  if (typeof collection !== 'string' || !COLLECTION.test(collection)) {
    throw new InvalidReadModelQuery(`invalid collection name: ${JSON.stringify(collection)}`);
  }
}

export function assertScalar(value: unknown, where: string): asserts value is Scalar {
  const ok =
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value));
  if (!ok) throw new InvalidReadModelQuery(`${where}: expected a string, finite number, boolean or null`);
}

export function isCondition(value: Scalar | FieldCondition): value is FieldCondition {
  return typeof value === 'object' && value !== null;
}

/** One `field op value` term; a filter is the AND of its terms. */
export type Term =
  | { path: string; op: '$eq' | '$ne'; value: Scalar }
  | { path: string; op: '$gt' | '$gte' | '$lt' | '$lte'; value: Exclude<Scalar, null> }
  | { path: string; op: '$in'; values: Scalar[] }
  | { path: string; op: '$contains'; value: string }
  | { path: string; op: '$exists'; value: boolean };

/**
 * Flattens a filter into validated terms in a deterministic order (field order, then operator
 * order as written), so equal filters produce equal SQL text and hit the statement cache.
 */
export function filterTerms(filter: Filter): Term[] {
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) {
    throw new InvalidReadModelQuery('filter must be an object');
  }
  const terms: Term[] = [];
  for (const [path, raw] of Object.entries(filter)) {
    fieldPath(path);
    if (raw === undefined) continue;
    if (!isCondition(raw)) {
      assertScalar(raw, path);
      terms.push({ path, op: '$eq', value: raw });
      continue;
    }
    if (Array.isArray(raw))
      throw new InvalidReadModelQuery(`${path}: use { $in: [...] } to match one of several values`);
    for (const [op, value] of Object.entries(raw as Record<string, unknown>)) {
      if (!OPERATORS.has(op)) throw new InvalidReadModelQuery(`${path}: unsupported operator ${JSON.stringify(op)}`);
      if (value === undefined) continue;
      switch (op) {
        case '$eq':
        case '$ne':
          assertScalar(value, `${path}.${op}`);
          terms.push({ path, op, value });
          break;
        case '$gt':
        case '$gte':
        case '$lt':
        case '$lte':
          // MongoDB and SQLite disagree on how null orders against missing fields; refuse it.
          assertScalar(value, `${path}.${op}`);
          if (value === null) throw new InvalidReadModelQuery(`${path}.${op}: null is not a valid bound`);
          terms.push({ path, op, value });
          break;
        case '$in':
          if (!Array.isArray(value)) throw new InvalidReadModelQuery(`${path}.$in: expected an array`);
          value.forEach((v, i) => assertScalar(v, `${path}.$in[${i}]`));
          terms.push({ path, op, values: [...(value as Scalar[])] });
          break;
        case '$contains':
          if (typeof value !== 'string') throw new InvalidReadModelQuery(`${path}.$contains: expected a string`);
          terms.push({ path, op, value });
          break;
        case '$exists':
          if (typeof value !== 'boolean') throw new InvalidReadModelQuery(`${path}.$exists: expected a boolean`);
          terms.push({ path, op, value });
          break;
      }
    }
  }
  return terms;
}

export interface NormalisedFind {
  /** Sort keys with `_id` appended as the final tie-breaker, so paging is stable. */
  sort: Array<[string, 1 | -1]>;
  skip: number;
  limit: number | undefined;
}

export function normaliseFindOptions(options: FindOptions | undefined): NormalisedFind {
  const sort: Array<[string, 1 | -1]> = [];
  for (const [path, dir] of Object.entries(options?.sort ?? {})) {
    fieldPath(path);
    if (dir !== 1 && dir !== -1) throw new InvalidReadModelQuery(`sort ${path}: direction must be 1 or -1`);
    sort.push([path, dir]);
  }
  if (!sort.some(([path]) => path === '_id')) sort.push(['_id', 1]);
  const skip = options?.skip ?? 0;
  if (!Number.isSafeInteger(skip) || skip < 0) throw new InvalidReadModelQuery('skip must be a non-negative integer');
  const limit = options?.limit;
  if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 0)) {
    throw new InvalidReadModelQuery('limit must be a non-negative integer');
  }
  return { sort, skip, limit };
}

export function assertChange(change: DocChange): void {
  assertCollection(change.collection);
  const id = change.op === 'upsert' ? change.doc?._id : change.id;
  const v = change.op === 'upsert' ? change.doc?._v : change._v;
  if (typeof id !== 'string' || id.length === 0)
    throw new InvalidReadModelQuery(`${change.collection}: _id must be a non-empty string`);
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new InvalidReadModelQuery(`${change.collection}/${id}: _v must be a finite number`);
  if (change.op !== 'upsert' && change.op !== 'delete') throw new InvalidReadModelQuery(`unknown change op`);
}

/**
 * Keeps, per (collection, id), only the change with the highest `_v` (the last one on ties):
 * the batch's net effect. Lets an adapter send the batch unordered without a stale upsert
 * overtaking a later delete of the same document.
 */
export function collapseChanges(changes: readonly DocChange[]): DocChange[] {
  const latest = new Map<string, DocChange>();
  for (const change of changes) {
    const id = change.op === 'upsert' ? change.doc._id : change.id;
    const v = change.op === 'upsert' ? change.doc._v : change._v;
    const key = `${change.collection}\u0000${id}`;
    const previous = latest.get(key);
    const previousV = previous === undefined ? -Infinity : previous.op === 'upsert' ? previous.doc._v : previous._v;
    if (v >= previousV) {
      latest.delete(key); // re-insert so the map keeps the order of the winning change
      latest.set(key, change);
    }
  }
  return [...latest.values()];
}

/** Escapes a literal for use inside a regular expression (MongoDB `$regex`, PCRE syntax). */
export function escapeRegex(literal: string): string {
  return literal.replace(/[\\^$.*+?()[\]{}|-]/g, '\\$&');
}

/** A document given to putDocument: the same rules as an upserted one. */
export function assertDocument(collection: string, doc: Doc): void {
  assertChange({ op: 'upsert', collection, doc });
}

export function assertDocumentId(collection: string, id: string): void {
  assertCollection(collection);
  if (typeof id !== 'string' || id.length === 0) {
    throw new InvalidReadModelQuery(`${collection}: _id must be a non-empty string`);
  }
}

/** The registry's keys are projection versions in decimal, its values generation (collection) names. */
export function assertRegistry(projection: string, registry: ProjectionRegistry): void {
  for (const [version, generation] of Object.entries(registry.active ?? {})) {
    if (!/^(0|[1-9]\d{0,15})$/.test(version)) {
      const shown = JSON.stringify(version);
      throw new InvalidReadModelQuery(`${projection} registry: version ${shown} is not a decimal integer`);
    }
    assertCollection(generation);
  }
  for (const retired of registry.retired ?? []) assertCollection(retired.generation);
}

/** Name of the pseudo-checkpoint in which releases before generations kept a projection's version. */
export function legacyVersionKey(projection: string): string {
  return `${projection}@version`;
}

/** That pseudo-checkpoint's position read as the version it held; null if it is not one. */
export function parseLegacyVersion(position: string | undefined): number | null {
  if (position === undefined || !/^(0|[1-9]\d{0,15})$/.test(position)) return null;
  const version = Number(position);
  return Number.isSafeInteger(version) ? version : null;
}
