import { canReplayHistory, projectStreamId, type Actor } from '../domain';
import { ProblemError } from '../application/errors';
import type { EventStore } from '../event-store/event-store.port';

type ReplayDepartments = { departmentCode: string; participants?: string[]; leadDepartment?: string };

/** 第二十八条 the audit bureau replays history; the office and the project's own department too. */
export function assertMayReplay(actor: Actor, departments: ReplayDepartments): void {
  if (canReplayHistory(actor, departments)) return;
  throw new ProblemError(
    403,
    'FORBIDDEN',
    'Forbidden',
    "History is open to the audit bureau, the office and the project's own department (第二十八条).",
    { article: '第二十八条' },
  );
}

/**
 * Who may replay a project is decided on the stream itself (its registration, revision 0), not
 * on the read model, so a department can read its project's history the moment it is registered.
 * Called before the history is read or folded; ProjectVisibilityGuard has already answered 404
 * for an unknown or invisible project.
 */
export async function assertMayReplayProject(eventStore: EventStore, actor: Actor, projectId: string): Promise<void> {
  const events = await eventStore.readStream(projectStreamId(projectId), { fromRevision: 0, toRevision: 0 });
  if (events.length === 0) throw new ProblemError(404, 'PROJECT_NOT_FOUND', 'Not found', `No project ${projectId}.`);
  const registered = events[0].data as {
    departmentCode?: string;
    crossDepartment?: { leadDepartment?: string; participants?: string[] } | null;
  };
  assertMayReplay(actor, {
    departmentCode: registered.departmentCode ?? '',
    leadDepartment: registered.crossDepartment?.leadDepartment,
    participants: registered.crossDepartment?.participants ?? [],
  });
}
