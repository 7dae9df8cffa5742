import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProblemError } from '../application/errors';
import { Roles } from '../http/auth';
import { ProjectionService } from '../projections/projection.service';

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
    if (!this.projections.runner.has(name))
      throw new ProblemError(404, 'PROJECTION_NOT_FOUND', 'Not found', `No projection ${name}.`);
    // Runs in the background; GET /admin/projections shows progress. The old collection keeps
    // serving until the new one has caught up and takes its place.
    this.projections.rebuildInBackground(name);
    return { name, state: 'rebuilding' };
  }
}
