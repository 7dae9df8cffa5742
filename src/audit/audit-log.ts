import { eventFamily } from '../domain';
import type { EventStore, Position, StoredEvent } from '../event-store/event-store.port';
import { needsUpcast, upcast } from '../event-store/upcasters';
import { EVENT_CATALOGUE, eventLabel } from '../domain';

export interface AuditFilter {
  from?: string;
  to?: string;
  types?: string[];
  family?: string;
  actor?: string;
  /** The department of the event's project (or of the acting user for non-project events). */
  department?: string;
}

/** Resolves project streams to their department (from the project read model). */
export type DepartmentLookup = (streamIds: string[]) => Promise<Map<string, string[]>>;

/** How far a scan got: where to continue and whether it reached the end of the log. */
export interface ScanProgress {
  scannedTo?: Position;
  end: boolean;
}

/**
 * Scans the global log forward from a position, filtering as it goes. The type and family
 * filters go to the store (server-side where the adapter can); the rest is checked per event.
 * Never buffers more than one page. Each store call is bounded (`scanAll`, maxScan), so a rare
 * type does not make one call read the whole log; `maxPages` bounds the calls, and `progress`
 * tells the caller where the scan stopped (continue with `after: progress.scannedTo`).
 */
export async function* scanAudit(
  eventStore: EventStore,
  filter: AuditFilter,
  options: {
    after?: Position;
    pageSize?: number;
    departments?: DepartmentLookup;
    maxPages?: number;
    progress?: ScanProgress;
  },
): AsyncGenerator<StoredEvent> {
  const progress = options.progress ?? { end: false };
  progress.scannedTo = options.after;
  progress.end = false;
  const types = typesFor(filter);
  if (types && types.length === 0) {
    progress.end = true;
    return;
  }
  let after = options.after;
  // fromStorage: auditors see what is stored, never an adapter's in-memory copy of it.
  for (let pages = 0; options.maxPages === undefined || pages < options.maxPages; pages++) {
    const page = await eventStore.scanAll({ after, limit: options.pageSize ?? 1000, types, fromStorage: true });
    const batch = page.events.map(upcast);
    const keep = batch.length > 0 ? await pageFilter(filter, batch, options.departments) : undefined;
    for (const event of batch) {
      if (keep?.(event)) yield event;
    }
    const scannedTo = page.scannedTo ?? after;
    progress.scannedTo = scannedTo;
    if (page.end || scannedTo === undefined || scannedTo === after) {
      progress.end = true;
      return;
    }
    after = scannedTo;
  }
}

type EventHead = Pick<StoredEvent, 'position' | 'streamId' | 'revision' | 'type' | 'metadata'>;

/** The per-event part of a filter (time range, actor, department) for one page of events. */
async function pageFilter(
  filter: AuditFilter,
  page: readonly EventHead[],
  lookup?: DepartmentLookup,
): Promise<(event: EventHead) => boolean> {
  const from = filter.from ? Date.parse(filter.from) : undefined;
  const to = filter.to ? Date.parse(filter.to) : undefined;
  const departments = filter.department && lookup ? await lookup([...new Set(page.map((e) => e.streamId))]) : undefined;
  return (event) => {
    const at = Date.parse(event.metadata.occurredAt);
    if (from !== undefined && at < from) return false;
    if (to !== undefined && at >= to) return false;
    if (filter.actor && event.metadata.actor?.sub !== filter.actor) return false;
    if (filter.department) {
      const owners = departments?.get(event.streamId) ?? [];
      if (!owners.includes(filter.department) && event.metadata.actor?.department !== filter.department) return false;
    }
    return true;
  };
}

/** Event types selected by `types` and `family` (undefined: all). */
export function typesFor(filter: AuditFilter): string[] | undefined {
  let types = filter.types?.length ? filter.types : undefined;
  if (filter.family) {
    const ofFamily = Object.keys(EVENT_CATALOGUE).filter((t) => eventFamily(t) === filter.family);
    types = types ? types.filter((t) => ofFamily.includes(t)) : ofFamily;
  }
  return types;
}

