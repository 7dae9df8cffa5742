import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { refuse } from '../domain';
import { ProblemError } from '../application/errors';
import { FrameworkMembers, mayKnowFramework } from '../application/framework-members';
import type { AuthenticatedRequest } from '../http/auth';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The one answer for a framework the caller may not know about: the same as for an unknown id. */
export function frameworkNotFound(method: string, frameworkId: string): Error {
  return method === 'POST'
    ? refuse('FRAMEWORK_NOT_FOUND', { frameworkId })
    : new ProblemError(404, 'FRAMEWORK_NOT_FOUND', 'Not found', `No framework ${frameworkId}.`);
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
