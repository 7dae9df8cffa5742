import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import {
  deadlinesOf,
  localDateOf,
  addDays,
  undatedObligationsOf,
  UNDATED_OBLIGATION_KINDS,
  type Actor,
  type DeadlineKind,
  type ProjectState,
  type UndatedObligationKind,
} from '../domain';
import { CLOCK, type Clock } from '../infrastructure/clock';
import { APP_CONFIG } from '../infrastructure/tokens';
import type { AppConfig } from '../infrastructure/config';
import { ProjectionService } from '../projections/projection.service';
import { FAMILY_KEYS } from './projects.projection';
import { READ_MODEL_STORE, type Filter, type ReadModelStore } from '../read-model/read-model.port';
import { departmentScope } from '../application/read-scope';

/**
 * Summed per group: the estimate, the approved and current totals (第八、二十条), and the funds of
 * 第十七、十九条: released by finance, executed as reported, surplus declared and still to return.
 */
const AMOUNTS = [
  'estimateFen',
  'approvedEstimateFen',
  'currentTotalFen',
  'releasedFen',
  'executedFen',
  'surplusFen',
  'surplusOutstandingFen',
];
const FAMILY_FIELDS = Object.values(FAMILY_KEYS).map((k) => `eventsByFamily.${k}`);

export class GetDashboardSummary {
  constructor(readonly actor: Actor) {}
}

/** Counts and sums by status, category and department, events by family, overdue counts. */
interface CachedSummary {
  value: Record<string, unknown>;
  checkpoint: string | null;
  computedAt: number;
  refreshing?: Promise<void>;
}

/**
 * Grouping every project is the dashboard's cost (tens of ms at 100,000 projects), so each scope's
 * summary is kept until the projects read model moves. While events keep arriving it is
 * recomputed at most every DASHBOARD_REFRESH_MS (default 1 s) in the background, and readers get
 * the previous figures meanwhile, with `asOf` and `checkpoint` saying how fresh they are.
 */
@QueryHandler(GetDashboardSummary)
export class GetDashboardSummaryHandler implements IQueryHandler<GetDashboardSummary> {
  /** One entry per scope ('all' and one per department), so bounded without eviction: not an LRU. */
  private readonly cache = new Map<string, CachedSummary>();

  constructor(
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    private readonly projections: ProjectionService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ actor }: GetDashboardSummary) {
    const key = actor.role === 'CONSTRUCTION_UNIT' ? `unit:${actor.department}` : 'all';
    const checkpoint = this.projections.runner.checkpointOf('projects');
    const cached = this.cache.get(key);
    if (cached && cached.checkpoint === checkpoint) return cached.value;
    if (cached && Date.now() - cached.computedAt < this.config.dashboardRefreshMs) {
      cached.refreshing ??= this.refresh(key, actor).finally(() => (cached.refreshing = undefined));
      return cached.value;
    }
    await this.refresh(key, actor);
    return this.cache.get(key)!.value;
  }

  private async refresh(key: string, actor: Actor): Promise<void> {
    const checkpoint = this.projections.runner.checkpointOf('projects');
    const value = await this.compute(actor);
    this.cache.set(key, {
      value: { ...value, asOf: new Date().toISOString(), checkpoint },
      checkpoint,
      computedAt: Date.now(),
    });
  }

  private async compute(actor: Actor) {
    const scope = departmentScope(actor);
    const [byStatus, byCategory, byDepartment, families, total, overdue, acceptance, report, rectification] =
      await Promise.all([
        this.readModels.group(this.projections.runner.collectionOf('projects'), scope, 'status', AMOUNTS),
        this.readModels.group(this.projections.runner.collectionOf('projects'), scope, 'category', AMOUNTS),
        this.readModels.group(this.projections.runner.collectionOf('projects'), scope, 'departmentCode', AMOUNTS),
        this.readModels.group(this.projections.runner.collectionOf('projects'), scope, 'planYear', [
          ...FAMILY_FIELDS,
          ...AMOUNTS,
        ]),
        this.readModels.count(this.projections.runner.collectionOf('projects'), scope),
        this.readModels.count(this.projections.runner.collectionOf('projects'), { ...scope, overdue: true }),
        this.readModels.count(this.projections.runner.collectionOf('projects'), { ...scope, overdueAcceptance: true }),
        this.readModels.count(this.projections.runner.collectionOf('projects'), {
          ...scope,
          overduePerformanceReport: true,
        }),
        this.readModels.count(this.projections.runner.collectionOf('projects'), {
          ...scope,
          overdueRectification: true,
        }),
      ]);
    const byFamily: Record<string, number> = {};
    for (const [family, key] of Object.entries(FAMILY_KEYS)) {
      byFamily[family] = families.reduce((sum, g) => sum + (g.sums[`eventsByFamily.${key}`] ?? 0), 0);
    }
    const shape = (groups: typeof byStatus) =>
      Object.fromEntries(groups.map((g) => [String(g.key), { count: g.count, ...g.sums }]));
    return {
      total,
      byStatus: shape(byStatus),
      byCategory: shape(byCategory),
      byDepartment: shape(byDepartment),
      eventsByFamily: byFamily,
      /** investment by plan year (第五条): the amounts of every project planned for that year */
      byPlanYear: Object.fromEntries(
        families.map((g) => [String(g.key), { count: g.count, ...pick(g.sums, AMOUNTS) }]),
      ),
      /** the scope's funds: approved, released, executed, surplus (第八、十七、十九条) */
      funds: Object.fromEntries(
        AMOUNTS.map((field) => [field, byStatus.reduce((sum, g) => sum + (g.sums[field] ?? 0), 0)]),
      ),
      overdue: { projects: overdue, acceptance, performanceReport: report, rectification },
    };
  }
}

