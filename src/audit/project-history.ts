import {
  eventFamily,
  eventLabel,
  fold,
  projectDecider,
  projectStreamId,
  stateView,
  type ProjectEvent,
} from '../domain';
import type { EventStore, StoredEvent } from '../event-store/event-store.port';
import { upcast } from '../event-store/upcasters';

export interface HistoryEntry {
  position: string;
  revision: number;
  type: string;
  label: string | null;
  family: string | null;
  article: string | null;
  data: Record<string, unknown>;
  metadata: StoredEvent['metadata'];
}

export function toHistoryEntry(event: StoredEvent): HistoryEntry {
  return {
    position: event.position,
    revision: event.revision,
    type: event.type,
    label: eventLabel(event.type) ?? null,
    family: eventFamily(event.type) ?? null,
    article: event.metadata.article ?? null,
    data: event.data,
    metadata: event.metadata,
  };
}

/** A stored event as the project decider folds it (stored data is upcast, not type-checked). */
export function toProjectEvent(event: StoredEvent): ProjectEvent {
  return { type: event.type, data: event.data } as ProjectEvent;
}

/** events[start..end) as the decider folds them, without copying the array (streams run long). */
export function* asProjectEvents(
  events: readonly StoredEvent[],
  start = 0,
  end = events.length,
): Generator<ProjectEvent> {
  for (let i = start; i < end; i++) yield toProjectEvent(events[i]);
}

/** Every event of one project, upcast to the current schema, in stream order. */
export async function projectEvents(
  eventStore: EventStore,
  projectId: string,
  toRevision?: number,
): Promise<StoredEvent[]> {
  return (await eventStore.readStream(projectStreamId(projectId), { toRevision })).map(upcast);
}

export interface PointInTimeState {
  projectId: string;
  /** The last event folded; -1 when nothing had happened yet. */
  revision: number;
  asOf: string | null;
  lastEventAt: string | null;
  /** The contract's flat view of the folded state (stateView). */
  state: Record<string, unknown>;
}

/**
 * How many of a stream's first events fall within the limit: those that occurred at or before
 * `asOf` (stopping at the first later one) and/or have a revision up to `revision`.
 */
export function countUntil(events: readonly StoredEvent[], limit: { asOf?: string; revision?: number }): number {
  const until = limit.asOf === undefined ? undefined : Date.parse(limit.asOf);
  let count = 0;
  for (const event of events) {
    if (limit.revision !== undefined && event.revision > limit.revision) break;
    if (until !== undefined && Date.parse(event.metadata.occurredAt) > until) break;
    count++;
  }
  return count;
}

/**
 * The state an official saw at a moment: the stream folded with the domain's own evolve up to
 * an instant (events that occurred at or before it) or a revision. Never from a read model.
 */
export function foldUntil(
  projectId: string,
  events: readonly StoredEvent[],
  limit: { asOf?: string; revision?: number },
): PointInTimeState {
  const count = countUntil(events, limit);
  const state = fold(projectDecider, asProjectEvents(events, 0, count));
  const last = count > 0 ? events[count - 1] : undefined;
  return {
    projectId,
    revision: last?.revision ?? -1,
    asOf: limit.asOf ?? null,
    lastEventAt: last?.metadata.occurredAt ?? null,
    state: stateView(state),
  };
}
