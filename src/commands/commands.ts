import { Inject, Injectable } from '@nestjs/common';
import {
  annualPlanDecider,
  annualPlanStreamId,
  canActOnProject,
  COMMAND_CATALOGUE,
  departmentOf,
  DomainError,
  fold,
  frameworkDecider,
  frameworkStreamId,
  projectDecider,
  projectStreamId,
  refuse,
  registrationOf,
  systemDecider,
  systemStreamId,
  type SystemCommand,
  type SystemCommandType,
  type SystemEvent,
  type SystemState,
  type Actor,
  type AnnualPlanCommand,
  type BannedSystem,
  type AnnualPlanCommandType,
  type AnnualPlanEvent,
  type AnnualPlanState,
  type CommandMetadata,
  type FrameworkCommand,
  type FrameworkCommandType,
  type FrameworkEvent,
  type FrameworkState,
  type ProjectCommand,
  type ProjectCommandOf,
  type ProjectCommandType,
  type ProjectEvent,
  type ProjectState,
} from '../domain';
import {
  AppendOutcomeUnknown,
  EVENT_STORE,
  RevisionConflict,
  StoreUnavailable,
  type EventStore,
  type StoredEvent,
} from '../event-store/event-store.port';
import { CLOCK, type Clock } from '../infrastructure/clock';
import { CommandMetrics } from '../infrastructure/metrics';
import { ProblemError } from '../application/errors';
import type { Dispatched, RequestContext } from '../application/context';
import { CONSTRUCTION_BAN, type ConstructionBan } from '../application/construction-ban';
import { ProjectRegistrations } from '../application/project-registrations';
import { IdempotencyService } from './idempotency.service';
import { domainEvent, StreamCommandHandler, type CommandOutcome, type HandleOptions } from './stream-command-handler';

/** Every command body may carry the revision the client last read (optimistic concurrency). */
export interface Expecting {
  expectedRevision?: number;
}

/** A project command's data as its route takes it: all but the project's id, which is the route's. */
export type ProjectCommandInputs = {
  [T in ProjectCommandType]: Omit<ProjectCommandOf<T>['data'], 'projectId' | 'budget' | 'underBan' | 'framework'>;
};

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

/** An existing system's command as its route takes it: all but the system's id, the route's. */
export type SystemCommandInputs = {
  [T in SystemCommandType]: Omit<Extract<SystemCommand, { type: T }>['data'], 'systemId'>;
};

export type SystemRequest = {
  [T in SystemCommandType]: { type: T; data: SystemCommandInputs[T] & Expecting };
}[SystemCommandType];
/** A framework command's data as its route takes it: all but the framework's id (the route's, or the server's). */
export type FrameworkCommandInputs = {
  [T in FrameworkCommandType]: Omit<Extract<FrameworkCommand, { type: T }>['data'], 'frameworkId'>;
};

export type FrameworkRequest = {
  [T in FrameworkCommandType]: { type: T; data: FrameworkCommandInputs[T] & Expecting };
}[FrameworkCommandType];

