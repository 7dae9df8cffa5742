import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { eventLabel, type Actor } from '../domain';
import { ProjectionService } from '../projections/projection.service';
import { READ_MODEL_STORE, type Doc, type ReadModelStore } from '../read-model/read-model.port';
import { SYSTEM_STREAM_PREFIX } from '../application/streams';
import type { RecordSubject } from './records.projection';

export class ListDone {
  constructor(
    readonly actor: Actor,
    readonly page: number,
    readonly pageSize: number,
  ) {}
}

/** The read model that names each kind of subject, and the id of the subject's document there. */
const NAMED_BY: Record<
  Exclude<RecordSubject['kind'], 'ANNUAL_PLAN'>,
  { projection: string; docId: (id: string) => string }
> = {
  PROJECT: { projection: 'projects', docId: (id) => id },
  // the systems read model keys its documents by stream (a project's or an existing system's)
  SYSTEM: { projection: 'systems', docId: (id) => `${SYSTEM_STREAM_PREFIX}${id}` },
  FRAMEWORK: { projection: 'frameworks', docId: (id) => id },
};

/**
 * GET /inbox/done (已办): what the caller recorded, across every project, annual plan, existing
 * system and framework, newest first. Only the caller's own records (`actor.sub` of the event),
 * whatever their role: a person may always see what they did. Each item names its subject with
 * the subject's current name from its read model (the annual plan by its year).
 */
@QueryHandler(ListDone)
export class ListDoneHandler implements IQueryHandler<ListDone> {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    private readonly projections: ProjectionService,
  ) {}

  async execute({ actor, page, pageSize }: ListDone) {
    const collection = this.projections.runner.collectionOf('records');
    const filter = { sub: actor.sub };
    const [total, docs] = await Promise.all([
      this.readModels.count(collection, filter),
      this.readModels.find(collection, filter, {
        sort: { order: -1, _id: -1 },
        skip: (page - 1) * pageSize,
        limit: pageSize,
      }),
    ]);
    const names = await this.namesOf(docs.map((doc) => doc.subject as RecordSubject));
    const items = docs.map((doc) => {
      const subject = doc.subject as RecordSubject;
      return {
        eventId: doc._id,
        type: doc.type,
        label: eventLabel(String(doc.type)) ?? null,
        article: doc.article ?? null,
        occurredAt: doc.occurredAt,
        role: doc.role,
        subject: { ...subject, name: names.get(`${subject.kind}:${subject.id}`) ?? null },
      };
    });
    return { items, total, page, pageSize };
  }

  private async namesOf(subjects: readonly RecordSubject[]): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    const byKind = new Map<keyof typeof NAMED_BY, Set<string>>();
    for (const { kind, id } of subjects) {
      if (kind === 'ANNUAL_PLAN') names.set(`${kind}:${id}`, `${id} 年度计划`);
      else byKind.set(kind, (byKind.get(kind) ?? new Set()).add(id));
    }
    await Promise.all(
      [...byKind].map(async ([kind, ids]) => {
        const { projection, docId } = NAMED_BY[kind];
        const byDoc = new Map([...ids].map((id) => [docId(id), id]));
        const docs: Doc[] = await this.readModels.getMany(this.projections.runner.collectionOf(projection), [
          ...byDoc.keys(),
        ]);
        for (const doc of docs) {
          const id = byDoc.get(doc._id);
          if (id !== undefined && typeof doc.name === 'string') names.set(`${kind}:${id}`, doc.name);
        }
      }),
    );
    return names;
  }
}
