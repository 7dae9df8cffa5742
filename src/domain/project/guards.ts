import { CommandDefinition, DecisionContext, EventDefinition } from '../definitions';
import { ProjectCommand, ProjectCommandOf, ProjectCommandType } from '../project-commands';
import { ProjectEvent, ProjectEventOf, ProjectEventType } from '../project-events';
import { ProjectStatus } from '../project-status';
import { invalidState } from '../rule';
import { ProjectState, RegisteredProject } from './state';

/** The context of one project decision: the command's type, articles and statuses go with it. */
export interface ProjectDecisionContext extends DecisionContext {
  command: { type: ProjectCommandType; articles: string; accepts: readonly ProjectStatus[] };
}

/** A project command's definition: its decision sees a registered project. */
export interface ProjectCommandDefinition<C = ProjectCommand, Code extends string = string> extends CommandDefinition<
  C,
  RegisteredProject,
  ProjectEvent,
  ProjectDecisionContext,
  Code
> {
  /** Statuses in which the command fits; any other answers INVALID_STATE with `articles`. */
  accepts: readonly ProjectStatus[];
  /**
   * Within an accepted status, whether the state leaves the command anything to do (a stage that
   * awaits its decision, an open rectification): the same condition the decision refuses without,
   * beside it. Absent: every accepted status will do. What the dashboard offers (availableCommands).
   */
  ready?(state: RegisteredProject): boolean;
}

/** RegisterProject is decided on a stream that may not exist yet. */
export interface RegistrationDefinition<C, Code extends string = string> extends CommandDefinition<
  C,
  ProjectState,
  ProjectEvent,
  DecisionContext,
  Code
> {
  creates: true;
}

/** A module's project commands, each typed with its own command and the refusal codes it may name. */
export type ProjectCommandDefinitions<T extends ProjectCommandType, Code extends string> = {
  [K in T]: ProjectCommandDefinition<ProjectCommandOf<K>, Code>;
};

export function stateError(state: ProjectState, ctx: ProjectDecisionContext, extra?: Record<string, unknown>): Error {
  return invalidState(ctx.command.type, state.status, ctx.command.articles, extra);
}

/** The status, when the command accepts it (docs/api.md 409 INVALID_STATE otherwise). */
export function requireStatus(state: RegisteredProject, ctx: ProjectDecisionContext): ProjectStatus {
  if (!ctx.command.accepts.includes(state.status)) throw stateError(state, ctx);
  return state.status;
}

/**
 * A part of the state the accepted statuses imply (e.g. the approved design once APPROVED):
 * the compiler is told with a check, never a cast; failing it is an INVALID_STATE.
 */
export function present<T>(value: T | null, state: RegisteredProject, ctx: ProjectDecisionContext): T {
  if (value === null) throw stateError(state, ctx);
  return value;
}

/** A module's events, each typed with its own event. */
export type ProjectEventDefinitions<T extends ProjectEventType> = {
  [K in T]: EventDefinition<ProjectEventOf<K>>;
};
