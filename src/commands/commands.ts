import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import LRUCache from 'lru-cache';
import {
  annualPlanDecider,
  annualPlanStreamId,
  canActOnProject,
  COMMAND_CATALOGUE,
  DomainError,
  fold,
  projectDecider,
  projectStreamId,
  refuse,
  type Actor,
  type AnnualPlanCommand,
  type AnnualPlanCommandType,
  type AnnualPlanEvent,
  type AnnualPlanState,
  type CommandMetadata,
  type Decider,
  type ProjectCommand,
  type ProjectCommandOf,
  type ProjectCommandType,
  type ProjectEvent,
  type ProjectState,
} from '../domain';
import type { PendingEvent } from '../event-store/envelope';
import {
  AppendOutcomeUnknown,
  EVENT_STORE,
  RevisionConflict,
  StoreUnavailable,
  type EventStore,
  type StoredEvent,
} from '../event-store/event-store.port';
import { upcast } from '../event-store/upcasters';
import { CLOCK, type Clock } from '../infrastructure/clock';
import { CommandMetrics } from '../infrastructure/metrics';
import { ProblemError } from '../application/errors';
import type { Dispatched, RequestContext } from '../application/context';
import { IdempotencyService } from './idempotency.service';

/** Every command body may carry the revision the client last read (optimistic concurrency). */
export interface Expecting {
  expectedRevision?: number;
}

/** A project command's data as its route takes it: all but the project's id, which is the route's. */
export type ProjectCommandInputs = { [T in ProjectCommandType]: Omit<ProjectCommandOf<T>['data'], 'projectId'> };

/**
 * A plan command's data as its route takes it: all but the year (the route's) and the facts of the
 * project's own stream, which the server reads when the command runs.
 */
export type AnnualPlanCommandInputs = {
  [T in AnnualPlanCommandType]: Omit<Extract<AnnualPlanCommand, { type: T }>['data'], 'year' | 'project'>;
};

/** A project command as a route builds it: the union checks that type and data agree. */
export type ProjectRequest = {
  [T in ProjectCommandType]: { type: T; data: ProjectCommandInputs[T] & Expecting };
}[ProjectCommandType];

export type AnnualPlanRequest = {
  [T in AnnualPlanCommandType]: { type: T; data: AnnualPlanCommandInputs[T] & Expecting };
}[AnnualPlanCommandType];

/** Schema version of events written now; upcasters lift older ones on read. */
export const SCHEMA_VERSION = 1;

/** How many folded streams each handler keeps (least recently used go first). */
const STATE_CACHE_LIMIT = 20_000;

/**
 * The command path, top to bottom: a route hands over a typed command; with an Idempotency-Key the
 * key is checked (a recorded answer is replayed to a caller still authorized) or claimed; the
 * command is decided on its stream's folded state and appended; the answer is recorded under the
 * key and returned. The deadline watcher sends its system commands straight to `projects`.
 */
@Injectable()
export class Commands {
  /** The one generic load → decide → append, per aggregate. */
  readonly projects: StreamCommandHandler<ProjectCommand, ProjectEvent, ProjectState>;
  readonly annualPlans: StreamCommandHandler<AnnualPlanCommand, AnnualPlanEvent, AnnualPlanState>;

  constructor(
    private readonly keys: IdempotencyService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    metrics: CommandMetrics,
  ) {
    this.projects = new StreamCommandHandler(projectDecider, eventStore, metrics);
    this.annualPlans = new StreamCommandHandler(annualPlanDecider, eventStore, metrics);
  }

  project(projectId: string, request: ProjectRequest, ctx: RequestContext): Promise<Dispatched> {
    const { creates = false } = COMMAND_CATALOGUE[request.type];
    return this.run(
      { aggregate: 'project', draft: onStream(request, { projectId }), creates },
      { streamId: projectStreamId(projectId), identity: { projectId }, body: { ...request.data, projectId } },
      ctx,
    );
  }

  annualPlan(year: number, request: AnnualPlanRequest, ctx: RequestContext): Promise<Dispatched> {
    const { creates = false } = COMMAND_CATALOGUE[request.type];
    return this.run(
      { aggregate: 'annualPlan', draft: onStream(request, { year }), creates },
      { streamId: annualPlanStreamId(year), identity: { year }, body: { ...request.data, year } },
      ctx,
    );
  }

