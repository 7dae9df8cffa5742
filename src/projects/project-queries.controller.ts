import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Actor } from '../domain';
import { GetProject, ListProjects } from './project.queries';
import { GetDashboardSummary, ListDeadlines, ListOmEligibility, ListRectifications } from './portfolio.queries';
import { CurrentActor, Roles } from '../http/auth';
import {
  DeadlinesQuery,
  ExportDeadlinesQuery,
  ExportProjectsQuery,
  GetProjectQuery,
  ListProjectsQuery,
  OmEligibilityQuery,
  RectificationsQuery,
} from './project-queries.dto';
import { DepartmentCode, ProjectId } from '../http/pipes';
import { GetDepartmentRecord } from './department-record.queries';
import { CLOCK, type Clock } from '../infrastructure/clock';
import { streamXlsx, XLSX_MEDIA_TYPE } from '../http/xlsx';
import { everyPage, EXPORT_PAGE_SIZE, exportDay, writeDeadlines, writeProjects } from './project-exports';

const XLSX_FILE = {
  description: 'the workbook (.xlsx): Chinese headers, amounts in 万元, Beijing time',
  content: { [XLSX_MEDIA_TYPE]: { schema: { type: 'string', format: 'binary' } } },
};

@ApiTags('queries')
@ApiBearerAuth()
@Controller()
export class ProjectQueriesController {
  constructor(
    private readonly queryBus: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('projects')
  @ApiOperation({ summary: 'Paged project list with filters (construction units see their own department)' })
  list(@Query() q: ListProjectsQuery, @CurrentActor() actor: Actor) {
    const { page = 1, pageSize = 20, sort = '-updatedAt', ...filters } = q;
    return this.queryBus.execute(new ListProjects(actor, filters, page, pageSize, sort));
  }

  // A static path: Fastify routes it before the parametric `projects/:id` whatever the order.
  @Get('projects/export.xlsx')
  @ApiProduces(XLSX_MEDIA_TYPE)
  @ApiOkResponse(XLSX_FILE)
  @ApiOperation({
    summary: '项目清单 as Excel: every project GET /projects would list with these filters (all pages, same order)',
  })
  async exportProjects(@Query() q: ExportProjectsQuery, @CurrentActor() actor: Actor, @Res() reply: FastifyReply) {
    const { sort = '-updatedAt', ...filters } = q;
    const rows = await everyPage((page) =>
      this.queryBus.execute(new ListProjects(actor, filters, page, EXPORT_PAGE_SIZE, sort)),
    );
    const day = exportDay(this.clock.now());
    streamXlsx(reply, `项目清单-${day}.xlsx`, `ordos-projects-${day}.xlsx`, (out) => writeProjects(out, rows));
  }

  @Get('projects/:id')
  @ApiOperation({ summary: 'Project detail from the read model; ?minRevision=N waits for your own write' })
  detail(@Param('id', ProjectId) id: string, @Query() q: GetProjectQuery, @CurrentActor() actor: Actor) {
    return this.queryBus.execute(new GetProject(actor, id, q.minRevision, q.wait ?? 5000));
  }

  @Get('dashboard/summary')
  @ApiOperation({ summary: 'Counts and sums by status, category, department and family; overdue counts' })
  dashboard(@CurrentActor() actor: Actor) {
    return this.queryBus.execute(new GetDashboardSummary(actor));
  }

  @Get('rectifications')
  @ApiOperation({ summary: '整改 tracker' })
  rectifications(@Query() q: RectificationsQuery, @CurrentActor() actor: Actor) {
    return this.queryBus.execute(new ListRectifications(actor, q.status, q.department, q.page ?? 1, q.pageSize ?? 50));
  }

  @Get('deadlines')
  @ApiOperation({
    summary: 'Coming and missed deadlines (acceptance, performance report, rectification)',
    description:
      '`kind` also lists the open obligations the measures give no date for, with `dueOn: null`: ' +
      'SURPLUS_RETURN (第十九条), ASSET_REGISTRATION (第二十三条), INCIDENT_DECISION (第十八条).',
  })
  deadlines(@Query() q: DeadlinesQuery, @CurrentActor() actor: Actor) {
    return this.queryBus.execute(
      new ListDeadlines(actor, q.kind, q.withinDays, q.department, q.page ?? 1, q.pageSize ?? 50),
    );
  }

  @Get('deadlines/export.xlsx')
  @ApiProduces(XLSX_MEDIA_TYPE)
  @ApiOkResponse(XLSX_FILE)
  @ApiOperation({
    summary: '期限与逾期 as Excel: every deadline GET /deadlines would list (all pages), overdue rows highlighted',
  })
  async exportDeadlines(@Query() q: ExportDeadlinesQuery, @CurrentActor() actor: Actor, @Res() reply: FastifyReply) {
    const rows = await everyPage((page) =>
      this.queryBus.execute(new ListDeadlines(actor, q.kind, q.withinDays, q.department, page, EXPORT_PAGE_SIZE)),
    );
    const day = exportDay(this.clock.now());
    streamXlsx(reply, `期限与逾期-${day}.xlsx`, `ordos-deadlines-${day}.xlsx`, (out) => writeDeadlines(out, rows));
  }

  @Get('om-eligibility')
  @ApiOperation({ summary: '第二十四条 O&M funding eligibility with reasons' })
  omEligibility(@Query() q: OmEligibilityQuery, @CurrentActor() actor: Actor) {
    return this.queryBus.execute(new ListOmEligibility(actor, q.department, q.page ?? 1, q.pageSize ?? 50));
  }

  @Get('departments/:code/record')
  @Roles('OFFICE', 'LEADING_GROUP', 'AUDIT', 'FINANCE', 'CONSTRUCTION_UNIT')
  @ApiOperation({
    summary:
      '第二十九条 a department: its projects with evaluations, sanctions and overdue items (own department only)',
  })
  departmentRecord(@Param('code', DepartmentCode) code: string, @CurrentActor() actor: Actor) {
    return this.queryBus.execute(new GetDepartmentRecord(actor, code));
  }
}
