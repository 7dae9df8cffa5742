import { Inject } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { stateView, type Actor } from '../domain';
import { CLOCK, type Clock } from '../infrastructure/clock';
import { archiveWorkbook } from './audit-workbook';
import { ProblemError } from '../application/errors';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port';
import { countUntil, type PointInTimeState } from './project-history';
import { assertMayReplayProject } from './replay-access';
import { ProjectStreamCache } from './stream-cache';

/** 第二十八条 every event of a project with its envelope, label, family and article. */
export class GetProjectHistory extends Query<{ json: string }> {
  constructor(
    readonly actor: Actor,
    readonly projectId: string,
  ) {
    super();
  }
}

@QueryHandler(GetProjectHistory)
export class GetProjectHistoryHandler implements IQueryHandler<GetProjectHistory> {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    private readonly streams: ProjectStreamCache,
  ) {}

  /** The answer as JSON text, serialised once per stored content of the stream. */
  async execute({ actor, projectId }: GetProjectHistory): Promise<{ json: string }> {
    // Authorized on the registration alone, before the history is built.
    await assertMayReplayProject(this.eventStore, actor, projectId);
    const { json } = await this.streams.historyJson(projectId);
    return { json };
  }
}

/** The state rebuilt from the stream up to an instant (`asOf`) and/or a revision, never from a read model. */
export class GetProjectStateAsOf extends Query<PointInTimeState> {
  constructor(
    readonly actor: Actor,
    readonly projectId: string,
    readonly asOf?: string,
    readonly revision?: number,
  ) {
    super();
  }
}

@QueryHandler(GetProjectStateAsOf)
export class GetProjectStateAsOfHandler implements IQueryHandler<GetProjectStateAsOf> {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    private readonly streams: ProjectStreamCache,
  ) {}

  async execute({ actor, projectId, asOf, revision }: GetProjectStateAsOf): Promise<PointInTimeState> {
    // Authorized on the registration before the stream is read and folded (as for history).
    await assertMayReplayProject(this.eventStore, actor, projectId);
    const view = await this.streams.view(projectId);
    const count = countUntil(view.events, { asOf, revision });
    if (count === 0) {
      const detail = `Project ${projectId} did not exist yet at that point.`;
      throw new ProblemError(404, 'NO_STATE_AT_THAT_POINT', 'Not found', detail);
    }
    const last = view.events[count - 1];
    return {
      projectId,
      revision: last.revision,
      asOf: asOf ?? null,
      lastEventAt: last.metadata.occurredAt,
      state: stateView(view.stateAfter(count)),
    };
  }
}

/** 项目档案: the project's facts, whole history and obligations as an Excel workbook. */
export class GetProjectArchive extends Query<{ file: Buffer; name: string; day: string }> {
  constructor(
    readonly actor: Actor,
    readonly projectId: string,
  ) {
    super();
  }
}

@QueryHandler(GetProjectArchive)
export class GetProjectArchiveHandler implements IQueryHandler<GetProjectArchive> {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly streams: ProjectStreamCache,
  ) {}

  /** Open to whoever may read the project's history (第二十八条), from the stream as stored now. */
  async execute({ actor, projectId }: GetProjectArchive): Promise<{ file: Buffer; name: string; day: string }> {
    await assertMayReplayProject(this.eventStore, actor, projectId);
    const view = await this.streams.view(projectId);
    const state = view.stateAfter(view.events.length);
    const now = this.clock.now().toISOString();
    const file = await archiveWorkbook(view.events, state, now);
    const day = new Date(Date.parse(now) + 8 * 3600 * 1000).toISOString().slice(0, 10);
    return { file, name: state.status === null ? projectId : state.registration.name, day };
  }
}