  private async run(job: Job, target: Target, ctx: RequestContext): Promise<Dispatched> {
    const key = ctx.idempotencyKey;
    if (!key) return this.execute(job, target, ctx);
    const route = `${job.draft.type} ${target.streamId}`;
    const checked = await this.keys.claim({ key, actor: ctx.actor.sub, route, body: target.body });
    if ('replay' in checked) {
      await this.authorizeReplay(job, target.streamId, ctx.actor);
      return checked.replay;
    }
    const { claim } = checked;
    try {
      // A claim taken over from an owner that died: the events it appended, if any, are the answer.
      const recovered = claim.takenOverSince === undefined ? [] : await this.keys.appendedUnder(claim, target.streamId);
      if (recovered.length > 0) {
        const answer = answerOf(job, target, appendedOutcome(recovered));
        await this.keys.record(claim, answer);
        await this.authorizeReplay(job, target.streamId, ctx.actor);
        return answer;
      }
      let answer: Dispatched;
      try {
        answer = await this.execute(job, target, ctx);
      } catch (error) {
        // Nothing was appended: a retry is decided anew at once. An append whose outcome is unknown
        // (sent, not confirmed) or an unexpected failure keeps the claim: whoever takes it over
        // looks in the target stream first.
        if (appendedNothing(error)) await this.keys.release(claim);
        throw error;
      }
      await this.keys.record(claim, answer);
      return answer;
    } finally {
      this.keys.settle(claim);
    }
  }

  /** Decides and appends; the time is taken here, after the key was claimed. */
  private async execute(job: Job, target: Target, ctx: RequestContext): Promise<Dispatched> {
    const asked = target.body.expectedRevision;
    // Registering an existing id answers PROJECT_EXISTS, whoever owns it, before any revision
    // check: a REVISION_CONFLICT would tell another department the project's revision.
    const expectedRevision =
      job.creates && asked !== undefined && (await this.exists(target.streamId)) ? undefined : asked;
    const metadata: CommandMetadata = { now: this.clock.now().toISOString(), actor: ctx.actor };
    const { correlationId, causationId, idempotencyKey } = ctx;
    const options: HandleOptions = { correlationId, causationId, idempotencyKey, expectedRevision };
    const outcome =
      job.aggregate === 'project'
        ? await this.projects.handle(target.streamId, { ...job.draft, metadata }, options)
        : await this.annualPlans.handle(
            target.streamId,
            await this.withProjectFacts({ ...job.draft, metadata }),
            options,
          );
    return answerOf(job, target, outcome);
  }

  /**
   * The plan decides on facts of another aggregate, the project's own stream. Read when the
   * command runs (not for a replayed Idempotency-Key), and kept out of the key's request hash.
   */
  private async withProjectFacts(command: AnnualPlanCommand): Promise<AnnualPlanCommand> {
    if (command.type !== 'IncludeProjectInPlan') return command;
    const events = await this.eventStore.readStream(projectStreamId(command.data.projectId));
    const state = fold(projectDecider, events.map(domainEvent<ProjectEvent>));
    return {
      ...command,
      data: { ...command.data, project: { registered: state.status !== null, planYear: state.planYear } },
    };
  }

  private async exists(streamId: string): Promise<boolean> {
    return (await this.eventStore.readStream(streamId, { fromRevision: 0, toRevision: 0 })).length > 0;
  }

  /**
   * Authorize first, then replay: a recorded answer goes only to a caller who may still issue the
   * command (第三条: the roles of COMMAND_CATALOGUE) on this project (its own department), refused
   * exactly as a fresh request would be. The department is fixed at registration (revision 0).
   */
  private async authorizeReplay(job: Job, streamId: string, actor: Actor): Promise<void> {
    const type = job.draft.type;
    const { roles } = COMMAND_CATALOGUE[type];
    if (!roles.includes(actor.role))
      throw refuse('ROLE_NOT_ALLOWED', { role: actor.role, command: type, allowed: roles });
    if (job.aggregate !== 'project') return;
    const registration = await this.eventStore.readStream(streamId, { toRevision: 0 });
    const state = fold(projectDecider, registration.map(domainEvent<ProjectEvent>));
    if (state.status !== null && !canActOnProject(actor, state)) {
      // Registration checks the department it files for (第三条), every later command the project's.
      throw type === 'RegisterProject'
        ? refuse('DEPARTMENT_MISMATCH', {
            departmentCode: state.departmentCode,
            callerDepartment: actor.department ?? null,
          })
        : refuse('OTHER_DEPARTMENT', { department: actor.department ?? null });
    }
  }
}

