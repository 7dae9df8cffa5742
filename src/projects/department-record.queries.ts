import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Actor } from '../domain';
import { CLOCK, type Clock } from '../infrastructure/clock';
import { departmentRecord } from '../application/department-record';
import { ProblemError } from '../application/errors';
import { ProjectionService } from '../projections/projection.service';
import { CONSTRUCTION_BAN, type ConstructionBan } from '../application/construction-ban';
import { READ_MODEL_STORE, type ReadModelStore } from '../read-model/read-model.port';

export class GetDepartmentRecord {
  constructor(
    readonly actor: Actor,
    readonly departmentCode: string,
  ) {}
}

/** A department no project names, and (for a construction unit) any department but its own. */
function unknownDepartment(): ProblemError {
  return new ProblemError(404, 'DEPARTMENT_NOT_FOUND', 'Not found', 'No department with this code has projects.');
}

/**
 * 第二十九条 the record of a department beside next year's plan: for each of its projects (those
 * it files and those it takes part in, 第七条) the office's evaluations (第二十六条、第二十九条),
 * the sanctions in force or given (第二十七条: criticisms, deferred investment, suspension,
 * termination) and the overdue items (第十七、二十一、二十七条: open and past due as of the
 * server clock, or recorded late), with the totals. Built from the projects read model. A
 * department is known by its projects: one no project names answers 404 DEPARTMENT_NOT_FOUND,
 * and a construction unit asking for another department gets exactly that answer (docs/api.md
 * "Visibility": nothing tells it whether the department has projects).
 */
@QueryHandler(GetDepartmentRecord)
export class GetDepartmentRecordHandler implements IQueryHandler<GetDepartmentRecord> {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly projections: ProjectionService,
    @Inject(CONSTRUCTION_BAN) private readonly ban: ConstructionBan,
  ) {}

  async execute({ actor, departmentCode }: GetDepartmentRecord) {
    if (actor.role === 'CONSTRUCTION_UNIT' && actor.department !== departmentCode) throw unknownDepartment();
    const docs = await this.readModels.find(
      this.projections.runner.collectionOf('projects'),
      { departments: departmentCode },
      { sort: { name: 1, _id: 1 } },
    );
    if (docs.length === 0) throw unknownDepartment();
    const record = departmentRecord(docs, departmentCode, this.clock.now().toISOString());
    // 第二十四条 the systems that keep the department from building, beside its record
    const systems = await this.ban.underBan(departmentCode);
    return { ...record, constructionBan: { banned: systems.length > 0, systems } };
  }
}
