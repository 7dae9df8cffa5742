import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { canReadProject, projectStreamId, type Actor } from '../domain';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port';
import { upcast } from '../event-store/upcasters';

export interface ProjectDepartments {
  departmentCode: string;
  leadDepartment?: string;
  participants?: string[];
}

/** Departments named by a ProjectRegistered event (第七条: lead and participants read too). */
export function departmentsFromRegistration(data: Record<string, unknown>): ProjectDepartments | undefined {
  if (typeof data.departmentCode !== 'string') return undefined;
  const cross = data.crossDepartment as { leadDepartment?: unknown; participants?: unknown } | undefined;
  return {
    departmentCode: data.departmentCode,
    ...(typeof cross?.leadDepartment === 'string' ? { leadDepartment: cross.leadDepartment } : {}),
    ...(Array.isArray(cross?.participants)
      ? { participants: cross.participants.filter((p): p is string => typeof p === 'string') }
      : {}),
  };
}

export function mayRead(actor: Actor, departments: ProjectDepartments | undefined): boolean {
  if (actor.role !== 'CONSTRUCTION_UNIT') return true;
  return departments !== undefined && canReadProject(actor, departments);
}

/**
 * The departments of a project, from its ProjectRegistered event (the first of `project-<id>`).
 * A registration never changes, so a known project stays cached until it is among the least
 * recently used beyond LIMIT; an unknown id is not cached (it may be registered a moment later).
 */
@Injectable()
export class ProjectRegistrations {
  private static readonly LIMIT = 50_000;
  private readonly known = new LRUCache<string, ProjectDepartments>({ max: ProjectRegistrations.LIMIT });

  constructor(@Inject(EVENT_STORE) private readonly eventStore: EventStore) {}

  async departmentsOf(projectId: string): Promise<ProjectDepartments | undefined> {
    const cached = this.known.get(projectId);
    if (cached) return cached;
    const [stored] = await this.eventStore.readStream(projectStreamId(projectId), { fromRevision: 0, toRevision: 0 });
    const first = stored && upcast(stored);
    const departments = first?.type === 'ProjectRegistered' ? departmentsFromRegistration(first.data) : undefined;
    if (departments) this.known.set(projectId, departments);
    return departments;
  }
}
