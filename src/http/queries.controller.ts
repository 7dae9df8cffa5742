import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../domain';
import { ProjectionService } from '../projections/projection.service';
import { GetProject, ListProjects } from '../queries/project.queries';
import {
  GetAnnualPlan,
  GetDashboardSummary,
  ListDeadlines,
  ListOmEligibility,
  ListRectifications,
} from '../queries/portfolio.queries';
import { PlanYear, checkYear } from './annual-plans.controller';
import { CurrentActor, Roles } from './auth';
import { DeadlinesQuery, GetProjectQuery, ListProjectsQuery, OmEligibilityQuery, RectificationsQuery } from './dto/queries.dto';
import { ProblemError } from './problem';
import { ProjectId } from './project-commands.controller';

@ApiTags('queries')
@ApiBearerAuth()
@Controller()
export class QueriesController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('projects')
  @ApiOperation({ summary: 'Paged project list with filters (construction units see their own department)' })
  list(@Query() q: ListProjectsQuery, @CurrentActor() actor: Actor) {
    const { page = 1, pageSize = 20, sort = '-updatedAt', ...filters } = q;
    return this.queryBus.execute(new ListProjects(actor, filters, page, pageSize, sort));
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
  @ApiOperation({ summary: 'Coming and missed deadlines (acceptance, performance report, rectification)' })
  deadlines(@Query() q: DeadlinesQuery, @CurrentActor() actor: Actor) {
    return this.queryBus.execute(new ListDeadlines(actor, q.kind, q.withinDays, q.department, q.page ?? 1, q.pageSize ?? 50));
  }

  @Get('om-eligibility')
  @ApiOperation({ summary: '第二十四条 O&M funding eligibility with reasons' })
  omEligibility(@Query() q: OmEligibilityQuery, @CurrentActor() actor: Actor) {
    return this.queryBus.execute(new ListOmEligibility(actor, q.department, q.page ?? 1, q.pageSize ?? 50));
  }

  @Get('annual-plans/:year')
  @ApiOperation({ summary: '第五条 annual construction plan (construction units see their own department\'s entries)' })
  annualPlan(@Param('year', PlanYear) year: number, @CurrentActor() actor: Actor) {
    return this.queryBus.execute(new GetAnnualPlan(checkYear(year), actor));
  }
}

@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/projections')
export class ProjectionsAdminController {
  constructor(private readonly projections: ProjectionService) {}

  @Get()
  @Roles('OFFICE')
  @ApiOperation({ summary: 'Projection status: checkpoint, head, lag' })
  status() {
    return this.projections.runner.status();
  }

  @Post(':name/rebuild')
  @HttpCode(202)
  @Roles('OFFICE')
  @ApiOperation({ summary: 'Rebuild one read model from the events alone' })
  rebuild(@Param('name') name: string) {
    if (!this.projections.runner.has(name)) throw new ProblemError(404, 'PROJECTION_NOT_FOUND', 'Not found', `No projection ${name}.`);
    // Runs in the background; GET /admin/projections shows progress. The old collection keeps
    // serving until the new one has caught up and takes its place.
    this.projections.rebuildInBackground(name);
    return { name, state: 'rebuilding' };
  }
}