export type AnnualPlanRequest = {
  [T in AnnualPlanCommandType]: { type: T; data: AnnualPlanCommandInputs[T] & Expecting };
}[AnnualPlanCommandType];

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
  readonly systems: StreamCommandHandler<SystemCommand, SystemEvent, SystemState>;
  readonly frameworks: StreamCommandHandler<FrameworkCommand, FrameworkEvent, FrameworkState>;

  constructor(
    private readonly keys: IdempotencyService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(CONSTRUCTION_BAN) private readonly ban: ConstructionBan,
    private readonly registrations: ProjectRegistrations,
    metrics: CommandMetrics,
  ) {
    this.projects = new StreamCommandHandler(projectDecider, eventStore, metrics);
    this.annualPlans = new StreamCommandHandler(annualPlanDecider, eventStore, metrics);
    this.systems = new StreamCommandHandler(systemDecider, eventStore, metrics);
    this.frameworks = new StreamCommandHandler(frameworkDecider, eventStore, metrics);
  }

  project(projectId: string, request: ProjectRequest, ctx: RequestContext): Promise<Dispatched> {
    return this.run(
      {
        aggregate: 'project',
        draft: onStream(request, { projectId }),
        streamId: projectStreamId(projectId),
        identity: { projectId },
        body: { ...request.data, projectId },
        creates: COMMAND_CATALOGUE[request.type].creates ?? false,
      },
      ctx,
    );
  }

  annualPlan(year: number, request: AnnualPlanRequest, ctx: RequestContext): Promise<Dispatched> {
    return this.run(
      {
        aggregate: 'annualPlan',
        draft: onStream(request, { year }),
        streamId: annualPlanStreamId(year),
        identity: { year },
        body: { ...request.data, year },
        creates: COMMAND_CATALOGUE[request.type].creates ?? false,
      },
      ctx,
    );
  }

  system(systemId: string, request: SystemRequest, ctx: RequestContext): Promise<Dispatched> {
    return this.run(
      {
        aggregate: 'system',
        draft: onStream(request, { systemId }),
        streamId: systemStreamId(systemId),
        identity: { systemId },
        body: { ...request.data, systemId },
        creates: COMMAND_CATALOGUE[request.type].creates ?? false,
      },
      ctx,
    );
  }

  /** 第七条 a cross-department framework, one stream per framework. */
  framework(frameworkId: string, request: FrameworkRequest, ctx: RequestContext): Promise<Dispatched> {
    return this.run(
      {
        aggregate: 'framework',
        draft: onStream(request, { frameworkId }),
        streamId: frameworkStreamId(frameworkId),
        identity: { frameworkId },
        body: { ...request.data, frameworkId },
        creates: COMMAND_CATALOGUE[request.type].creates ?? false,
      },
      ctx,
    );
  }

  private async run(job: Job, ctx: RequestContext): Promise<Dispatched> {
    const key = ctx.idempotencyKey;
    if (!key) return this.execute(job, ctx);
    // 1. The key: a recorded answer is replayed (to a caller still authorized), else this process claims it.
    const checked = await this.keys.claim({ key, actor: ctx.actor.sub, route: routeOf(job), body: job.body });
    if ('replay' in checked) {
      await this.authorizeReplay(job, ctx.actor);
      return checked.replay;
    }
    const { claim } = checked;
    try {
      // 2. A claim taken over from an owner that died: the events it appended, if any, are the answer.
      const recovered = claim.takenOverSince === undefined ? [] : await this.keys.appendedUnder(claim, job.streamId);
      if (recovered.length > 0) {
        const answer = answerOf(job, appendedOutcome(recovered));
        await this.keys.record(claim, answer);
        await this.authorizeReplay(job, ctx.actor);
        return answer;
      }
      // 3. Load, decide, append.
      let answer: Dispatched;
      try {
        answer = await this.execute(job, ctx);
      } catch (error) {
        // Nothing was appended: a retry is decided anew at once. An append whose outcome is unknown
        // (sent, not confirmed) or an unexpected failure keeps the claim: whoever takes it over
        // looks in the target stream first.
        if (appendedNothing(error)) await this.keys.release(claim);
        throw error;
      }
      // 4. Record the answer under the key.
      await this.keys.record(claim, answer);
      return answer;
    } finally {
      this.keys.settle(claim);
    }
  }

  /** Decides and appends; the time is taken here, after the key was claimed. */
  private async execute(job: Job, ctx: RequestContext): Promise<Dispatched> {
    const asked = job.body.expectedRevision;
    // Registering an existing id answers PROJECT_EXISTS, whoever owns it, before any revision
    // check: a REVISION_CONFLICT would tell another department the project's revision.
    const expectedRevision =
      job.creates && asked !== undefined && (await this.exists(job.streamId)) ? undefined : asked;
    const metadata: CommandMetadata = { now: this.clock.now().toISOString(), actor: ctx.actor };
    const { correlationId, causationId, idempotencyKey } = ctx;
    const options: HandleOptions = { correlationId, causationId, idempotencyKey, expectedRevision };
    return answerOf(job, await this.handle(job, metadata, options));
  }

  /** The job's aggregate decides, on the facts of other aggregates it needs. */
  private async handle(job: Job, metadata: CommandMetadata, options: HandleOptions): Promise<CommandOutcome> {
    switch (job.aggregate) {
      case 'project': {
        const planned = await this.withPlanFacts({ ...job.draft, metadata });
        const command = await this.withBanFacts(await this.withFrameworkFacts(planned));
        return this.projects.handle(job.streamId, command, options);
      }
      case 'annualPlan':
        return this.annualPlans.handle(job.streamId, await this.withProjectFacts({ ...job.draft, metadata }), options);
      case 'system':
        return this.systems.handle(job.streamId, { ...job.draft, metadata }, options);
      case 'framework':
        return this.frameworks.handle(job.streamId, { ...job.draft, metadata }, options);
      default: {
        const unexpected: never = job;
        return unexpected;
      }
    }
  }

  /**
   * 第二十四条 the construction ban rests on the department's other streams (its projects in
   * operation, its existing systems): looked up when a registration, a start or an adjustment runs,
   * as of every fact stored before it arrived, and kept out of the Idempotency-Key's request hash.
   * Looked up only for the caller's own department: another's findings are never told.
   */
  private async withBanFacts(command: ProjectCommand): Promise<ProjectCommand> {
    const { actor } = command.metadata;
    switch (command.type) {
      case 'RegisterProject': {
        const { departmentCode, nature } = command.data;
        if (nature === 'CONTINUATION' || departmentCode !== actor.department) return command;
        return { ...command, data: { ...command.data, underBan: await this.ban.underBan(departmentCode) } };
      }
      case 'StartConstruction':
        return { ...command, data: { ...command.data, underBan: await this.banOfProject(command) } };
      case 'FileAdjustment':
        return { ...command, data: { ...command.data, underBan: await this.banOfProject(command) } };
      default:
        return command;
    }
  }

  /**
   * The plan decides on facts of another aggregate, the project's own stream. Read when the
   * command runs (not for a replayed Idempotency-Key), and kept out of the key's request hash.
   */
  private async withProjectFacts(command: AnnualPlanCommand): Promise<AnnualPlanCommand> {
    if (command.type !== 'IncludeProjectInPlan') return command;
    const events = await this.eventStore.readStream(projectStreamId(command.data.projectId));
    const state = fold(projectDecider, events.map(domainEvent<ProjectEvent>));
    const project = { registered: state.status !== null, planYear: registrationOf(state)?.planYear ?? null };
    return { ...command, data: { ...command.data, project } };
  }

  /**
   * The reverse: releasing investment decides on the budget feedback of the project's annual plan
   * (第五条), a fact of the plan's stream. Read when the command runs, kept out of the request hash.
   */
  private async withPlanFacts(command: ProjectCommand): Promise<ProjectCommand> {
    if (command.type !== 'ReleaseInvestment') return command;
    // The plan year is fixed at registration (revision 0): the rest of the stream is the handler's.
    const registration = await this.eventStore.readStream(projectStreamId(command.data.projectId), { toRevision: 0 });
    const planYear = registrationOf(fold(projectDecider, registration.map(domainEvent<ProjectEvent>)))?.planYear;
    if (planYear === undefined) return command;
    const planEvents = await this.eventStore.readStream(annualPlanStreamId(planYear));
    const plan = fold(annualPlanDecider, planEvents.map(domainEvent<AnnualPlanEvent>));
    const inBudget = plan.entries[command.data.projectId]?.budget?.inBudget ?? null;
    return { ...command, data: { ...command.data, budget: { planYear, inBudget } } };
  }

  /** The ban of the project's department, for a caller who acts on it (else the decision refuses). */
  private async banOfProject(command: ProjectCommand): Promise<BannedSystem[] | undefined> {
    const departmentCode = (await this.registrations.departmentsOf(command.data.projectId))?.departmentCode;
    if (departmentCode === undefined || !canActOnProject(command.metadata.actor, { departmentCode })) return undefined;
    return this.ban.underBan(departmentCode);
  }

  /**
   * 第七条 a registration's cross-department part decides on the framework it names, a fact of the
   * framework's stream: read when the command runs (not for a replayed Idempotency-Key), kept out of
   * the request hash. A stream without a filing is no framework (null).
   */
  private async withFrameworkFacts(command: ProjectCommand): Promise<ProjectCommand> {
    if (command.type !== 'RegisterProject') return command;
    const frameworkId = command.data.crossDepartment?.frameworkId;
    if (typeof frameworkId !== 'string') return command;
    const events = await this.eventStore.readStream(frameworkStreamId(frameworkId));
    const state = fold(frameworkDecider, events.map(domainEvent<FrameworkEvent>));
    const framework = state.filed && {
      frameworkId,
      leadDepartment: state.filed.leadDepartment,
      participants: state.filed.participants,
      acknowledged: state.acknowledgement !== null,
    };
    return { ...command, data: { ...command.data, framework } };
  }

  private async exists(streamId: string): Promise<boolean> {
    return (await this.eventStore.readStream(streamId, { fromRevision: 0, toRevision: 0 })).length > 0;
  }

  /**
   * Authorize first, then replay: a recorded answer goes only to a caller who may still issue the
   * command (第三条: the roles of COMMAND_CATALOGUE) on this project (its own department), refused
   * exactly as a fresh request would be. The department is fixed at registration (revision 0).
   */
  private async authorizeReplay(job: Job, actor: Actor): Promise<void> {
    const type = job.draft.type;
    const { roles } = COMMAND_CATALOGUE[type];
    if (!roles.includes(actor.role)) {
      throw refuse('ROLE_NOT_ALLOWED', { role: actor.role, command: type, allowed: roles });
    }
    if (job.aggregate !== 'project') return;
    const registration = await this.eventStore.readStream(job.streamId, { toRevision: 0 });
    const state = fold(projectDecider, registration.map(domainEvent<ProjectEvent>));
    if (state.status !== null && !canActOnProject(actor, state)) {
      // Registration checks the department it files for (第三条), every later command the project's.
      throw type === 'RegisterProject'
        ? refuse('DEPARTMENT_MISMATCH', {
            departmentCode: departmentOf(state),
            callerDepartment: actor.department ?? null,
          })
        : refuse('OTHER_DEPARTMENT', { department: actor.department ?? null });
    }
  }
}

