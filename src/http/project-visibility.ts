import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { projectStreamId, refuse, type Actor } from '../domain';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port';
import { upcast } from '../event-store/upcasters';
import { departmentsFromRegistration, mayRead, type ProjectDepartments } from '../subscriptions/event-envelope';
import type { AuthenticatedRequest } from './auth';
import { ProblemError } from './problem';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Every route about one project: `/projects/:id` and everything under it. */
const PROJECT_ROUTE = /(^|\/)projects\/:id(\/|$)/;

/**
 * The departments of a project, from its ProjectRegistered event (the first of `project-<id>`).
 * A registration never changes, so a known project is cached for good; an unknown id is not
 * cached (it may be registered a moment later).
 */
@Injectable()
export class ProjectRegistrations {
  private static readonly LIMIT = 50_000;
  private readonly known = new Map<string, ProjectDepartments>();

  constructor(@Inject(EVENT_STORE) private readonly eventStore: EventStore) {}

  async departmentsOf(projectId: string): Promise<ProjectDepartments | undefined> {
    const cached = this.known.get(projectId);
    if (cached) return cached;
    const [stored] = await this.eventStore.readStream(projectStreamId(projectId), { fromRevision: 0, toRevision: 0 });
    const first = stored && upcast(stored);
    const departments = first?.type === 'ProjectRegistered' ? departmentsFromRegistration(first.data) : undefined;
    if (departments) {
      if (this.known.size >= ProjectRegistrations.LIMIT) this.known.delete(this.known.keys().next().value as string);
      this.known.set(projectId, departments);
    }
    return departments;
  }
}

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
 * Visibility (API.md): a construction unit learns nothing about another department's project.
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