export class ListRectifications {
  constructor(
    readonly actor: Actor,
    readonly status?: 'open' | 'overdue' | 'closed',
    readonly department?: string,
    readonly page = 1,
    readonly pageSize = 50,
  ) {}
}

/** 整改 tracker: every rectification order with its project, flattened from the project read model. */
@QueryHandler(ListRectifications)
export class ListRectificationsHandler implements IQueryHandler<ListRectifications> {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly projections: ProjectionService,
  ) {}

  /**
   * Paged by project (each may carry several orders), through indexed fields: open = not yet
   * verified; overdue = an open order past its deadline, earliest first.
   */
  async execute({ actor, status, department, page, pageSize }: ListRectifications) {
    const today = localDateOf(this.clock.now().toISOString());
    const scope = departmentScope(actor, department);
    const filter: Filter =
      status === 'open'
        ? { ...scope, openRectifications: { $gt: 0 } } // not yet verified, submitted ones included
        : status === 'overdue'
          ? { ...scope, dueRectification: { $lt: today } }
          : { ...scope, rectificationCount: { $gt: 0 } };
    const sort: Record<string, 1 | -1> =
      status === 'overdue' ? { dueRectification: 1, _id: 1 } : { updatedAt: -1, _id: 1 };
    const [docs, projects] = await Promise.all([
      this.readModels.find(this.projections.runner.collectionOf('projects'), filter, {
        sort,
        skip: (page - 1) * pageSize,
        limit: pageSize,
      }),
      this.readModels.count(this.projections.runner.collectionOf('projects'), filter),
    ]);
    const items = docs.flatMap((doc) =>
      ((doc.rectifications as Array<Record<string, unknown> & { deadline: string }>) ?? []).map((r) => {
        const closed = r.status === 'VERIFIED';
        const overdue = !closed && (Boolean(r.overdueMarked) || String(r.deadline) < today);
        return {
          ...r,
          projectId: doc.projectId,
          projectName: doc.name,
          departmentCode: doc.departmentCode,
          closed,
          overdue,
        };
      }),
    );
    const selected = items.filter((r) =>
      status === undefined ? true : status === 'closed' ? r.closed : status === 'overdue' ? r.overdue : !r.closed,
    );
    selected.sort((a, b) => a.deadline.localeCompare(b.deadline));
    return { items: selected, total: selected.length, projects, page, pageSize };
  }
}

export class ListDeadlines {
  constructor(
    readonly actor: Actor,
    readonly kind?: DeadlineKind | UndatedObligationKind,
    readonly withinDays?: number,
    readonly department?: string,
    readonly page = 1,
    readonly pageSize = 50,
  ) {}
}

const DUE_FIELD: Record<DeadlineKind | 'ANY', string> = {
  ANY: 'nextDueOn',
  ACCEPTANCE: 'dueAcceptance',
  PERFORMANCE_REPORT: 'duePerformanceReport',
  RECTIFICATION: 'dueRectification',
};

/**
 * Coming and missed deadlines (第十七、二十一、二十七条) as of the server clock, earliest first,
 * paged by project: the read model indexes each project's earliest open due date per kind, and
 * only the page's projects are expanded into their deadlines.
 */
