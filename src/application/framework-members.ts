import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { frameworkStreamId, type Actor } from '../domain';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port';
import { upcast } from '../event-store/upcasters';

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
