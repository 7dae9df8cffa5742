import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Actor } from '../domain';
import { departmentRecord, type DepartmentRecordSummary } from '../application/department-record';
import { ProblemError } from '../application/errors';
import { canRead, publicView } from '../application/read-scope';
import { ANNUAL_PLAN_STREAM_PREFIX } from '../application/streams';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port';
import { CLOCK, type Clock } from '../infrastructure/clock';
import { upcast } from '../event-store/upcasters';
import { decidedUnder, type DecidedUnder } from '../projections/projection';
import { ProjectionService } from '../projections/projection.service';
import { READ_MODEL_STORE, type ReadModelStore } from '../read-model/read-model.port';

export class GetAnnualPlan {
  constructor(
    readonly year: number,
    /** Absent: the whole plan (internal callers). */
    readonly actor?: Actor,
  ) {}
}

interface PlanHistoryEntry {
  type: string;
  occurredAt: string;
  data: Record<string, unknown>;
  /** 第三十三条: the policy the event was decided under and whether it had lapsed. */
  policy: DecidedUnder | null;
}

@QueryHandler(GetAnnualPlan)
export class GetAnnualPlanHandler implements IQueryHandler<GetAnnualPlan> {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    private readonly projections: ProjectionService,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ year, actor }: GetAnnualPlan) {
    const doc = await this.readModels.get(this.projections.runner.collectionOf('annual-plans'), String(year));
    if (!doc) throw new ProblemError(404, 'ANNUAL_PLAN_NOT_FOUND', 'Not found', `No annual plan for ${year} yet.`);
    const view = { ...publicView(doc), history: await this.history(year, doc._v) };
    const shown = actor?.role === 'CONSTRUCTION_UNIT' ? await this.ownEntries(actor, view) : view;
    return this.withDepartmentRecords(shown, actor);
  }

  /**
   * 第二十九条 beside each entry, the summary of its filing department's record (evaluations,
   * sanctions, overdue items: GET /departments/:code/record): one read of the projects read model
   * for the entries and one per department. A construction unit gets its own department's only
   * (null beside an entry it sees as a participant of another department's project).
   */
  private async withDepartmentRecords(view: Record<string, unknown>, actor?: Actor) {
    const entries = (view.entries as Array<{ projectId: string }> | undefined) ?? [];
    if (entries.length === 0) return view;
    const collection = this.projections.runner.collectionOf('projects');
    const projects = await this.readModels.getMany(
      collection,
      entries.map((e) => e.projectId),
    );
    const filer = new Map(projects.map((p) => [p._id, String(p.departmentCode)]));
    const codes = [...new Set(filer.values())].filter(
      (code) => actor?.role !== 'CONSTRUCTION_UNIT' || code === actor.department,
    );
    const now = this.clock.now().toISOString();
    const summaries = new Map<string, DepartmentRecordSummary & { departmentCode: string }>();
    for (const code of codes) {
      const docs = await this.readModels.find(collection, { departments: code });
      summaries.set(code, { departmentCode: code, ...departmentRecord(docs, code, now).summary });
    }
    const withRecord = entries.map((e) => {
      const code = filer.get(e.projectId);
      return { ...e, departmentRecord: code === undefined ? null : (summaries.get(code) ?? null) };
    });
    return { ...view, entries: withRecord };
  }

  /** The plan's events up to the revision the document shows, from the stream (not the document). */
  private async history(year: number, revision: number): Promise<PlanHistoryEntry[]> {
    const events = await this.eventStore.readStream(`${ANNUAL_PLAN_STREAM_PREFIX}${year}`, { toRevision: revision });
    return events.map((stored) => {
      const event = upcast(stored);
      return {
        type: event.type,
        occurredAt: event.metadata.occurredAt,
        actor: event.metadata.actor,
        data: event.data as Record<string, unknown>,
        policy: decidedUnder(stored) ?? null,
      };
    });
  }

  /**
   * Visibility (docs/api.md): a construction unit sees its own department's entries only, decided on
   * the projects read model's departments at query time (old plan events carry no department).
   * Counts and sums are recomputed over those entries; the plan's revision, which counts every
   * department's plan events, is withheld.
   */
  private async ownEntries(actor: Actor, view: Record<string, unknown>): Promise<Record<string, unknown>> {
    const entries =
      (view.entries as
        Array<{ projectId: string; budget: { inBudget: boolean; controlAmountFen: number } | null }> | undefined) ?? [];
    const history = (view.history as PlanHistoryEntry[] | undefined) ?? [];
    const named = new Set(entries.map((e) => e.projectId));
    for (const event of history) {
      if (typeof event.data?.projectId === 'string') named.add(event.data.projectId);
      if (Array.isArray(event.data?.projectIds)) for (const id of event.data.projectIds as string[]) named.add(id);
    }
    const projects =
      named.size === 0
        ? []
        : await this.readModels.getMany(this.projections.runner.collectionOf('projects'), [...named]);
    const own = new Set(projects.filter((p) => canRead(actor, p)).map((p) => p._id));
    const mine = entries.filter((e) => own.has(e.projectId));
    const visibleHistory = history.flatMap((event): PlanHistoryEntry[] => {
      const { projectId, projectIds, controlTotalFen: _total, ...rest } = event.data ?? {};
      if (typeof projectId === 'string') return own.has(projectId) ? [{ ...event, data: { ...rest, projectId } }] : [];
      if (Array.isArray(projectIds))
        return [{ ...event, data: { ...rest, projectIds: (projectIds as string[]).filter((id) => own.has(id)) } }];
      return [{ ...event, data: { ...rest } }];
    });
    return {
      ...view,
      entries: mine,
      projectCount: mine.length,
      controlTotalFen: mine.reduce((sum, e) => sum + (e.budget?.controlAmountFen ?? 0), 0),
      inBudgetCount: mine.filter((e) => e.budget?.inBudget).length,
      history: visibleHistory,
      updatedAt: visibleHistory.length > 0 ? visibleHistory[visibleHistory.length - 1].occurredAt : null,
      // The policy of the latest decision this unit may see, not of another department's entry.
      policy: visibleHistory.length > 0 ? visibleHistory[visibleHistory.length - 1].policy : null,
      revision: null,
    };
  }
}
