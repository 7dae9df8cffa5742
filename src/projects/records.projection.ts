import type { StoredEvent } from '../event-store/event-store.port';
import type { Projection } from '../projections/projection';
import {
  ANNUAL_PLAN_STREAM_PREFIX,
  FRAMEWORK_STREAM_PREFIX,
  PROJECT_STREAM_PREFIX,
  SYSTEM_STREAM_PREFIX,
} from '../application/streams';

/** What a record was about: the stream it was appended to, by kind. */
export type RecordSubject =
  | { kind: 'PROJECT'; id: string }
  | { kind: 'ANNUAL_PLAN'; id: string }
  | { kind: 'SYSTEM'; id: string }
  | { kind: 'FRAMEWORK'; id: string };

const KINDS: ReadonlyArray<[string, RecordSubject['kind']]> = [
  [PROJECT_STREAM_PREFIX, 'PROJECT'],
  [ANNUAL_PLAN_STREAM_PREFIX, 'ANNUAL_PLAN'],
  [SYSTEM_STREAM_PREFIX, 'SYSTEM'],
  [FRAMEWORK_STREAM_PREFIX, 'FRAMEWORK'],
];

export function subjectOfStream(streamId: string): RecordSubject | undefined {
  for (const [prefix, kind] of KINDS) {
    if (streamId.startsWith(prefix)) return { kind, id: streamId.slice(prefix.length) };
  }
  return undefined;
}

/** A person's own record: an event a signed-in actor caused, never one of the clock's (SYSTEM). */
function isPersonalRecord(event: StoredEvent): boolean {
  const actor = event.metadata.actor as { sub?: unknown; role?: unknown } | undefined;
  return typeof actor?.sub === 'string' && actor.sub !== '' && actor.role !== 'SYSTEM';
}

/**
 * 已办: every decision and filing a person recorded, one document per event (its `eventId`), so
 * the list of one person's records across every stream is one indexed query. Each document is
 * fed by exactly one event of one stream: its `_v` is that event's revision and a replay changes
 * nothing. The names shown beside a record are read from the other read models when asked, so a
 * renamed project shows its current name.
 */
export const recordsProjection: Projection = {
  name: 'records',
  version: 1,
  collection: 'records',
  indexes: [{ fields: { sub: 1, order: -1 } }],
  route: (event) =>
    isPersonalRecord(event) && subjectOfStream(event.streamId) ? [String(event.metadata.eventId)] : [],
  evolve(doc, event) {
    if (doc) return doc;
    const { actor, occurredAt, article } = event.metadata;
    return {
      sub: actor.sub,
      role: actor.role,
      ...(actor.department === undefined ? {} : { department: actor.department }),
      type: event.type,
      article: article ?? null,
      occurredAt,
      // newest first, and the events of one command (one instant) in the order they were decided
      order: `${occurredAt}#${String(event.revision).padStart(10, '0')}`,
      streamId: event.streamId,
      position: event.position,
      subject: subjectOfStream(event.streamId),
    };
  },
};