/** A command of one aggregate, on its stream, waiting for its metadata (taken when it runs). */
type Job = { creates: boolean } & (
  | { aggregate: 'project'; draft: ProjectRequest & { data: { projectId: string } } }
  | { aggregate: 'annualPlan'; draft: AnnualPlanRequest & { data: { year: number } } }
);

interface Target {
  streamId: string;
  /** What names the stream in the answer. */
  identity: { projectId: string } | { year: number };
  /** The request as the client sent it, with the route's id: hashed for the Idempotency-Key. */
  body: Expecting & Record<string, unknown>;
}

/**
 * The request's data as its event will store it, on its stream: plain JSON (class-transformer
 * leaves absent optional fields undefined; events store none of them), without the client's
 * expectedRevision (a condition of the request, not a fact), with the route's id.
 */
function onStream<R extends { data: Expecting }, Id extends object>(request: R, id: Id): R & { data: Id } {
  const data: R['data'] = JSON.parse(
    JSON.stringify(request.data, function (this: unknown, key: string, value: unknown) {
      return this === request.data && key === 'expectedRevision' ? undefined : value;
    }),
  );
  return { ...request, data: { ...data, ...id } };
}

/** The answer a command's outcome gives: 201 when it opened its stream. */
function answerOf(job: Job, target: Target, outcome: Omit<CommandOutcome, 'streamId'>): Dispatched {
  const { revision, position, events } = outcome;
  return {
    status: job.creates && outcome.created ? 201 : 200,
    body: { ...target.identity, revision, position, events },
  };
}

/** The outcome the events appended under a key had (crash recovery). */
function appendedOutcome(events: StoredEvent[]): Omit<CommandOutcome, 'streamId'> {
  const last = events[events.length - 1];
  return {
    revision: last.revision,
    position: last.position,
    events: events.map((e) => e.type),
    created: events[0].revision === 0,
  };
}

/**
 * A refusal, a conflict or a store that said it wrote nothing appended nothing. An append whose
 * outcome is unknown, or an unexpected failure, may have.
 */
function appendedNothing(error: unknown): boolean {
  return (
    error instanceof DomainError ||
    error instanceof RevisionConflict ||
    error instanceof ProblemError ||
    (error instanceof StoreUnavailable && !(error instanceof AppendOutcomeUnknown))
  );
}

/** What the generic handler needs of a command: its type, and the time and actor it carries. */
type DomainCommand = { type: string; metadata: CommandMetadata };
type DomainEvent = { type: string; data: object };

/**
 * A stored event as its aggregate's event, after upcasting. The store holds what decide produced
 * (and upcasters lift what an older schema wrote): the one place stored data meets a domain type.
 */
function domainEvent<E extends DomainEvent>(stored: StoredEvent): E {
  const { type, data } = upcast(stored);
  return { type, data } as E;
}

export interface HandleOptions {
  correlationId: string;
  causationId: string;
  idempotencyKey?: string;
  /** Optimistic concurrency from the client: a mismatch is a 409, never retried. */
  expectedRevision?: number;
}

export interface CommandOutcome {
  streamId: string;
  revision: number;
  position: string;
  events: string[];
  created: boolean;
}

interface Folded<S> {
  revision: number;
  position: string;
  state: S;
}

/**
 * Conflicts with other instances are retried on fresh state for at most this long; jitter
 * spreads out writers racing for one project. Writers in this process never conflict with each
 * other: they take turns per stream.
 */
const CONTENTION_LIMIT_MS = 5_000;
const backoff = (attempt: number) => new Promise((r) => setTimeout(r, Math.random() * 2 ** Math.min(attempt, 5)));

/**
 * The one generic handler: read the stream, fold evolve, decide (pure), append with the revision
 * that was read. A concurrent writer makes the append fail with RevisionConflict; without a
 * client expectation the whole load-decide-append is retried on the fresh state, so the
 * decision is always taken on the state it is appended after.
 */
