import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { AppConfig } from '../infrastructure/config';
import type { Actor } from '../domain';
import { APP_CONFIG } from '../infrastructure/tokens';
import { ProblemError } from '../application/errors';
import { ProjectionService } from '../projections/projection.service';
import { READ_MODEL_STORE, type Filter, type ReadModelStore } from '../read-model/read-model.port';
import { assertCanRead, departmentScope, publicView } from '../application/read-scope';

export class GetProject {
  constructor(
    readonly actor: Actor,
    readonly projectId: string,
    /** Read-your-write: wait until the read model has at least this revision. */
    readonly minRevision?: number,
    readonly waitMs = 5000,
  ) {}
}

@QueryHandler(GetProject)
export class GetProjectHandler implements IQueryHandler<GetProject> {
  /** Reads waiting for minRevision now: each holds a connection and a poll (issue 11 §6). */
  private waiting = 0;

  constructor(
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    private readonly projections: ProjectionService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ actor, projectId, minRevision, waitMs }: GetProject): Promise<Record<string, unknown>> {
    let doc = await this.readModels.get(this.projections.runner.collectionOf('projects'), projectId);
    // Decided before waiting, so neither the wait nor currentRevision tells another department anything.
    if (doc !== null) assertCanRead(actor, doc, projectId);
    if (minRevision !== undefined && (doc === null || doc._v < minRevision)) {
      // Beyond READ_MAX_WAITING waiting reads, answer at once: the client retries like READ_MODEL_BEHIND.
      if (this.waiting >= this.config.maxWaitingReads) {
        throw new ProblemError(
          503,
          'TOO_MANY_WAITING_READS',
          'Too many waiting reads',
          `At most ${this.config.maxWaitingReads} reads may wait for a revision at once; retry.`,
        );
      }
      this.waiting++;
      try {
        await this.projections.runner.waitUntil(async () => {
          doc = await this.readModels.get(this.projections.runner.collectionOf('projects'), projectId);
          return doc !== null && doc._v >= minRevision;
        }, waitMs);
      } finally {
        this.waiting--;
      }
      if (doc === null || (doc as { _v: number })._v < minRevision) {
        if (doc !== null) assertCanRead(actor, doc, projectId);
        throw new ProblemError(
          503,
          'READ_MODEL_BEHIND',
          'Read model not yet up to date',
          `Revision ${minRevision} was not projected within ${waitMs} ms; retry.`,
          {
            currentRevision: doc ? (doc as { _v: number })._v : null,
          },
        );
      }
    }
    if (doc === null) throw new ProblemError(404, 'PROJECT_NOT_FOUND', 'Not found', `No project ${projectId}.`);
    assertCanRead(actor, doc, projectId);
    return publicView(doc);
  }
}

export const SORTABLE = [
  'name',
  'status',
  'registeredAt',
  'updatedAt',
  'estimateFen',
  'approvedEstimateFen',
  'planYear',
] as const;

export class ListProjects {
  constructor(
    readonly actor: Actor,
    readonly filters: {
      status?: string[];
      category?: string[];
      department?: string;
      planYear?: number;
      q?: string;
      overdue?: boolean;
    },
    readonly page: number,
    readonly pageSize: number,
    /** e.g. "-updatedAt" (descending) or "name". */
    readonly sort: string,
  ) {}
}

/** The list's fields: the detail without heavy parts. */
const LIST_FIELDS = [
  'projectId',
  'name',
  'category',
  'departmentCode',
  'planYear',
  'status',
  'subStatus',
  'estimateFen',
  'approvedEstimateFen',
  'currentTotalFen',
  'adjustedRatio',
  'overdue',
  'overdueKinds',
  'openRectifications',
  'registeredAt',
  'updatedAt',
  'revision',
  // 第三十三条: the policy of the latest decision and whether it had lapsed, on every row.
  'policy',
] as const;

@QueryHandler(ListProjects)
export class ListProjectsHandler implements IQueryHandler<ListProjects> {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    private readonly projections: ProjectionService,
  ) {}

  async execute({ actor, filters, page, pageSize, sort }: ListProjects) {
    const filter: Filter = { ...departmentScope(actor, filters.department) };
    if (filters.status?.length) filter.status = { $in: filters.status };
    if (filters.category?.length) filter.category = { $in: filters.category };
    if (filters.planYear !== undefined) filter.planYear = filters.planYear;
    if (filters.overdue !== undefined) filter.overdue = filters.overdue;
    if (filters.q) filter.name = { $contains: filters.q };
    const field = sort.replace(/^-/, '');
    const direction = sort.startsWith('-') ? -1 : 1;
    const [docs, total] = await Promise.all([
      this.readModels.find(this.projections.runner.collectionOf('projects'), filter, {
        sort: { [field]: direction, _id: 1 },
        skip: (page - 1) * pageSize,
        limit: pageSize,
      }),
      this.readModels.count(this.projections.runner.collectionOf('projects'), filter),
    ]);
    const items = docs.map((doc) => Object.fromEntries(LIST_FIELDS.map((f) => [f, doc[f] ?? null])));
    return { items, total, page, pageSize };
  }
}