/** A command of one aggregate on its stream, waiting for its metadata (taken when it runs). */
type Job = {
  streamId: string;
  /** What names the stream in the answer. */
  identity: { projectId: string } | { year: number } | { systemId: string } | { frameworkId: string };
  /** The request as the client sent it, with the route's id: hashed for the Idempotency-Key. */
  body: Expecting & Record<string, unknown>;
  /** The command opens its stream (COMMAND_CATALOGUE): 201, and PROJECT_EXISTS before any revision. */
  creates: boolean;
} & (
  | { aggregate: 'project'; draft: ProjectRequest & { data: { projectId: string } } }
  | { aggregate: 'annualPlan'; draft: AnnualPlanRequest & { data: { year: number } } }
  | { aggregate: 'system'; draft: SystemRequest & { data: { systemId: string } } }
  | { aggregate: 'framework'; draft: FrameworkRequest & { data: { frameworkId: string } } }
);

/** What an Idempotency-Key's request hash covers besides the body: command type and stream. */
function routeOf(job: Job): string {
  return `${job.draft.type} ${job.streamId}`;
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
function answerOf(job: Job, outcome: Omit<CommandOutcome, 'streamId'>): Dispatched {
  const { revision, position, events } = outcome;
  return {
    status: job.creates && outcome.created ? 201 : 200,
    body: { ...job.identity, revision, position, events, ...(outcome.policyLapsed ? { policyLapsed: true } : {}) },
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
    ...(events.some((e) => e.metadata.policyLapsed) ? { policyLapsed: true } : {}),
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
