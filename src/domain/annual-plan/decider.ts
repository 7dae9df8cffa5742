import { decideByDefinition } from '../catalogue';
import { Decider } from '../decider';
import { CommandDefinition } from '../definitions';
import { POLICIES, Policy } from '../policy';
import { Decided } from '../project-events';
import { annualPlanCommands } from './plan';
import { AnnualPlanCommand, AnnualPlanEvent, AnnualPlanState } from './types';

export function initialAnnualPlanState(): AnnualPlanState {
  return { year: null, adopted: false, adoptedOn: null, entries: {} };
}

function evolveAnnualPlan(state: AnnualPlanState, event: AnnualPlanEvent): AnnualPlanState {
  switch (event.type) {
    case 'ProjectIncludedInPlan': {
      const d = event.data;
      const entry = {
        projectId: d.projectId,
        reviewOpinion: d.reviewOpinion,
        afterAdoption: d.afterAdoption,
        budget: null,
      };
      return { ...state, year: d.year, entries: { ...state.entries, [d.projectId]: entry } };
    }
    case 'AnnualPlanAdopted':
      return { ...state, year: event.data.year, adopted: true, adoptedOn: event.data.adoptedOn };
    case 'BudgetFeedbackRecorded': {
      const d = event.data;
      const entry = state.entries[d.projectId];
      if (!entry) return state;
      const budget = { inBudget: d.inBudget, controlAmountFen: d.controlAmountFen };
      return { ...state, entries: { ...state.entries, [d.projectId]: { ...entry, budget } } };
    }
    default: {
      const unexpected: never = event;
      return unexpected;
    }
  }
}

/** The time is covered by the measures (第三十三条), the role may issue it (第三条), then the plan's rules. */
function decideAnnualPlan(
  command: AnnualPlanCommand,
  state: AnnualPlanState,
  policies: readonly Policy[] = POLICIES,
): Decided<AnnualPlanEvent>[] {
  const definition: CommandDefinition<AnnualPlanCommand, AnnualPlanState, AnnualPlanEvent> =
    annualPlanCommands[command.type];
  return decideByDefinition(definition, command, state, policies);
}

function createAnnualPlanDecider(
  policies: readonly Policy[] = POLICIES,
): Decider<AnnualPlanCommand, AnnualPlanEvent, AnnualPlanState> {
  return {
    initialState: initialAnnualPlanState,
    decide: (command, state) => decideAnnualPlan(command, state, policies),
    evolve: evolveAnnualPlan,
  };
}

export const annualPlanDecider = createAnnualPlanDecider();

export function annualPlanStreamId(year: number): string {
  return `annual-plan-${year}`;
}
