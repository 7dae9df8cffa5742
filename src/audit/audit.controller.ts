import { Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import type { Actor } from '../domain';
import { CurrentActor, Roles } from '../http/auth';
import { ProjectId } from '../http/pipes';
import type { AuditFilter } from './audit-log';
import { ExportAuditLog, ExportAuditWorkbook, ListAuditEvents } from './audit-log.queries';
import { EVENT_COLUMNS } from './audit-workbook';
import { sendXlsx, streamSheet, streamXlsx, XLSX_MEDIA_TYPE } from '../http/xlsx';
import { AuditEventsQuery, ExportQuery, StateQuery, VerifyQuery } from './audit.dto';
import { GetProjectArchive, GetProjectHistory, GetProjectStateAsOf } from './history.queries';
import { SealStore, VerifyIntegrity } from './integrity.handlers';

function filterOf(q: AuditEventsQuery): AuditFilter {
  return { from: q.from, to: q.to, types: q.type, family: q.family, actor: q.actor, department: q.department };
}

/** 第二十八条 audit routes: each builds a query (or, to seal, a command); who may see what is decided there. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller()
export class AuditController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly commandBus: CommandBus,
  ) {}

  @Get('projects/:id/history')
  @ApiOperation({ summary: 'Every event of a project with its envelope, Chinese label, family and article' })
  async history(@Param('id', ProjectId) id: string, @CurrentActor() actor: Actor, @Res() reply: FastifyReply) {
    // Sent as the JSON text the handler serialised once per stored content of the stream.
    const { json } = await this.queryBus.execute(new GetProjectHistory(actor, id));
    void reply.header('content-type', 'application/json; charset=utf-8').send(json);
  }

  @Get('projects/:id/archive.xlsx')
  @ApiProduces(XLSX_MEDIA_TYPE)
  @ApiOkResponse({
    description: '项目档案 (.xlsx): sheets 项目概况 (facts), 历史记录 (every event), 期限与义务 (obligations)',
    content: { [XLSX_MEDIA_TYPE]: { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiOperation({
    summary: "项目档案 as Excel: the project's facts, whole history and obligations (whoever may read its history)",
  })
  async archive(@Param('id', ProjectId) id: string, @CurrentActor() actor: Actor, @Res() reply: FastifyReply) {
    const { file, name, day } = await this.queryBus.execute(new GetProjectArchive(actor, id));
    sendXlsx(reply, file, `项目档案-${name}-${day}.xlsx`, `ordos-project-${id}-${day}.xlsx`);
  }

  @Get('projects/:id/state')
  @ApiOperation({ summary: 'The state rebuilt from the stream up to an instant (?asOf) or a revision (?revision)' })
  state(@Param('id', ProjectId) id: string, @Query() q: StateQuery, @CurrentActor() actor: Actor) {
    return this.queryBus.execute(new GetProjectStateAsOf(actor, id, q.asOf, q.revision));
  }

  @Get('audit/events')
  @Roles('AUDIT', 'OFFICE')
  @ApiOperation({ summary: 'Global event log, filtered, paged by global position (?after=<nextAfter>)' })
  events(@Query() q: AuditEventsQuery) {
    return this.queryBus.execute(new ListAuditEvents(filterOf(q), q.after, q.limit ?? 100));
  }

  @Get('audit/export')
  @Roles('AUDIT')
  @ApiProduces('application/x-ndjson', 'text/csv', XLSX_MEDIA_TYPE)
  @ApiOkResponse({
    description: 'the events in log order: JSON lines, CSV or (format=xlsx) an Excel workbook, sheet 审计日志',
    content: {
      'application/x-ndjson': { schema: { type: 'string' } },
      'text/csv': { schema: { type: 'string' } },
      [XLSX_MEDIA_TYPE]: { schema: { type: 'string', format: 'binary' } },
    },
  })
  @ApiOperation({
    summary: 'The filtered log streamed as JSON lines, CSV (UTF-8 with BOM for Excel) or an Excel workbook (xlsx)',
  })
  async export(@Query() q: ExportQuery, @Res() reply: FastifyReply) {
    if (q.format === 'xlsx') {
      const { day, rows } = await this.queryBus.execute(new ExportAuditWorkbook(filterOf(q), q.after));
      streamXlsx(reply, `审计日志-${day}.xlsx`, `ordos-events-${day}.xlsx`, (out) =>
        streamSheet(out, '审计日志', EVENT_COLUMNS, rows),
      );
      return;
    }
    const csv = q.format === 'csv';
    const query = new ExportAuditLog(filterOf(q), q.after, csv ? 'csv' : 'jsonl');
    const { day, chunks } = await this.queryBus.execute(query);
    void reply
      .header('content-type', csv ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
      .header('content-disposition', `attachment; filename="ordos-events-${day}.${csv ? 'csv' : 'jsonl'}"`)
      .send(Readable.from(chunks, { objectMode: false, highWaterMark: 64 * 1024 }));
  }

  @Get('audit/verify')
  @Roles('AUDIT', 'OFFICE')
  @ApiOperation({
    summary: 'Recompute the hash chain of one project (?projectId) or of the whole store with the latest seal',
  })
  verify(@Query() q: VerifyQuery) {
    return this.queryBus.execute(new VerifyIntegrity(q.projectId));
  }

  @Post('audit/seal')
  @HttpCode(201)
  @Roles('OFFICE')
  @ApiOperation({ summary: 'Append a signed seal of every stream head (detects later tail truncation)' })
  seal() {
    return this.commandBus.execute(new SealStore());
  }
}
