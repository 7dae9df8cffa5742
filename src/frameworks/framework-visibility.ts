import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { frameworkStreamId, refuse, type Actor } from '../domain';
import { ProblemError } from '../application/errors';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port';
import { upcast } from '../event-store/upcasters';
import type { AuthenticatedRequest } from '../http/auth';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The one answer for a framework the caller may not know about: the same as for an unknown id. */
export function frameworkNotFound(method: string, frameworkId: string): Error {
  return method === 'POST'
    ? refuse('FRAMEWORK_NOT_FOUND', { frameworkId })
    : new ProblemError(404, 'FRAMEWORK_NOT_FOUND', 'Not found', `No framework ${frameworkId}.`);
}

/** Whether the actor may know of a framework listing these departments (第七条: lead and participants). */
export function mayKnowFramework(actor: Actor, departments: readonly string[] | undefined): boolean {
  if (departments === undefined) return false;
  return actor.role !== 'CONSTRUCTION_UNIT' || departments.includes(actor.department ?? '');
}

/**
 * The departments of a framework (lead, then participants), from its FrameworkFiled event (the
 * first of `framework-<id>`). A filing never changes, so a known framework stays cached; an
 * unknown id is not cached (it may be filed a moment later).
 */
@Injectable()
export class FrameworkMembers {
  private static readonly LIMIT = 10_000;
  private readonly known = new LRUCache<string, string[]>({ max: FrameworkMembers.LIMIT });

  constructor(@Inject(EVENT_STORE) private readonly eventStore: EventStore) {}

  async departmentsOf(frameworkId: string): Promise<string[] | undefined> {
    const cached = this.known.get(frameworkId);
    if (cached) return cached;
    const [stored] = await this.eventStore.readStream(frameworkStreamId(frameworkId), {
      fromRevision: 0,
      toRevision: 0,
    });
    const first = stored && upcast(stored);
    if (first?.type !== 'FrameworkFiled') return undefined;
    const data = first.data as { leadDepartment: string; participants: string[] };
    const departments = [data.leadDepartment, ...data.participants];
    this.known.set(frameworkId, departments);
    return departments;
  }
}

/**
 * Visibility (docs/api.md): a construction unit of a department the framework does not list
 * learns nothing of it. Runs after authentication and before pipes and validation on every
 * `/frameworks/:id` route: such a framework and an unknown id get the same 404.
 */
@Injectable()
export class FrameworkVisibilityGuard implements CanActivate {
  constructor(private readonly members: FrameworkMembers) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest & { params?: Record<string, string> }>();
    const id = request.params?.id;
    // No id (the list, filing) or a malformed one (the pipe's 400, the same for every caller).
    if (typeof id !== 'string' || !UUID.test(id) || !request.actor) return true;
    if (request.actor.role !== 'CONSTRUCTION_UNIT') return true;
    if (!mayKnowFramework(request.actor, await this.members.departmentsOf(id))) {
      throw frameworkNotFound(request.method, id);
    }
    return true;
  }
}
