/**
 * The project decider: a router from command type to the decision of the module that owns it
 * (PROJECT_COMMANDS, merged from src/domain/project/*.ts), after the checks every command shares.
 */
import { PROJECT_COMMANDS, decisionArticle } from '../catalogue';
import { Decider } from '../decider';
import { POLICIES, Policy } from '../policy';
import { ProjectCommand } from '../project-commands';
import { Decided, ProjectEvent } from '../project-events';
import { canActOnProject } from '../roles';
import { refusal } from '../rule';
import { SHARED_RULES, decisionContext, requireRole, stampWith } from '../shared';
import { evolveProject } from './evolve';
import { ProjectCommandDefinition } from './guards';
import { RegisterProjectDefinition } from './initiation';
import { ProjectState, initialProjectState } from './state';

/**
 * Checks run in the order a clerk would: is the time covered by the measures, may this role
 * issue it (第三条), does the project exist (第九条), is it the caller's department (第三条),
 * then the status and the article's own rules.
 */
function decideProject(
  command: ProjectCommand,
  state: ProjectState,
  policies: readonly Policy[] = POLICIES,
): Decided<ProjectEvent>[] {
  const ctx = decisionContext(command.metadata, policies);
  const actor = command.metadata.actor;
  const stamp = (event: ProjectEvent) => stampWith(event, decisionArticle(event), ctx);
  if (command.type === 'RegisterProject') {
    requireRole(command.type, RegisterProjectDefinition.roles, actor);
    return RegisterProjectDefinition.decide(command, state, ctx).map(stamp);
  }
  const definition: ProjectCommandDefinition = PROJECT_COMMANDS[command.type];
  requireRole(command.type, definition.roles, actor);
  if (state.status === null) throw refusal(SHARED_RULES.PROJECT_NOT_FOUND, { projectId: command.data.projectId });
  if (!canActOnProject(actor, state)) {
    // Names the caller's own department only: never another department's code.
    throw refusal(SHARED_RULES.OTHER_DEPARTMENT, { department: actor.department ?? null });
  }
  const decided = { type: command.type, articles: definition.articles, accepts: definition.accepts };
  return definition.decide(command, state, { ...ctx, command: decided }).map(stamp);
}

/** A decider bound to a list of policies: tests and a future successor configure it here. */
export function createProjectDecider(
  policies: readonly Policy[] = POLICIES,
): Decider<ProjectCommand, ProjectEvent, ProjectState> {
  return {
    initialState: initialProjectState,
    decide: (command, state) => decideProject(command, state, policies),
    evolve: evolveProject,
  };
}

export const projectDecider = createProjectDecider();

/** Stream names (EventStoreDB category `project`). */
export function projectStreamId(projectId: string): string {
  return `project-${projectId}`;
}
