import { createHash } from 'node:crypto';

/** Who caused an event. The clock-driven deadline watcher acts as role SYSTEM. */
export interface Actor {
  sub: string;
  name: string;
  role: string;
  department?: string;
}

/** The envelope of API.md, stored as the event's metadata. */
export interface EventMetadata {
  eventId: string;
  occurredAt: string;
  actor: Actor;
  correlationId: string;
  causationId: string;
  idempotencyKey?: string;
  article?: string;
  policy: string;
  /** Set when the decision was taken after the last known policy had lapsed (第三十三条). */
  policyLapsed?: boolean;
  schemaVersion: number;
  prevHash: string;
  hash: string;
}

/** An event ready to append: everything but the hash chain, which the store fills in. */
export interface PendingEvent {
  type: string;
  data: Record<string, unknown>;
  metadata: Omit<EventMetadata, 'prevHash' | 'hash'>;
}

export interface ChainedEvent {
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
}

/** prevHash of a stream's first event. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * Canonical JSON: object keys sorted by code point, no whitespace, `undefined` members dropped,
 * numbers as JSON.stringify prints them. Deterministic across adapters and restarts, which is all
 * the hash chain needs (a stored event is re-hashed from its parsed JSON).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('non-finite number in event');
    if (typeof value === 'bigint') throw new Error('bigint in event');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  }
  const keys = Object.keys(value as Record<string, unknown>).sort();
  const parts: string[] = [];
  for (const key of keys) {
    const member = (value as Record<string, unknown>)[key];
    if (member === undefined || typeof member === 'function') continue;
    parts.push(`${JSON.stringify(key)}:${canonicalJson(member)}`);
  }
  return `{${parts.join(',')}}`;
}

/** hash = sha256(prevHash ‖ canonical JSON of { type, data, metadata without prevHash/hash }). */
export function computeHash(prevHash: string, event: { type: string; data: unknown; metadata: object }): string {
  const { prevHash: _p, hash: _h, ...rest } = event.metadata as Record<string, unknown>;
  const body = canonicalJson({ type: event.type, data: event.data, metadata: rest });
  return createHash('sha256').update(prevHash).update(body).digest('hex');
}

/** Chains pending events onto a stream head. The only place hashes are made. */
export function chainEnvelopes(prevHash: string, events: readonly PendingEvent[]): ChainedEvent[] {
  let previous = prevHash;
  return events.map((event) => {
    const metadata = { ...event.metadata, prevHash: previous } as EventMetadata;
    metadata.hash = computeHash(previous, { type: event.type, data: event.data, metadata });
    previous = metadata.hash;
    return { type: event.type, data: event.data, metadata };
  });
}

export interface ChainCheck {
  ok: boolean;
  checked: number;
  /** The first event whose link or hash does not hold. */
  brokenAt?: { revision: number; eventId?: string; reason: 'HASH_MISMATCH' | 'LINK_MISMATCH' | 'REVISION_GAP' };
}

/** Recomputes a stream's chain from genesis; stops at the first broken link. */
export function verifyChain(events: readonly { revision: number; type: string; data: unknown; metadata: EventMetadata }[]): ChainCheck {
  let previous = GENESIS_HASH;
  let checked = 0;
  for (let i = 0; i < events.length; i++) {
    const event = events[i];
    const eventId = event.metadata?.eventId;
    if (event.revision !== i) return { ok: false, checked, brokenAt: { revision: event.revision, eventId, reason: 'REVISION_GAP' } };
    if (event.metadata?.prevHash !== previous) return { ok: false, checked, brokenAt: { revision: event.revision, eventId, reason: 'LINK_MISMATCH' } };
    if (computeHash(previous, event) !== event.metadata.hash) return { ok: false, checked, brokenAt: { revision: event.revision, eventId, reason: 'HASH_MISMATCH' } };
    previous = event.metadata.hash;
    checked++;
  }
  return { ok: true, checked };
}
