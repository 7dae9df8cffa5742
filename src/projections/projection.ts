import type { StoredEvent } from '../event-store/event-store.port';
import type { Doc, IndexSpec } from '../read-model/read-model.port';

/** A document body as a projection returns it; the runner adds `_id` and `_v`. */
export type DocBody = Record<string, unknown>;

/**
 * A read model, defined purely: which documents an event touches and how each one evolves.
 * Every document is fed by the events of one stream, so its `_v` is that stream's revision and
 * a replayed event (revision ≤ `_v`) changes nothing.
 */
export interface Projection {
  readonly name: string;
  /** Bump when evolve changes meaning: the runner then rebuilds from zero. */
  readonly version: number;
  readonly collection: string;
  readonly indexes: readonly IndexSpec[];
  /** Only these event types reach the projection (read with the store's type filter). */
  readonly types?: readonly string[];
  /** Ids of the documents this event changes ([] when none). */
  route(event: StoredEvent): string[];
  /** The document after the event; null deletes it. Must not mutate `doc`. */
  evolve(doc: Doc | null, event: StoredEvent, id: string): DocBody | null;
  /**
   * Derives fields from the evolved document once per batch instead of once per event (pure).
   * A batch often holds several events of one stream; only its last state is written.
   */
  finalize?(doc: DocBody): DocBody;
}

/** The policy a decision rests on, as a read model shows it (第三十三条). */
export interface DecidedUnder {
  id: string;
  lapsed: boolean;
}

/**
 * 第三十三条: the policy an event was decided under, as its metadata recorded it when it was
 * decided (never re-derived from today's policy list), and whether it had lapsed then. Records
 * without a decision (no policy, or the old 'n/a') give undefined.
 */
export function decidedUnder(event: StoredEvent): DecidedUnder | undefined {
  const { policy, policyLapsed } = event.metadata;
  if (!policy || policy === 'n/a') return undefined;
  return { id: policy, lapsed: policyLapsed === true };
}
