import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { deadlinesOf, localDateOf, type Actor, type Evaluation, type ProjectState } from '../domain';
import { CLOCK, type Clock } from '../infrastructure/clock';
import { ProblemError } from '../application/errors';
import { ProjectionService } from '../projections/projection.service';
import { READ_MODEL_STORE, type Doc, type ReadModelStore } from '../read-model/read-model.port';

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
  ) {}

  async execute({ actor, departmentCode }: GetDepartmentRecord) {
    if (actor.role === 'CONSTRUCTION_UNIT' && actor.department !== departmentCode) throw unknownDepartment();
    const docs = await this.readModels.find(
      this.projections.runner.collectionOf('projects'),
      { departments: departmentCode },
      { sort: { name: 1, _id: 1 } },
    );
    if (docs.length === 0) throw unknownDepartment();
    const now = this.clock.now().toISOString();
    const projects = docs.map((doc) => projectRecord(doc, departmentCode, now));
    const evaluations = projects.flatMap((p) => p.evaluations);
    return {
      departmentCode,
      today: localDateOf(now),
      summary: {
        projects: projects.length,
        evaluations: evaluations.length,
        byGrade: countBy(evaluations.map((e) => e.grade)),
        criticisms: sum(projects.map((p) => p.sanctions.criticisms)),
        investmentDeferred: projects.filter((p) => p.sanctions.investmentDeferred).length,
        suspended: projects.filter((p) => p.sanctions.suspended).length,
        terminated: projects.filter((p) => p.sanctions.terminated).length,
        overdueItems: sum(projects.map((p) => p.overdue.length)),
        openOverdueItems: sum(projects.map((p) => p.overdue.filter((d) => d.open).length)),
      },
      projects,
    };
  }
}

function projectRecord(doc: Doc, departmentCode: string, now: string) {
  const sanctions = (doc.sanctions as { criticisms?: number; investmentDeferred?: boolean } | undefined) ?? {};
  const overdue = deadlinesOf(doc.state as ProjectState, now)
    .filter((d) => d.overdue || d.markedOverdue)
    .map(({ kind, dueOn, article, open, markedOverdue, year, rectificationId, extended }) => ({
      kind,
      dueOn,
      article,
      open,
      markedOverdue,
      ...(year === undefined ? {} : { year }),
      ...(rectificationId === undefined ? {} : { rectificationId }),
      ...(extended === undefined ? {} : { extended }),
    }));
  return {
    projectId: String(doc.projectId),
    name: doc.name,
    /** FILER: the department files the project (第三条); PARTICIPANT: it takes part (第七条). */
    role: doc.departmentCode === departmentCode ? 'FILER' : 'PARTICIPANT',
    departmentCode: doc.departmentCode,
    planYear: doc.planYear,
    status: doc.status,
    evaluations: (doc.evaluations as Evaluation[] | undefined) ?? [],
    sanctions: {
      criticisms: sanctions.criticisms ?? 0,
      investmentDeferred: sanctions.investmentDeferred ?? false,
      suspended: doc.status === 'SUSPENDED',
      terminated: doc.status === 'TERMINATED',
    },
    overdue,
    omEligibility: doc.omEligibility ?? null,
    /** The policy of the project's latest decision and whether it had lapsed (第三十三条). */
    policy: doc.policy ?? null,
  };
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function countBy(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}
