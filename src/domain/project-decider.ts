import { POLICIES, Policy } from './policy';
import { ProjectCommand } from './project-commands';
import { decideProject } from './project-decide';
import { Decided, ProjectEvent } from './project-events';
import { evolveProject } from './project-evolve';
import { ProjectState, initialProjectState } from './project-state';

export interface Decider<Command, Event, State> {
  initialState: () => State;
  decide(command: Command, state: State): Decided<Event>[];
  evolve(state: State, event: Event): State;
}

/** A decider bound to a list of policies: tests and a future successor configure it here. */
export function createProjectDecider(policies: readonly Policy[] = POLICIES): Decider<ProjectCommand, ProjectEvent, ProjectState> {
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
