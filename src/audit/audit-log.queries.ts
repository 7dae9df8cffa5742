import { Inject, Injectable } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { frameworkStreamId, projectStreamId } from '../domain';
import { InvalidInput } from '../application/errors';
import { frameworkIdOfStream, projectIdOfStream } from '../application/streams';
import { EVENT_STORE, type EventStore, type Position } from '../event-store/event-store.port';
import { CLOCK, type Clock } from '../infrastructure/clock';
import { ProjectionService } from '../projections/projection.service';
import { READ_MODEL_STORE, type ReadModelStore } from '../read-model/read-model.port';
import {
  CSV_COLUMNS,
  exportBatches,
  exportLines,
  scanAudit,
  type AuditFilter,
  type DepartmentLookup,
  type ScanProgress,
} from './audit-log';
import type { EventRow } from './audit-workbook';
import { toHistoryEntry, type HistoryEntry } from './project-history';

/** Store calls (each bounded by maxScan) one ListAuditEvents makes at most. */
const AUDIT_MAX_PAGES = 8;

export interface AuditEventsPage {
  items: Array<HistoryEntry & { streamId: string }>;
  /** Where the next page starts; null once the end of the log was reached. */
  nextAfter: Position | null | undefined;
}

/** The global log, filtered, one page after a global position. */
export class ListAuditEvents extends Query<AuditEventsPage> {
  constructor(
    readonly filter: AuditFilter,
    readonly after: Position | undefined,
    readonly limit: number,
  ) {
    super();
  }
}

export type ExportFormat = 'jsonl' | 'csv';

export interface AuditExport {
  format: ExportFormat;
  /** The day of the export (UTC), for the file name. */
  day: string;
  /** The file's text in chunks: the CSV header (UTF-8 BOM for Excel) first, then the events. */
  chunks: AsyncIterable<string>;
}

/** The filtered log as JSON lines or CSV, produced as it is read (never buffered whole). */
export class ExportAuditLog extends Query<AuditExport> {
  constructor(
    readonly filter: AuditFilter,
    readonly after: Position | undefined,
    readonly format: ExportFormat,
  ) {
    super();
  }
}

export interface AuditWorkbook {
  /** The day of the export (Beijing), for the file name. */
  day: string;
  /** The events as rows of the sheet, read as the caller writes them. */
  rows: AsyncIterable<EventRow>;
}

/** The filtered log as rows of an Excel sheet (streamed: the log may hold 100,000+ events). */
export class ExportAuditWorkbook extends Query<AuditWorkbook> {
  constructor(
    readonly filter: AuditFilter,
    readonly after: Position | undefined,
  ) {
    super();
  }
}

/** The department filter's lookup: project streams to their departments, from the project read model. */
@Injectable()
export class AuditDepartments {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    private readonly projections: ProjectionService,
  ) {}

  readonly lookup: DepartmentLookup = async (streamIds) => {
    const ids = streamIds.map((s) => projectIdOfStream(s)).filter((id): id is string => !!id);
    const docs = await this.readModels.getMany(this.projections.runner.collectionOf('projects'), ids);
    const owners = new Map(docs.map((d) => [projectStreamId(d._id), (d.departments as string[]) ?? []]));
    // 第七条 a framework's events belong to its lead and participants (the frameworks read model).
    const frameworkIds = streamIds.map((s) => frameworkIdOfStream(s)).filter((id): id is string => !!id);
    if (frameworkIds.length === 0) return owners;
    const frameworks = await this.readModels.getMany(this.projections.runner.collectionOf('frameworks'), frameworkIds);
    for (const f of frameworks) owners.set(frameworkStreamId(f._id), (f.departments as string[]) ?? []);
    return owners;
  };

  /** The names of the projects of these streams (one read per batch of exported events). */
  async projectNames(streamIds: string[]): Promise<Map<string, string>> {
    const ids = [...new Set(streamIds.map((s) => projectIdOfStream(s)).filter((id): id is string => !!id))];
    if (ids.length === 0) return new Map();
    const docs = await this.readModels.getMany(this.projections.runner.collectionOf('projects'), ids);
    return new Map(docs.map((d) => [projectStreamId(d._id), typeof d.name === 'string' ? d.name : '']));
  }
}

/** `after` must be a position this store issued (e.g. an SQLite-era "42" is refused on EventStoreDB). */
async function assertPosition(eventStore: EventStore, after: Position | undefined): Promise<void> {
  if (after === undefined || (await eventStore.checkPosition(after))) return;
  const problem = 'after must be a global position of this event store (nextAfter of a previous page)';
  throw new InvalidInput([{ field: 'after', problems: [problem] }]);
}

@QueryHandler(ListAuditEvents)
export class ListAuditEventsHandler implements IQueryHandler<ListAuditEvents> {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    private readonly departments: AuditDepartments,
  ) {}

  async execute({ filter, after, limit }: ListAuditEvents): Promise<AuditEventsPage> {
    await assertPosition(this.eventStore, after);
    const items: AuditEventsPage['items'] = [];
    let lastScanned: Position | undefined;
    // A page of a rare type may stop before `limit` once a bounded amount of the log was read:
    // nextAfter then says where the scan stopped, and the client goes on from there.
    const progress: ScanProgress = { end: false };
    const options = { after, departments: this.departments.lookup, maxPages: AUDIT_MAX_PAGES, progress };
    for await (const event of scanAudit(this.eventStore, filter, options)) {
      items.push({ ...toHistoryEntry(event), streamId: event.streamId });
      lastScanned = event.position;
      if (items.length >= limit) break;
    }
    if (items.length >= limit) return { items, nextAfter: lastScanned };
    return { items, nextAfter: progress.end ? null : (progress.scannedTo ?? null) };
  }
}

@QueryHandler(ExportAuditLog)
export class ExportAuditLogHandler implements IQueryHandler<ExportAuditLog> {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly departments: AuditDepartments,
  ) {}

  /** Checks the request before anything is sent; the events are read as the caller streams `chunks`. */
  async execute({ filter, after, format }: ExportAuditLog): Promise<AuditExport> {
    await assertPosition(this.eventStore, after);
    const lines = exportLines(this.eventStore, filter, format, { after, departments: this.departments.lookup });
    async function* chunks() {
      if (format === 'csv') yield `\uFEFF${CSV_COLUMNS.join(',')}\r\n`;
      yield* lines;
    }
    return { format, day: this.clock.now().toISOString().slice(0, 10), chunks: chunks() };
  }
}

@QueryHandler(ExportAuditWorkbook)
export class ExportAuditWorkbookHandler implements IQueryHandler<ExportAuditWorkbook> {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly departments: AuditDepartments,
  ) {}

  /** Checks the request before anything is sent; the events are read as the workbook is written. */
  async execute({ filter, after }: ExportAuditWorkbook): Promise<AuditWorkbook> {
    await assertPosition(this.eventStore, after);
    const batches = exportBatches(this.eventStore, filter, { after, departments: this.departments.lookup });
    const departments = this.departments;
    async function* rows(): AsyncGenerator<EventRow> {
      for await (const batch of batches) {
        const names = await departments.projectNames(batch.map((r) => r.streamId));
        for (const record of batch) yield { ...record, projectName: names.get(record.streamId) };
      }
    }
    const beijing = new Date(this.clock.now().getTime() + 8 * 3600 * 1000);
    return { day: beijing.toISOString().slice(0, 10), rows: rows() };
  }
}
