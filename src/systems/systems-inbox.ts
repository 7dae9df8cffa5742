import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { localDateOf, systemInbox, type Actor, type InboxItem } from '../domain';
import { InboxSources, type InboxSource } from '../application/inbox-sources';
import { ProjectionService } from '../projections/projection.service';
import { READ_MODEL_STORE, type ReadModelStore } from '../read-model/read-model.port';
import { ConstructionBanService } from './construction-ban.service';

/**
 * 第二十四条 the existing systems' items: one never assessed awaits the compliance record of the
 * office or a supervisor. Construction units have nothing to do here (the systems read model
 * holds nothing they act on), so they are never shown another department's systems.
 */
@Injectable()
export class SystemsInboxSource implements InboxSource, OnModuleInit {
  readonly name = 'systems';

  constructor(
    private readonly sources: InboxSources,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    private readonly projections: ProjectionService,
    private readonly ban: ConstructionBanService,
  ) {}

  onModuleInit(): void {
    this.sources.register(this);
  }

  async itemsFor(actor: Actor, now: string): Promise<InboxItem[]> {
    if (actor.role !== 'OFFICE' && actor.role !== 'SUPERVISOR') return [];
    await this.ban.caughtUp();
    const docs = await this.readModels.find(
      this.projections.runner.collectionOf('systems'),
      { kind: 'EXISTING_SYSTEM', complianceRecordedOn: null },
      { sort: { departmentCode: 1, name: 1, _id: 1 } },
    );
    const today = localDateOf(now);
    return docs.flatMap((doc) =>
      systemInbox(
        {
          systemId: String(doc.id),
          name: String(doc.name),
          departmentCode: String(doc.departmentCode),
          inventoriedOn: String(doc.since),
          assessed: doc.complianceRecordedOn !== null,
        },
        actor.role,
        today,
      ),
    );
  }
}
