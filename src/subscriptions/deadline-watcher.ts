import { ProjectionService } from '../projections/projection.service';
import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  deadlinesOf,
  DomainError,
  localDateOf,
  projectStreamId,
  type Actor,
  type CommandMetadata,
  type Deadline,
  type ProjectCommand,
  type ProjectState,
} from '../domain';
import { Commands } from '../commands/commands';
import { RevisionConflict } from '../event-store/event-store.port';
import { CLOCK, type Clock } from '../infrastructure/clock';
import type { AppConfig } from '../infrastructure/config';
import { APP_CONFIG } from '../infrastructure/tokens';
import { INSTANCE_ID, LEASE_STORE, type LeaseStore } from '../leases/lease.port';
import { READ_MODEL_STORE, type Doc, type Filter, type ReadModelStore } from '../read-model/read-model.port';
import { SUBSCRIPTION_SETTINGS, type SubscriptionSettings } from '../infrastructure/subscription-settings';

/** The system acts here, not a person (docs/api.md: deadline events are appended by the clock). */
export const DEADLINE_WATCHER_ACTOR: Actor = { sub: 'deadline-watcher', name: '期限监测', role: 'SYSTEM' };

const PAGE = 500;

export interface WatcherRun {
  now: string;
  projectsChecked: number;
  issued: Array<{ projectId: string; command: string; events: string[] }>;
  /** Conflicts and refusals; retried on the next tick. */
  deferred: Array<{ projectId: string; command: string; reason: string }>;
}

/** A refusal's code (retried next tick); anything else is an error. */
function refusalCode(error: unknown): string {
  return error instanceof DomainError ? error.code : 'ERROR';
}

/** The Mark…Overdue command for a deadline past due (undefined: the deadline lacks its year or id). */
function overdueCommand(deadline: Deadline, projectId: string, metadata: CommandMetadata): ProjectCommand | undefined {
  switch (deadline.kind) {
    case 'ACCEPTANCE':
      return { type: 'MarkAcceptanceOverdue', data: { projectId }, metadata };
    case 'PERFORMANCE_REPORT': {
      const { year } = deadline;
      if (year === undefined) return undefined;
      return { type: 'MarkPerformanceReportOverdue', data: { projectId, year }, metadata };
    }
    case 'RECTIFICATION': {
      const { rectificationId } = deadline;
      if (rectificationId === undefined) return undefined;
      return { type: 'MarkRectificationOverdue', data: { projectId, rectificationId }, metadata };
    }
    default: {
      const unknown: never = deadline.kind;
      throw new Error(`no overdue command for deadline ${String(unknown)}`);
    }
  }
}

/**
 * Clock-driven process (issue 5 item 6): every interval it reads the projects read model, finds
 * deadlines past due and not yet marked, and issues the matching Mark…Overdue command.
 * "Exactly once" rests on the domain, not on this process: the decider returns no event when the
 * deadline is already marked, and the generic handler decides on the stream's current state, so
 * a stale read model, a second instance or a crash between append and projection can only cause
 * a harmless no-op command. A RevisionConflict (someone wrote meanwhile) is left for the next tick.
 * With several instances the timer's pass runs only on the holder of the lease `deadline-watcher`
 * (issue 11 §3): not needed for correctness, it saves N−1 scans and no-op commands per tick.
 */
@Injectable()
export class DeadlineWatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('DeadlineWatcher');
  private timer?: NodeJS.Timeout;
  private running?: Promise<WatcherRun>;

  constructor(
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SUBSCRIPTION_SETTINGS) private readonly settings: SubscriptionSettings,
    private readonly commands: Commands,
    @Inject(LEASE_STORE) private readonly leases: LeaseStore,
    @Inject(INSTANCE_ID) private readonly instanceId: string,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly projections: ProjectionService,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.settings.deadlineWatcherEnabled) return;
    // A plain timer, not @nestjs/schedule: see SealScheduler for why.
    this.timer = setInterval(() => void this.tick(), this.settings.deadlineWatcherIntervalMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** One pass; overlapping calls share the pass in progress. */
  runOnce(now: Date = this.clock.now()): Promise<WatcherRun> {
    if (!this.running) {
      this.running = this.scan(now).finally(() => {
        this.running = undefined;
      });
    }
    return this.running;
  }

  private async tick(): Promise<void> {
    try {
      // Held across ticks (renewed by each one) when the interval is shorter than the ttl.
      const ttl = Math.max(this.config.leaseTtlMs, this.settings.deadlineWatcherIntervalMs * 2);
      if (!(await this.leases.acquire('deadline-watcher', this.instanceId, ttl))) return;
      const run = await this.runOnce();
      if (run.issued.length > 0) this.logger.log({ issued: run.issued.length }, 'overdue deadlines marked');
    } catch (error) {
      this.logger.error({ err: error }, 'deadline watcher pass failed; next tick retries');
    }
  }

  private async scan(nowDate: Date): Promise<WatcherRun> {
    const now = nowDate.toISOString();
    const byId = new Map<string, Doc>();
    // Only projects whose earliest open deadline has passed (an indexed field of the read model)
    // can owe an …Overdue event; the others are never read.
    const filter: Filter = { nextDueOn: { $lt: localDateOf(now) } };
    for (let skip = 0; ; skip += PAGE) {
      const page = await this.readModels.find(this.projections.runner.collectionOf('projects'), filter, {
        sort: { _id: 1 },
        skip,
        limit: PAGE,
      });
      for (const doc of page) byId.set(doc._id, doc);
      if (page.length < PAGE) break;
    }

    const run: WatcherRun = { now, projectsChecked: byId.size, issued: [], deferred: [] };
    const correlationId = randomUUID();
    for (const doc of byId.values()) {
      const state = doc.state as ProjectState | undefined;
      if (!state) continue;
      for (const deadline of deadlinesOf(state, now)) {
        if (!deadline.overdue || deadline.markedOverdue) continue;
        const command = overdueCommand(deadline, doc._id, { now, actor: DEADLINE_WATCHER_ACTOR });
        if (!command) continue;
        const type = command.type;
        try {
          const outcome = await this.commands.projects.handle(projectStreamId(doc._id), command, {
            correlationId,
            causationId: `deadline-watcher:${deadline.kind}:${deadline.dueOn}`,
          });
          if (outcome.events.length > 0) run.issued.push({ projectId: doc._id, command: type, events: outcome.events });
        } catch (error) {
          const reason = error instanceof RevisionConflict ? 'REVISION_CONFLICT' : refusalCode(error);
          if (reason === 'ERROR') {
            this.logger.error({ err: error, projectId: doc._id, command: type }, 'overdue command failed');
          }
          run.deferred.push({ projectId: doc._id, command: type, reason });
        }
      }
    }
    return run;
  }
}
