import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Actor } from '../domain';
import { departmentScope, publicView } from '../application/read-scope';
import { ProjectionService } from '../projections/projection.service';
import { READ_MODEL_STORE, type ReadModelStore } from '../read-model/read-model.port';
import { mayKnowFramework } from '../application/framework-members';
import { frameworkNotFound } from './framework-visibility';

export class GetFramework {
  constructor(
    readonly actor: Actor,
    readonly frameworkId: string,
  ) {}
}

export class ListFrameworks {
  constructor(
    readonly actor: Actor,
    readonly department?: string,
  ) {}
}

/** The list's fields: the detail without the plan's texts. */
const LIST_FIELDS = [
  'frameworkId',
  'name',
  'leadDepartment',
  'participants',
  'filedOn',
  'awaitingConfirmation',
  'confirmed',
  'acknowledged',
  'updatedAt',
  'revision',
  'policy',
] as const;

/** 第七条 one framework, from its read model: a construction unit of another department gets 404. */
@QueryHandler(GetFramework)
export class GetFrameworkHandler implements IQueryHandler<GetFramework> {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    private readonly projections: ProjectionService,
  ) {}

  async execute({ actor, frameworkId }: GetFramework): Promise<Record<string, unknown>> {
    const doc = await this.readModels.get(this.projections.runner.collectionOf('frameworks'), frameworkId);
    if (!doc || !mayKnowFramework(actor, doc.departments as string[])) throw frameworkNotFound('GET', frameworkId);
    return publicView(doc);
  }
}

/** 第七条 the frameworks, newest first; a construction unit sees those listing its department only. */
@QueryHandler(ListFrameworks)
export class ListFrameworksHandler implements IQueryHandler<ListFrameworks> {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    private readonly projections: ProjectionService,
  ) {}

  async execute({ actor, department }: ListFrameworks) {
    const docs = await this.readModels.find(
      this.projections.runner.collectionOf('frameworks'),
      departmentScope(actor, department),
      { sort: { filedOn: -1, _id: 1 } },
    );
    const items = docs.map((doc) => Object.fromEntries(LIST_FIELDS.map((f) => [f, doc[f] ?? null])));
    return { items, total: items.length };
  }
}
