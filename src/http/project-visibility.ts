import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { refuse, type Actor } from '../domain';
import { ProblemError } from '../application/errors';
import { mayRead, ProjectRegistrations } from '../application/project-registrations';
import type { AuthenticatedRequest } from './auth';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Every route about one project: `/projects/:id` and everything under it. */
const PROJECT_ROUTE = /(^|\/)projects\/:id(\/|$)/;

/**
 * The one answer for a project the caller may not know about: the same as for an unknown id.
 * Commands answer the domain's refusal (第九条), reads (GET, HEAD) the query's 404.
 */
export function projectNotFound(method: string, projectId: string): Error {
  return method === 'POST'
    ? refuse('PROJECT_NOT_FOUND', { projectId })
    : new ProblemError(404, 'PROJECT_NOT_FOUND', 'Not found', `No project ${projectId}.`);
}

/**
 * Visibility (docs/api.md): a construction unit learns nothing about another department's project.
 * Runs after authentication and before pipes, validation, waiting and revision checks, on every
 * route with a project id: an unknown id and a project the caller may not read get the same
 * 404. Other roles read every project, so for them only an unknown id is a 404.
 */
@Injectable()
export class ProjectVisibilityGuard implements CanActivate {
  constructor(private readonly registrations: ProjectRegistrations) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest & { params?: Record<string, string> }>();
    const route = request.routeOptions?.url ?? '';
    const id = request.params?.id;
    // Not a project route, or no actor (a public route): nothing to hide. A malformed id is the
    // pipe's 400, the same for every caller.
    if (!PROJECT_ROUTE.test(route) || typeof id !== 'string' || !UUID.test(id) || !request.actor) return true;
    if (!(await this.visible(request.actor, id))) throw projectNotFound(request.method, id);
    return true;
  }

  async visible(actor: Actor, projectId: string): Promise<boolean> {
    const departments = await this.registrations.departmentsOf(projectId);
    return departments !== undefined && mayRead(actor, departments);
  }
}
