import { deadlinesOf, localDateOf, type Evaluation, type ProjectState } from '../domain';
import type { Doc } from '../read-model/read-model.port';

/**
 * 第二十九条 the record of a department, from its projects' read-model documents: for each project
 * the office's evaluations (第二十六条、第二十九条), the sanctions (第二十七条: criticisms, deferred
 * investment, suspension, termination) and the overdue items (第十七、二十一、二十七条: open and
 * past due as of `now`, or recorded late), with the totals. GET /departments/:code/record shows
 * it whole; the annual plan shows the summary beside each entry.
 */
export function departmentRecord(docs: Doc[], departmentCode: string, now: string) {
  const projects = docs.map((doc) => projectRecord(doc, departmentCode, now));
  return { departmentCode, today: localDateOf(now), summary: summaryOf(projects), projects };
}

export type DepartmentRecordSummary = ReturnType<typeof summaryOf>;

function summaryOf(projects: Array<ReturnType<typeof projectRecord>>) {
  const evaluations = projects.flatMap((p) => p.evaluations);
  return {
    projects: projects.length,
    evaluations: evaluations.length,
    byGrade: countBy(evaluations.map((e) => e.grade)),
    criticisms: sum(projects.map((p) => p.sanctions.criticisms)),
    investmentDeferred: projects.filter((p) => p.sanctions.investmentDeferred).length,
    suspended: projects.filter((p) => p.sanctions.suspended).length,
    terminated: projects.filter((p) => p.sanctions.terminated).length,
    overdueItems: sum(projects.map((p) => p.overdue.length)),
    openOverdueItems: sum(projects.map((p) => p.overdue.filter((d) => d.open).length)),
  };
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
