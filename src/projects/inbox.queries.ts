import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import {
  assembleInbox,
  localDateOf,
  projectInbox,
  type Actor,
  type AnnualPlanState,
  type InboxItem,
  type ProjectState,
} from '../domain';
import { InboxSources, type InboxSource } from '../application/inbox-sources';
import { CLOCK, type Clock } from '../infrastructure/clock';
import { ProjectionService } from '../projections/projection.service';
import { READ_MODEL_STORE, type Filter, type ReadModelStore } from '../read-model/read-model.port';

export class GetInbox {
  constructor(readonly actor: Actor) {}
}

/**
 * GET /inbox: what awaits the caller's role (and a construction unit's department) as of the
 * server clock, merged from every registered source, overdue first, then by due date, with the
 * count per kind for the dashboard's top bar.
 */
@QueryHandler(GetInbox)
export class GetInboxHandler implements IQueryHandler<GetInbox> {
  constructor(
    private readonly sources: InboxSources,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ actor }: GetInbox) {
    const now = this.clock.now().toISOString();
    const lists = await Promise.all(this.sources.all().map((source) => source.itemsFor(actor, now)));
    const inbox = assembleInbox(lists.flat());
    return {
      today: localDateOf(now),
      role: actor.role,
      ...(actor.department === undefined ? {} : { department: actor.department }),
      ...inbox,
    };
  }
}

/**
 * The projects' items: only the documents whose `inboxRoles` name the caller's role are read; a
 * construction unit only those its department files for (第三条: it acts on its own projects only,
 * a participant of 第七条 on its own part, which is its own project). Finance's release of
 * investment reads the budget feedback of the project's plan year (第五条).
 */
@Injectable()
export class ProjectInboxSource implements InboxSource, OnModuleInit {
  readonly name = 'projects';

  constructor(
    private readonly sources: InboxSources,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    private readonly projections: ProjectionService,
  ) {}

  onModuleInit(): void {
    this.sources.register(this);
  }

  async itemsFor(actor: Actor, now: string): Promise<InboxItem[]> {
    const filter: Filter = { inboxRoles: actor.role };
    if (actor.role === 'CONSTRUCTION_UNIT') filter.departmentCode = actor.department ?? '';
    const docs = await this.readModels.find(this.projections.runner.collectionOf('projects'), filter, {
      sort: { nextDueOn: 1, _id: 1 },
    });
    const plans = new Map<number, AnnualPlanState | null>();
    const planOf = async (year: number) => {
      if (!plans.has(year)) {
        const doc = await this.readModels.get(this.projections.runner.collectionOf('annual-plans'), String(year));
        plans.set(year, (doc?.state as AnnualPlanState | undefined) ?? null);
      }
      return plans.get(year) ?? null;
    };
    const items: InboxItem[] = [];
    for (const doc of docs) {
      const state = doc.state as ProjectState;
      let inBudget: boolean | undefined;
      if (actor.role === 'FINANCE' && state.status !== null) {
        const plan = await planOf(state.registration.planYear);
        inBudget = plan?.entries[state.projectId]?.budget?.inBudget;
      }
      items.push(...projectInbox(state, actor.role, now, inBudget === undefined ? {} : { inBudget }));
    }
    return items;
  }
}
