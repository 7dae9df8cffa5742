import { decideByDefinition } from '../catalogue';
import { Decider } from '../decider';
import { CommandDefinition } from '../definitions';
import { POLICIES, Policy } from '../policy';
import { Decided } from '../project-events';
import { systemCommands } from './system';
import { SystemCommand, SystemEvent, SystemState } from './types';

export function initialSystemState(): SystemState {
  return { systemId: null };
}

function evolveSystem(state: SystemState, event: SystemEvent): SystemState {
  switch (event.type) {
    case 'ExistingSystemInventoried': {
      const d = event.data;
      return {
        systemId: d.systemId,
        departmentCode: d.departmentCode,
        name: d.name,
        inCatalogue: d.inCatalogue,
        inventoriedOn: d.inventoriedOn,
        compliance: { facts: null, sharingExemption: null, sharingReview: null },
      };
    }
    case 'SystemComplianceRecorded': {
      if (state.systemId === null) return state;
      const d = event.data;
      const facts = {
        sharesData: d.sharesData,
        duplicateCollection: d.duplicateCollection,
        inCatalogue: d.inCatalogue,
        cryptoAssessmentPassed: d.cryptoAssessmentPassed,
        securityAssessmentPassed: d.securityAssessmentPassed,
        majorSecurityHazard: d.majorSecurityHazard,
      };
      return { ...state, inCatalogue: facts.inCatalogue, compliance: { ...state.compliance, facts } };
    }
    case 'SystemSharingExemptionGranted': {
      if (state.systemId === null) return state;
      const { reason, grantedOn } = event.data;
      return { ...state, compliance: { ...state.compliance, sharingExemption: { reason, grantedOn } } };
    }
    default: {
      const unexpected: never = event;
      return unexpected;
    }
  }
}

/** The time is covered by the measures (第三十三条), the role may issue it (第三条), then the system's rules. */
function decideSystem(
  command: SystemCommand,
  state: SystemState,
  policies: readonly Policy[] = POLICIES,
): Decided<SystemEvent>[] {
  const definition: CommandDefinition<SystemCommand, SystemState, SystemEvent> = systemCommands[command.type];
  return decideByDefinition(definition, command, state, policies);
}

function createSystemDecider(policies: readonly Policy[] = POLICIES): Decider<SystemCommand, SystemEvent, SystemState> {
  return {
    initialState: initialSystemState,
    decide: (command, state) => decideSystem(command, state, policies),
    evolve: evolveSystem,
  };
}

export const systemDecider = createSystemDecider();

export function systemStreamId(systemId: string): string {
  return `system-${systemId}`;
}
