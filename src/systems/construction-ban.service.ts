import { Inject, Injectable } from '@nestjs/common';
import type { BannedSystem } from '../domain';
import type { ConstructionBan } from '../application/construction-ban';
import { ProblemError } from '../application/errors';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port';
import { ProjectionService } from '../projections/projection.service';
import { READ_MODEL_STORE, type ReadModelStore } from '../read-model/read-model.port';

/** How long a command waits for the systems read model to reach the store's head. */
const CATCH_UP_MS = 5000;

/**
 * 第二十四条 the department's systems under the ban, from the systems read model once it has
 * applied every event stored before the question (its lane reads few event types, so it is
 * rarely more than a batch behind). A fact recorded and answered before a command arrives is
 * always seen by it; one recorded concurrently with it may not be (as for any two streams).
 */
@Injectable()
export class ConstructionBanService implements ConstructionBan {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    private readonly projections: ProjectionService,
  ) {}

  async underBan(departmentCode: string): Promise<BannedSystem[]> {
    await this.caughtUp();
    return this.current(departmentCode);
  }

  /** What the read model shows now, without waiting (the department record's view). */
  async current(departmentCode: string): Promise<BannedSystem[]> {
    const docs = await this.readModels.find(
      this.projections.runner.collectionOf('systems'),
      { departmentCode, banned: true },
      { sort: { name: 1, _id: 1 } },
    );
    return docs.map((doc) => ({
      kind: doc.kind === 'PROJECT' ? 'PROJECT' : 'EXISTING_SYSTEM',
      id: String(doc.id),
      name: String(doc.name),
      reasons: (doc.banReasons as string[] | undefined) ?? [],
    }));
  }

  /** Resolves once the systems read model has applied every event stored before the call. */
  async caughtUp(): Promise<void> {
    const head = await this.eventStore.headPosition();
    if (head === undefined) return;
    if (await this.projections.runner.waitForPosition(head, CATCH_UP_MS, 'systems')) return;
    throw new ProblemError(
      503,
      'READ_MODEL_BEHIND',
      'Read model not yet up to date',
      `The systems of the department (第二十四条) were not brought up to date within ${CATCH_UP_MS} ms; retry.`,
    );
  }
}
