import { Module } from '@nestjs/common';
import {
  GetDashboardSummaryHandler,
  ListDeadlinesHandler,
  ListOmEligibilityHandler,
  ListRectificationsHandler,
} from './portfolio.queries';
import { GetDepartmentRecordHandler } from './department-record.queries';
import { InboxController } from './inbox.controller';
import { GetInboxHandler, ProjectInboxSource } from './inbox.queries';
import { ProjectCommandsController } from './project-commands.controller';
import { ProjectQueriesController } from './project-queries.controller';
import { GetProjectHandler, ListProjectsHandler } from './project.queries';
import { ListDoneHandler } from './records.queries';

/** Projects: the commands of the measures on one project, its read model and the portfolio views. */
@Module({
  controllers: [ProjectCommandsController, ProjectQueriesController, InboxController],
  providers: [
    GetProjectHandler,
    ListProjectsHandler,
    GetDashboardSummaryHandler,
    ListRectificationsHandler,
    ListDeadlinesHandler,
    ListOmEligibilityHandler,
    GetDepartmentRecordHandler,
    GetInboxHandler,
    ProjectInboxSource,
    ListDoneHandler,
  ],
})
export class ProjectsModule {}
