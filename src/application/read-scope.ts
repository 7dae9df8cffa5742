import { canReadProject, type Actor } from '../domain';
import type { Doc, Filter } from '../read-model/read-model.port';
import { ProblemError } from './errors';

/**
 * Read scope (第三条, 第七条): a construction unit reads only its own department's projects,
 * including cross-department projects it leads or takes part in; other roles read all.
 * Returns the filter to AND into every project query.
 */
export function departmentScope(actor: Actor, requested?: string): Filter {
  if (actor.role === 'CONSTRUCTION_UNIT') {
    if (requested !== undefined && requested !== actor.department) {
      throw new ProblemError(
        403,
        'FORBIDDEN',
        'Forbidden',
        'A construction unit may only read its own department (第三条).',
        {
          article: '第三条',
        },
      );
    }
    return { departments: actor.department ?? '' };
  }
  return requested !== undefined ? { departments: requested } : {};
}

export function canRead(actor: Actor, doc: Doc): boolean {
  return canReadProject(actor, {
    departmentCode: String(doc.departmentCode ?? ''),
    participants: (doc.departments as string[] | undefined) ?? [],
  });
}

/**
 * Defence in depth behind ProjectVisibilityGuard: a project the caller may not read answers
 * exactly as an unknown id (docs/api.md "Visibility"), never 403 naming its department.
 */
export function assertCanRead(actor: Actor, doc: Doc, projectId: string): void {
  if (!canRead(actor, doc)) throw new ProblemError(404, 'PROJECT_NOT_FOUND', 'Not found', `No project ${projectId}.`);
}

/** The public shape of a read-model document: internal guard fields and folded state removed. */
export function publicView(doc: Doc): Record<string, unknown> {
  const { _id: _i, _v: _r, state: _s, ...rest } = doc;
  return rest;
}
