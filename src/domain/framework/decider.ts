import { decideByDefinition } from '../catalogue';
import { Decider } from '../decider';
import { CommandDefinition } from '../definitions';
import { POLICIES, Policy } from '../policy';
import { Decided } from '../project-events';
import { frameworkCommands } from './framework';
import { FrameworkCommand, FrameworkEvent, FrameworkState } from './types';

export function initialFrameworkState(): FrameworkState {
  return { frameworkId: null, filed: null, confirmations: {}, acknowledgement: null };
}

function evolveFramework(state: FrameworkState, event: FrameworkEvent): FrameworkState {
  switch (event.type) {
    case 'FrameworkFiled': {
      const { frameworkId, ...filed } = event.data;
      return { ...state, frameworkId, filed };
    }
    case 'FrameworkConfirmed': {
      const { department, opinion, confirmedOn, confirmedBy } = event.data;
      const confirmation = { department, opinion, confirmedOn, confirmedBy };
      return { ...state, confirmations: { ...state.confirmations, [department]: confirmation } };
    }
    case 'FrameworkAcknowledged': {
      const { opinion, acknowledgedOn, acknowledgedBy } = event.data;
      return { ...state, acknowledgement: { opinion, acknowledgedOn, acknowledgedBy } };
    }
    default: {
      const unexpected: never = event;
      return unexpected;
    }
  }
}

/** The time is covered by the measures (第三十三条), the role may issue it (第三条), then 第七条. */
function decideFramework(
  command: FrameworkCommand,
  state: FrameworkState,
  policies: readonly Policy[] = POLICIES,
): Decided<FrameworkEvent>[] {
  const definition: CommandDefinition<FrameworkCommand, FrameworkState, FrameworkEvent> =
    frameworkCommands[command.type];
  return decideByDefinition(definition, command, state, policies);
}

export const frameworkDecider: Decider<FrameworkCommand, FrameworkEvent, FrameworkState> = {
  initialState: initialFrameworkState,
  decide: (command, state) => decideFramework(command, state),
  evolve: evolveFramework,
};

export function frameworkStreamId(frameworkId: string): string {
  return `framework-${frameworkId}`;
}
