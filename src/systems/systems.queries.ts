import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Actor } from '../domain';
import { ProblemError } from '../application/errors';
import { publicView } from '../application/read-scope';
import { ProjectionService } from '../projections/projection.service';
import { READ_MODEL_STORE, type Filter, type ReadModelStore } from '../read-model/read-model.port';
import { SYSTEM_STREAM_PREFIX } from '../application/streams';
import { ConstructionBanService } from './construction-ban.service';

export class ListSystems {
  constructor(
    readonly actor: Actor,
    readonly department?: string,
  ) {}
}

export class GetSystem {
  constructor(
    readonly actor: Actor,
    readonly systemId: string,
  ) {}
}

/** A construction unit reads its own department's systems only (第三条). */
function scopeOf(actor: Actor, requested?: string): Filter {
  if (actor.role !== 'CONSTRUCTION_UNIT') return requested === undefined ? {} : { departmentCode: requested };
  if (requested !== undefined && requested !== actor.department) {
    throw new ProblemError(
      403,
      'FORBIDDEN',
      'Forbidden',
      'A construction unit may only read its own department (第三条).',
      {
        article: '第三条',
      },
    );
  }
  return { departmentCode: actor.department ?? '' };
}

/**
 * 第二十四条 a department's systems: its existing systems and its projects in operation, each with
 * its compliance facts, O&M findings and the findings that ban the department from building.
 */
@QueryHandler(ListSystems)
export class ListSystemsHandler implements IQueryHandler<ListSystems> {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    private readonly projections: ProjectionService,
    private readonly ban: ConstructionBanService,
  ) {}

  /** As of every event stored before the request: a system just inventoried is listed. */
  async execute({ actor, department }: ListSystems) {
    const scope = scopeOf(actor, department);
    await this.ban.caughtUp();
    const docs = await this.readModels.find(
      this.projections.runner.collectionOf('systems'),
      { listed: true, ...scope },
      { sort: { departmentCode: 1, name: 1, _id: 1 } },
    );
    const items = docs.map(publicView);
    return {
      items,
      total: items.length,
      banned: items.filter((s) => s.banned === true).length,
    };
  }
}

/** One existing system; another department's answers a construction unit as an unknown id. */
@QueryHandler(GetSystem)
export class GetSystemHandler implements IQueryHandler<GetSystem> {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    private readonly projections: ProjectionService,
    private readonly ban: ConstructionBanService,
  ) {}

  async execute({ actor, systemId }: GetSystem) {
    await this.ban.caughtUp();
    const doc = await this.readModels.get(
      this.projections.runner.collectionOf('systems'),
      `${SYSTEM_STREAM_PREFIX}${systemId}`,
    );
    if (!doc || (actor.role === 'CONSTRUCTION_UNIT' && doc.departmentCode !== actor.department)) {
      throw new ProblemError(404, 'SYSTEM_NOT_FOUND', 'Not found', `No system ${systemId}.`);
    }
    return publicView(doc);
  }
}