@QueryHandler(ListDeadlines)
export class ListDeadlinesHandler implements IQueryHandler<ListDeadlines> {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly projections: ProjectionService,
  ) {}

  async execute(query: ListDeadlines) {
    const { actor, kind, withinDays, department, page, pageSize } = query;
    if (isUndated(kind)) return this.undated(query, kind);
    const now = this.clock.now().toISOString();
    const today = localDateOf(now);
    const horizon = withinDays === undefined ? undefined : addDays(today, withinDays);
    const field = DUE_FIELD[kind ?? 'ANY'];
    const filter: Filter = {
      ...departmentScope(actor, department),
      [field]: horizon === undefined ? { $exists: true } : { $lte: horizon },
    };
    const [docs, total, overdueProjects] = await Promise.all([
      this.readModels.find(this.projections.runner.collectionOf('projects'), filter, {
        sort: { [field]: 1, _id: 1 },
        skip: (page - 1) * pageSize,
        limit: pageSize,
      }),
      this.readModels.count(this.projections.runner.collectionOf('projects'), filter),
      this.readModels.count(this.projections.runner.collectionOf('projects'), {
        ...departmentScope(actor, department),
        [field]: { $lt: today },
      }),
    ]);
    const items = docs.flatMap((doc) =>
      deadlinesOf(doc.state as ProjectState, now)
        .filter(
          (d) => d.open && (kind === undefined || d.kind === kind) && (horizon === undefined || d.dueOn <= horizon),
        )
        .map((d) => ({
          ...d,
          projectId: doc.projectId,
          projectName: doc.name,
          departmentCode: doc.departmentCode,
          daysLeft: daysBetween(today, d.dueOn),
        })),
    );
    items.sort((a, b) => a.dueOn.localeCompare(b.dueOn));
    return { today, items, total, page, pageSize, overdue: overdueProjects };
  }

  /**
   * 第十八、十九、二十三条 the obligations the measures give no date for (`dueOn: null`, never
   * overdue, `daysLeft: null`), by kind only: with no date they fall within any `withinDays`.
   * Paged by project through the indexed `undatedKinds`, least recently changed first.
   */
  private async undated({ actor, department, page, pageSize }: ListDeadlines, kind: UndatedObligationKind) {
    const today = localDateOf(this.clock.now().toISOString());
    const filter: Filter = { ...departmentScope(actor, department), undatedKinds: kind };
    const collection = this.projections.runner.collectionOf('projects');
    const [docs, total] = await Promise.all([
      this.readModels.find(collection, filter, {
        sort: { updatedAt: 1, _id: 1 },
        skip: (page - 1) * pageSize,
        limit: pageSize,
      }),
      this.readModels.count(collection, filter),
    ]);
    const items = docs.flatMap((doc) =>
      undatedObligationsOf(doc.state as ProjectState)
        .filter((o) => o.kind === kind)
        .map((o) => ({
          ...o,
          projectId: doc.projectId,
          projectName: doc.name,
          departmentCode: doc.departmentCode,
          daysLeft: null,
        })),
    );
    return { today, items, total, page, pageSize, overdue: 0 };
  }
}

function isUndated(kind: string | undefined): kind is UndatedObligationKind {
  return (UNDATED_OBLIGATION_KINDS as readonly string[]).includes(kind ?? '');
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export class ListOmEligibility {
  constructor(
    readonly actor: Actor,
    readonly department?: string,
    readonly page = 1,
    readonly pageSize = 50,
  ) {}
}

/** 第二十四条 O&M funding eligibility per project with every reason. */
@QueryHandler(ListOmEligibility)
export class ListOmEligibilityHandler implements IQueryHandler<ListOmEligibility> {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    private readonly projections: ProjectionService,
  ) {}

  async execute({ actor, department, page, pageSize }: ListOmEligibility) {
    const scope = departmentScope(actor, department);
    const [docs, total, eligible] = await Promise.all([
      this.readModels.find(this.projections.runner.collectionOf('projects'), scope, {
        sort: { departmentCode: 1, name: 1, _id: 1 },
        skip: (page - 1) * pageSize,
        limit: pageSize,
      }),
      this.readModels.count(this.projections.runner.collectionOf('projects'), scope),
      this.readModels.count(this.projections.runner.collectionOf('projects'), {
        ...scope,
        'omEligibility.eligible': true,
      }),
    ]);
    const items = docs.map((doc) => ({
      projectId: doc.projectId,
      name: doc.name,
      departmentCode: doc.departmentCode,
      status: doc.status,
      ...(doc.omEligibility as object),
      sharingExemption: doc.sharingExemption ?? null,
    }));
    return { items, total, eligible, page, pageSize };
  }
}

function pick(sums: Record<string, number>, fields: readonly string[]): Record<string, number> {
  return Object.fromEntries(fields.map((f) => [f, sums[f] ?? 0]));
}
