import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { frameworkInbox, localDateOf, type Actor, type FrameworkState, type InboxItem } from '../domain';
import { InboxSources, type InboxSource } from '../application/inbox-sources';
import { ProjectionService } from '../projections/projection.service';
import { READ_MODEL_STORE, type Filter, type ReadModelStore } from '../read-model/read-model.port';

/**
 * 第七条 the frameworks' items: a participant's confirmation, then the office's acknowledgement.
 * A construction unit is asked only about the frameworks its department is in.
 */
@Injectable()
export class FrameworksInboxSource implements InboxSource, OnModuleInit {
  readonly name = 'frameworks';

  constructor(
    private readonly sources: InboxSources,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    private readonly projections: ProjectionService,
  ) {}

  onModuleInit(): void {
    this.sources.register(this);
  }

  async itemsFor(actor: Actor, now: string): Promise<InboxItem[]> {
    if (actor.role !== 'CONSTRUCTION_UNIT' && actor.role !== 'OFFICE') return [];
    const scope: Filter =
      actor.role === 'CONSTRUCTION_UNIT' ? { departments: actor.department ?? '' } : { confirmed: true };
    const docs = await this.readModels.find(
      this.projections.runner.collectionOf('frameworks'),
      { acknowledged: false, ...scope },
      { sort: { filedOn: 1, _id: 1 } },
    );
    const today = localDateOf(now);
    return docs.flatMap((doc) => frameworkInbox(doc.state as FrameworkState, actor, today));
  }
}