export const CSV_COLUMNS = [
  'position',
  'occurredAt',
  'streamId',
  'revision',
  'type',
  'label',
  'family',
  'article',
  'policy',
  'actorSub',
  'actorName',
  'actorRole',
  'actorDepartment',
  'eventId',
  'correlationId',
  'causationId',
  'hash',
  'data',
  // 第三十三条: the decision rested on lapsed measures (added last: existing columns keep their place)
  'policyLapsed',
] as const;

/** RFC 4180 quoting; a leading = + - @ is neutralised so spreadsheets do not run it as a formula. */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line; `dataJson` is the event's data as JSON text. */
export function csvRow(event: EventHead, dataJson: string): string {
  const m = event.metadata;
  const cells = [
    event.position,
    m.occurredAt,
    event.streamId,
    event.revision,
    event.type,
    eventLabel(event.type) ?? '',
    eventFamily(event.type) ?? '',
    m.article ?? '',
    m.policy,
    m.actor?.sub,
    m.actor?.name,
    m.actor?.role,
    m.actor?.department ?? '',
    m.eventId,
    m.correlationId,
    m.causationId,
    m.hash,
    dataJson,
    m.policyLapsed === true,
  ];
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** One JSON line, the same shape as a history entry plus streamId, with the data spliced in as text. */
export function jsonLine(event: EventHead, dataJson: string): string {
  return (
    `{"position":${JSON.stringify(event.position)},"revision":${event.revision},"type":${JSON.stringify(event.type)},` +
    `"label":${JSON.stringify(eventLabel(event.type) ?? null)},` +
    `"family":${JSON.stringify(eventFamily(event.type) ?? null)},` +
    `"article":${JSON.stringify(event.metadata.article ?? null)},"data":${dataJson},` +
    `"metadata":${JSON.stringify(event.metadata)},` +
    `"streamId":${JSON.stringify(event.streamId)}}\n`
  );
}

/** One exported event: its envelope and its data as JSON text. */
export type ExportRecord = EventHead & { dataJson: string };

const EXPORT_BATCH = 2000;

/**
 * The filtered log in batches of export records. Where the store can hand out stored JSON text,
 * the payloads stay unparsed (only an event that an upcaster changes is parsed), which keeps a
 * full export fast and its memory flat.
 */
export async function* exportBatches(
  eventStore: EventStore,
  filter: AuditFilter,
  options: { after?: Position; departments?: DepartmentLookup },
): AsyncGenerator<ExportRecord[]> {
  if (!eventStore.readAllText) {
    let batch: ExportRecord[] = [];
    for await (const event of scanAudit(eventStore, filter, { ...options, pageSize: EXPORT_BATCH })) {
      batch.push({ ...event, dataJson: JSON.stringify(event.data) });
      if (batch.length >= EXPORT_BATCH) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
    return;
  }
  const types = typesFor(filter);
  if (types && types.length === 0) return;
  let after = options.after;
  for (;;) {
    const batch = await eventStore.readAllText({ after, limit: EXPORT_BATCH, types, fromStorage: true });
    if (batch.length === 0) return;
    const keep = await pageFilter(filter, batch, options.departments);
    const records: ExportRecord[] = [];
    for (const event of batch) {
      if (!keep(event)) continue;
      if (needsUpcast(event.type, event.metadata.schemaVersion)) {
        const lifted = upcast({ ...event, data: JSON.parse(event.dataJson) as Record<string, unknown> });
        records.push({ ...lifted, dataJson: JSON.stringify(lifted.data) });
      } else {
        records.push(event);
      }
    }
    if (records.length > 0) yield records;
    after = batch[batch.length - 1].position;
  }
}

/** The filtered log as export lines, one chunk per batch: fewer, larger writes to the socket. */
export async function* exportLines(
  eventStore: EventStore,
  filter: AuditFilter,
  format: 'jsonl' | 'csv',
  options: { after?: Position; departments?: DepartmentLookup },
): AsyncGenerator<string> {
  const line = format === 'csv' ? csvRow : jsonLine;
  for await (const batch of exportBatches(eventStore, filter, options)) {
    let chunk = '';
    for (const record of batch) chunk += line(record, record.dataJson);
    yield chunk;
  }
}
