import { ProjectionService } from '../projections/projection.service';
import { Controller, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { canReplayHistory, projectStreamId, type Actor } from '../domain';
import { EVENT_STORE, type EventStore, type StoredEvent } from '../event-store/event-store.port';
import { CurrentActor, Roles } from '../http/auth';
import { InvalidInput, ProblemError } from '../application/errors';
import { ProjectId } from '../http/pipes';
import { sealKeyFrom } from './seal-key';
import type { AppConfig } from '../infrastructure/config';
import { CLOCK, type Clock } from '../infrastructure/clock';
import { APP_CONFIG } from '../infrastructure/tokens';
import { projectIdOfStream } from '../application/streams';
import { READ_MODEL_STORE, type ReadModelStore } from '../read-model/read-model.port';
import { AuditEventsQuery, ExportQuery, StateQuery, VerifyQuery } from './audit.dto';
import { CSV_COLUMNS, exportLines, scanAudit, type AuditFilter, type DepartmentLookup, type ScanProgress } from './audit-log';
import { sealStore, verifyStore, verifyStream } from './integrity';
import { countUntil, toHistoryEntry } from './project-history';
import { ProjectStreamCache } from './stream-cache';

/** 第二十八条 the audit bureau replays history; the office and the project's own department too. */
function assertMayReplay(actor: Actor, departments: { departmentCode: string; participants?: string[]; leadDepartment?: string }): void {
  if (canReplayHistory(actor, departments)) return;
  throw new ProblemError(403, 'FORBIDDEN', 'Forbidden', 'History is open to the audit bureau, the office and the project\'s own department (第二十八条).', { article: '第二十八条' });
}

/** Store calls (each bounded by maxScan) one /audit/events request makes at most. */
const AUDIT_MAX_PAGES = 8;

@ApiTags('audit')
@ApiBearerAuth()
@Controller()
export class AuditController {
  private readonly departments: DepartmentLookup;
  private readonly streams: ProjectStreamCache;

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly projections: ProjectionService,
  ) {
    this.streams = new ProjectStreamCache(eventStore);
    this.departments = async (streamIds) => {
      const ids = streamIds.map((s) => projectIdOfStream(s)).filter((id): id is string => !!id);
      const docs = await this.readModels.getMany(this.projections.runner.collectionOf('projects'), ids);
      return new Map(docs.map((d) => [projectStreamId(d._id), (d.departments as string[]) ?? []]));
    };
  }

  @Get('projects/:id/history')
  @ApiOperation({ summary: 'Every event of a project with its envelope, Chinese label, family and article' })
  async history(@Param('id', ProjectId) id: string, @CurrentActor() actor: Actor, @Res() reply: FastifyReply) {
    // Authorized on the registration alone, before the history is built (ProjectVisibilityGuard
    // has already answered 404 for an unknown or invisible project).
    await this.authorize(actor, id, await this.eventStore.readStream(projectStreamId(id), { fromRevision: 0, toRevision: 0 }));
    const { json } = await this.streams.historyJson(id);
    void reply.header('content-type', 'application/json; charset=utf-8').send(json);
  }

  @Get('projects/:id/state')
  @ApiOperation({ summary: 'The state rebuilt from the stream up to an instant (?asOf) or a revision (?revision)' })
  async state(@Param('id', ProjectId) id: string, @Query() q: StateQuery, @CurrentActor() actor: Actor) {
    // Authorized on the registration before the stream is read and folded (as for history).
    await this.authorize(actor, id, await this.eventStore.readStream(projectStreamId(id), { fromRevision: 0, toRevision: 0 }));
    const view = await this.streams.view(id);
    const events = view.events;
    const count = countUntil(events, { asOf: q.asOf, revision: q.revision });
    if (count === 0) {
      throw new ProblemError(404, 'NO_STATE_AT_THAT_POINT', 'Not found', `Project ${id} did not exist yet at that point.`);
    }
    const last = events[count - 1];
    return {
      projectId: id,
      revision: last.revision,
      asOf: q.asOf ?? null,
      lastEventAt: last.metadata.occurredAt,
      state: view.stateAfter(count),
    };
  }

  @Get('audit/events')
  @Roles('AUDIT', 'OFFICE')
  @ApiOperation({ summary: 'Global event log, filtered, paged by global position (?after=<nextAfter>)' })
  async events(@Query() q: AuditEventsQuery) {
    await this.assertPosition(q.after);
    const limit = q.limit ?? 100;
    const items = [];
    let lastScanned: string | undefined;
    // A page of a rare type may stop before `limit` once a bounded amount of the log was read:
    // nextAfter then says where the scan stopped, and the client goes on from there.
    const progress: ScanProgress = { end: false };
    const scan = scanAudit(this.eventStore, this.filterOf(q), { after: q.after, departments: this.departments, maxPages: AUDIT_MAX_PAGES, progress });
    for await (const event of scan) {
      items.push({ ...toHistoryEntry(event), streamId: event.streamId });
      lastScanned = event.position;
      if (items.length >= limit) break;
    }
    if (items.length >= limit) return { items, nextAfter: lastScanned };
    return { items, nextAfter: progress.end ? null : (progress.scannedTo ?? null) };
  }

  @Get('audit/export')
  @Roles('AUDIT')
  @ApiProduces('application/x-ndjson', 'text/csv')
  @ApiOperation({ summary: 'The filtered log streamed as JSON lines or CSV (UTF-8 with BOM for Excel)' })
  async export(@Query() q: ExportQuery, @Res() reply: FastifyReply) {
    await this.assertPosition(q.after);
    const csv = q.format === 'csv';
    const lines = exportLines(this.eventStore, this.filterOf(q), csv ? 'csv' : 'jsonl', { after: q.after, departments: this.departments });
    async function* withHeader() {
      if (csv) yield `\uFEFF${CSV_COLUMNS.join(',')}\r\n`;
      yield* lines;
    }
    const stamp = this.clock.now().toISOString().slice(0, 10);
    void reply
      .header('content-type', csv ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
      .header('content-disposition', `attachment; filename="ordos-events-${stamp}.${csv ? 'csv' : 'jsonl'}"`)
      .send(Readable.from(withHeader(), { objectMode: false, highWaterMark: 64 * 1024 }));
  }

  @Get('audit/verify')
  @Roles('AUDIT', 'OFFICE')
  @ApiOperation({ summary: 'Recompute the hash chain of one project (?projectId) or of the whole store with the latest seal' })
  async verify(@Query() q: VerifyQuery) {
    if (q.projectId) {
      const check = await verifyStream(this.eventStore, projectStreamId(q.projectId));
      if (check.checked === 0 && check.ok) throw new ProblemError(404, 'PROJECT_NOT_FOUND', 'Not found', `No project ${q.projectId}.`);
      return { projectId: q.projectId, ...check };
    }
    return verifyStore(this.eventStore, sealKeyFrom(this.config));
  }

  @Post('audit/seal')
  @HttpCode(201)
  @Roles('OFFICE')
  @ApiOperation({ summary: 'Append a signed seal of every stream head (detects later tail truncation)' })
  seal() {
    return sealStore(this.eventStore, sealKeyFrom(this.config), this.clock.now());
  }

  /** `after` must be a position this store issued (e.g. an SQLite-era "42" is refused on EventStoreDB). */
  private async assertPosition(after: string | undefined): Promise<void> {
    if (after === undefined || (await this.eventStore.checkPosition(after))) return;
    throw new InvalidInput([{ field: 'after', problems: ['after must be a global position of this event store (nextAfter of a previous page)'] }]);
  }

  private filterOf(q: AuditEventsQuery): AuditFilter {
    return { from: q.from, to: q.to, types: q.type, family: q.family, actor: q.actor, department: q.department };
  }

  /**
   * Who may replay is decided on the stream itself (its registration), not on the read model, so
   * a department can read its project's history the moment it is registered.
   */
  private async authorize(actor: Actor, projectId: string, events: readonly StoredEvent[]): Promise<void> {
    if (events.length === 0) throw new ProblemError(404, 'PROJECT_NOT_FOUND', 'Not found', `No project ${projectId}.`);
    const registered = events[0].data as { departmentCode?: string; crossDepartment?: { leadDepartment?: string; participants?: string[] } | null };
    assertMayReplay(actor, {
      departmentCode: registered.departmentCode ?? '',
      leadDepartment: registered.crossDepartment?.leadDepartment,
      participants: registered.crossDepartment?.participants ?? [],
    });
  }
}
