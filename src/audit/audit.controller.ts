import { Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import type { Actor } from '../domain';
import { CurrentActor, Roles } from '../http/auth';
import { ProjectId } from '../http/pipes';
import type { AuditFilter } from './audit-log';
import { ExportAuditLog, ListAuditEvents } from './audit-log.queries';
import { AuditEventsQuery, ExportQuery, StateQuery, VerifyQuery } from './audit.dto';
import { GetProjectHistory, GetProjectStateAsOf } from './history.queries';
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
  @ApiProduces('application/x-ndjson', 'text/csv')
  @ApiOperation({ summary: 'The filtered log streamed as JSON lines or CSV (UTF-8 with BOM for Excel)' })
  async export(@Query() q: ExportQuery, @Res() reply: FastifyReply) {
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
