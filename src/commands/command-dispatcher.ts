import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  annualPlanStreamId,
  canActOnProject,
  departmentOf,
  COMMAND_CATALOGUE,
  projectDecider,
  projectStreamId,
  refuse,
  registrationOf,
  type Actor,
  type CommandType,
  type ProjectEvent,
} from '../domain';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port';
import { upcast } from '../event-store/upcasters';
import { CLOCK, type Clock } from '../infrastructure/clock';
import type { RequestContext } from '../application/context';
import { ExecuteCommand, type CommandOutcome, type DeciderName } from './execute-command';
import { IdempotencyService } from './idempotency.service';

/** What a command route answers (API.md): the stream's new revision and the events appended. */
export interface CommandAnswer {
  projectId?: string;
  year?: number;
  revision: number;
  /** Global position of the last event: `GET …?minPosition=` waits until read models have it. */
  position: string;
  events: string[];
}

export interface Dispatched {
  status: 200 | 201;
  body: CommandAnswer;
}

/**
 * Turns a validated request into a domain command and runs it once: the Idempotency-Key makes
 * a retried request return the first answer without appending anything.
 */
@Injectable()
export class CommandDispatcher {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly idempotency: IdempotencyService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
  ) {}

  project(type: string, projectId: string, body: Record<string, unknown>, ctx: RequestContext): Promise<Dispatched> {
    return this.run('project', projectStreamId(projectId), type, { ...body, projectId }, ctx, () => ({ projectId }), type === 'RegisterProject');
  }

  annualPlan(type: string, year: number, body: Record<string, unknown>, ctx: RequestContext): Promise<Dispatched> {
    const facts = type === 'IncludeProjectInPlan' ? () => this.projectFacts(String(body.projectId)) : undefined;
    return this.run('annualPlan', annualPlanStreamId(year), type, { ...body, year }, ctx, () => ({ year }), false, facts);
  }

  /**
   * The plan decides on facts of another aggregate, the project's own stream. Read when the
   * command runs (not for a replayed Idempotency-Key), and kept out of the key's request hash.
   */
  private async projectFacts(projectId: string): Promise<Record<string, unknown>> {
    const events = await this.eventStore.readStream(projectStreamId(projectId));
    const state = events.map(upcast).reduce((s, e) => projectDecider.evolve(s, { type: e.type, data: e.data } as ProjectEvent), projectDecider.initialState());
    return { project: { registered: state.status !== null, planYear: registrationOf(state)?.planYear ?? null } };
  }

  private async exists(streamId: string): Promise<boolean> {
    return (await this.eventStore.readStream(streamId, { fromRevision: 0, toRevision: 0 })).length > 0;
  }

  /**
   * Authorize first, then replay: a recorded answer goes only to a caller who may still issue the
   * command (第三条: the roles of COMMAND_CATALOGUE) on this project (its own department), refused
   * exactly as a fresh request would be. The department is fixed at registration (revision 0).
   */
  private async authorizeReplay(decider: DeciderName, type: string, streamId: string, actor: Actor): Promise<void> {
    const roles = COMMAND_CATALOGUE[type as CommandType]?.roles;
    if (roles && !roles.includes(actor.role)) {
      throw refuse('ROLE_NOT_ALLOWED', { role: actor.role, command: type, allowed: roles });
    }
    if (decider !== 'project') return;
    const registration = (await this.eventStore.readStream(streamId, { toRevision: 0 })).map(upcast);
    const state = registration.reduce(
      (s, e) => projectDecider.evolve(s, { type: e.type, data: e.data } as ProjectEvent),
      projectDecider.initialState(),
    );
    if (state.status !== null && !canActOnProject(actor, state)) {
      // Registration checks the department it files for (第三条), every later command the project's.
      throw type === 'RegisterProject'
        ? refuse('DEPARTMENT_MISMATCH', { departmentCode: departmentOf(state), callerDepartment: actor.department ?? null })
        : refuse('OTHER_DEPARTMENT', { department: actor.department ?? null });
    }
  }

  private async run(
    decider: DeciderName,
    streamId: string,
    type: string,
    body: Record<string, unknown>,
    ctx: RequestContext,
    identity: () => Partial<CommandAnswer>,
    creates: boolean,
    facts?: () => Promise<Record<string, unknown>>,
  ): Promise<Dispatched> {
    const { expectedRevision: asked, ...request } = body as Record<string, unknown> & { expectedRevision?: number };
    const execute = async (): Promise<Dispatched> => {
      // Registering an existing id answers PROJECT_EXISTS, whoever owns it, before any revision
      // check: a REVISION_CONFLICT would tell another department the project's revision.
      const expectedRevision = creates && asked !== undefined && (await this.exists(streamId)) ? undefined : asked;
      const data = facts ? { ...request, ...(await facts()) } : request;
      const outcome = await this.commandBus.execute<ExecuteCommand, CommandOutcome>(
        new ExecuteCommand(
          decider,
          streamId,
          { type, data: stripUndefined(data), metadata: { now: this.clock.now().toISOString(), actor: ctx.actor } },
          {
            correlationId: ctx.correlationId,
            causationId: ctx.causationId,
            idempotencyKey: ctx.idempotencyKey,
            expectedRevision,
          },
        ),
      );
      return {
        status: creates && outcome.created ? 201 : 200,
        body: { ...identity(), revision: outcome.revision, position: outcome.position, events: outcome.events },
      };
    };
    if (!ctx.idempotencyKey) return execute();
    return this.idempotency.once(
      {
        key: ctx.idempotencyKey,
        actor: ctx.actor.sub,
        route: `${type} ${streamId}`,
        body,
        targetStream: streamId,
        authorize: () => this.authorizeReplay(decider, type, streamId, ctx.actor),
        answerFrom: (events) => {
          const last = events[events.length - 1];
          return {
            status: creates && events[0].revision === 0 ? 201 : 200,
            body: { ...identity(), revision: last.revision, position: last.position, events: events.map((e) => e.type) },
          };
        },
      },
      execute,
    );
  }
}

/** class-transformer leaves absent optional fields as undefined; events store none of them. */
function stripUndefined(data: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(data)) as Record<string, unknown>;
}