export class StreamCommandHandler<C extends DomainCommand, E extends DomainEvent, S> {
  /**
   * Folded state per stream after this process's last successful append. A cached state is only
   * a guess: the append still expects its revision, so a write by anyone else surfaces as a
   * RevisionConflict and the retry folds the stream afresh.
   */
  private readonly states = new LRUCache<string, Folded<S>>({ max: STATE_CACHE_LIMIT });
  /** The tail of each stream's queue of writers in this process. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly decider: Decider<C, E, S>,
    private readonly eventStore: EventStore,
    private readonly metrics: CommandMetrics,
  ) {}

  async handle(streamId: string, command: C, options: HandleOptions): Promise<CommandOutcome> {
    const stop = this.metrics.start(command.type);
    try {
      const outcome = await this.serialized(streamId, () => this.decideAndAppend(streamId, command, options));
      stop('accepted');
      return outcome;
    } catch (error) {
      stop(error instanceof RevisionConflict ? 'conflict' : ((error as { kind?: string }).kind ?? 'error'));
      throw error;
    }
  }

  /**
   * One writer per stream at a time in this process: the server's own concurrency never turns
   * into a conflict (or a retry) the client sees; writers to other streams still share a group
   * commit.
   */
  private serialized<T>(streamId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(streamId) ?? Promise.resolve();
    const mine = previous.then(work);
    const tail = mine.catch(() => undefined);
    this.queues.set(streamId, tail);
    void tail.then(() => {
      if (this.queues.get(streamId) === tail) this.queues.delete(streamId);
    });
    return mine;
  }

  /**
   * The stream's folded state: from the cache when `useCache` and it holds the revision the client
   * expects (or the client expects none), else read and folded from the store.
   */
  private async load(streamId: string, read: { useCache: boolean; expectedRevision?: number }) {
    const cached = read.useCache ? this.states.get(streamId) : undefined;
    if (cached && (read.expectedRevision === undefined || read.expectedRevision === cached.revision)) {
      return { ...cached, cached: true };
    }
    const stored = await this.eventStore.readStream(streamId);
    const state = fold(this.decider, stored.map(domainEvent<E>));
    return { revision: stored.length - 1, position: stored[stored.length - 1]?.position ?? '0', state, cached: false };
  }

  private async decideAndAppend(streamId: string, command: C, options: HandleOptions): Promise<CommandOutcome> {
    const { expectedRevision } = options;
    const giveUpAt = Date.now() + CONTENTION_LIMIT_MS;
    for (let attempt = 0; ; attempt++) {
      // The first attempt may trust the cache; a retry follows a conflict, so it reads the stream.
      const loaded = await this.load(streamId, { useCache: attempt === 0, expectedRevision });
      const { revision, position: headPosition, state, cached } = loaded;
      if (expectedRevision !== undefined && expectedRevision !== revision) {
        throw new RevisionConflict(streamId, expectedRevision, revision);
      }
      let decided: ReturnType<Decider<C, E, S>['decide']>;
      try {
        decided = this.decider.decide(command, state);
      } catch (refusal) {
        // A refusal must be decided on the stored state, not on a cache another writer outdated.
        if (!cached) throw refusal;
        this.states.del(streamId);
        continue;
      }
      if (decided.length === 0) {
        // Nothing to append: answer the stored revision, never a cached guess another instance
        // may have overtaken.
        if (cached) {
          this.states.del(streamId);
          continue;
        }
        return { streamId, revision, position: headPosition, events: [], created: false };
      }
      const pending: PendingEvent[] = decided.map((d) => ({
        type: d.type,
        data: { ...d.data },
        metadata: {
          eventId: randomUUID(),
          occurredAt: command.metadata.now,
          actor: command.metadata.actor,
          correlationId: options.correlationId,
          causationId: options.causationId,
          ...(options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {}),
          ...(d.article ? { article: d.article } : {}),
          policy: d.policy,
          ...(d.policyLapsed ? { policyLapsed: true } : {}),
          schemaVersion: SCHEMA_VERSION,
        },
      }));
      try {
        const endTimer = this.metrics.appendTimer();
        const result = await this.eventStore.append(streamId, pending, revision === -1 ? 'no_stream' : revision);
        endTimer();
        const next = fold(this.decider, decided, state);
        this.states.set(streamId, { revision: result.nextRevision, position: result.position, state: next });
        return {
          streamId,
          revision: result.nextRevision,
          position: result.position,
          events: pending.map((e) => e.type),
          created: revision === -1,
        };
      } catch (error) {
        this.states.del(streamId);
        if (!(error instanceof RevisionConflict) || expectedRevision !== undefined) throw error;
        // The client sent no expectedRevision: another instance's write is our problem, not a
        // "changed since you read it" for the client.
        if (Date.now() >= giveUpAt) throw contended();
        await backoff(attempt);
      }
    }
  }
}

function contended(): ProblemError {
  return new ProblemError(
    503,
    'CONTENDED',
    'Project contended',
    'Too many concurrent writes to this project; nothing was changed. Retry the request.',
  );
}
