import { EVENT_CATALOGUE, FAMILIES, eventFamily, eventLabel, type Family } from '../domain';
import type { EventMetadata } from '../event-store/envelope';
import type { StoredEvent } from '../event-store/event-store.port';
import { upcast } from '../event-store/upcasters';

/** What SSE clients and webhook receivers get: the full stored envelope plus label and family. */
export interface PublishedEvent {
  position: string;
  streamId: string;
  revision: number;
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
  label: string | null;
  family: Family | null;
}

/** Upcast first, so subscribers see the same (current) shape as history and projections. */
export function publish(stored: StoredEvent): PublishedEvent {
  const event = upcast(stored);
  return {
    position: event.position,
    streamId: event.streamId,
    revision: event.revision,
    type: event.type,
    data: event.data,
    metadata: event.metadata,
    label: eventLabel(event.type) ?? null,
    family: eventFamily(event.type) ?? null,
  };
}

export const KNOWN_TYPES: readonly string[] = Object.keys(EVENT_CATALOGUE);
export const KNOWN_FAMILIES: readonly string[] = FAMILIES;

/**
 * The event types a filter of types and families stands for; undefined = every type. Resolving
 * families to types lets the store filter server-side (EventStoreDB's $all filter, SQLite's IN).
 */
export function resolveTypes(
  types: readonly string[] | undefined,
  families: readonly string[] | undefined,
): string[] | undefined {
  const wanted = new Set(types ?? []);
  for (const family of families ?? []) {
    for (const [type, info] of Object.entries(EVENT_CATALOGUE)) if (info.family === family) wanted.add(type);
  }
  return wanted.size === 0 ? undefined : [...wanted];
}

/** The project an event is about: its project stream, or `data.projectId` (annual-plan events). */
export function projectOf(event: { streamId: string; data: Record<string, unknown> }): string | undefined {
  if (event.streamId.startsWith('project-')) return event.streamId.slice('project-'.length);
  return typeof event.data.projectId === 'string' ? event.data.projectId : undefined;
}
