import { ProjectionsAdminController, QueriesController } from '../http/queries.controller';
import {
  GetAnnualPlanHandler,
  GetDashboardSummaryHandler,
  ListDeadlinesHandler,
  ListOmEligibilityHandler,
  ListRectificationsHandler,
} from './portfolio.queries';
import { GetProjectHandler, ListProjectsHandler } from './project.queries';

export const QUERY_HANDLERS = [
  GetProjectHandler,
  ListProjectsHandler,
  GetDashboardSummaryHandler,
  ListRectificationsHandler,
  ListDeadlinesHandler,
  ListOmEligibilityHandler,
  GetAnnualPlanHandler,
];

export const QUERY_CONTROLLERS = [QueriesController, ProjectionsAdminController];
