import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { annualPlanInbox, localDateOf, type Actor, type AnnualPlanState, type InboxItem } from '../domain';
import { InboxSources, type InboxSource } from '../application/inbox-sources';
import { canRead } from '../application/read-scope';
import { ProjectionService } from '../projections/projection.service';
import { READ_MODEL_STORE, type ReadModelStore } from '../read-model/read-model.port';

/**
 * 第五条 the annual plans' items: a plan with entries to adopt (the leading group's joint meeting),
 * an adopted plan's entries awaiting finance's budget feedback (一下). Who acts is the plan
 * command's `roles`; an entry names its project when the caller may read it.
 */
@Injectable()
export class AnnualPlanInboxSource implements InboxSource, OnModuleInit {
  readonly name = 'annual-plans';

  constructor(
    private readonly sources: InboxSources,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    private readonly projections: ProjectionService,
  ) {}

  onModuleInit(): void {
    this.sources.register(this);
  }

  async itemsFor(actor: Actor, now: string): Promise<InboxItem[]> {
    const today = localDateOf(now);
    const plans = await this.readModels.find(
      this.projections.runner.collectionOf('annual-plans'),
      {},
      {
        sort: { year: 1 },
      },
    );
    const items = plans.flatMap((doc) => annualPlanInbox(doc.state as AnnualPlanState, actor.role, today));
    const ids = [...new Set(items.flatMap((i) => (i.projectId === undefined ? [] : [i.projectId])))];
    if (ids.length === 0) return items;
    const docs = await this.readModels.find(this.projections.runner.collectionOf('projects'), {
      projectId: { $in: ids },
    });
    const projects = new Map(
      docs
        .filter((doc) => canRead(actor, doc))
        .map((doc) => [
          String(doc.projectId),
          { projectId: String(doc.projectId), name: String(doc.name), departmentCode: String(doc.departmentCode) },
        ]),
    );
    return items.map((i) => (i.projectId === undefined ? i : { ...i, project: projects.get(i.projectId) ?? null }));
  }
}
