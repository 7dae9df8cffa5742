import { COMMAND_CATALOGUE, decisionArticle } from './catalogue';
import { AnnualPlanCommand, AnnualPlanEvent, AnnualPlanState, SpecialCircumstance } from './annual-plan-types';
import { requireFen, recordedBy, DecisionContext } from './project-guards';
import { decisionContext } from './project-decide';
import { Decider } from './project-decider';
import { Decided } from './project-events';
import { POLICIES, Policy } from './policy';
import { Actor } from './roles';
import { refuse } from './rules';

export function initialAnnualPlanState(): AnnualPlanState {
  return { year: null, adopted: false, adoptedOn: null, entries: {} };
}

/** 第五条 一经确定，无特殊情况不再调整: after adoption a change needs a reason, recorded with who. */
function specialCircumstance(reason: string | null | undefined, actor: Actor): SpecialCircumstance {
  if (!reason || !reason.trim()) throw refuse('PLAN_FROZEN');
  return { reason, recordedBy: recordedBy(actor) };
}

function route(command: AnnualPlanCommand, state: AnnualPlanState, ctx: DecisionContext): AnnualPlanEvent[] {
  const year = command.data.year;
  switch (command.type) {
    case 'IncludeProjectInPlan': {
      const { projectId, reviewOpinion, project } = command.data;
      if (project && !project.registered) throw refuse('PROJECT_NOT_FOUND', { projectId });
      if (project && project.planYear !== year) throw refuse('PLAN_YEAR_MISMATCH', { projectId, year, planYear: project.planYear });
      if (state.entries[projectId]) throw refuse('ALREADY_IN_PLAN', { projectId, year });
      const special = state.adopted ? specialCircumstance(command.data.specialCircumstance, ctx.actor) : null;
      return [
        {
          type: 'ProjectIncludedInPlan',
          data: { year, projectId, reviewOpinion, includedOn: ctx.today, afterAdoption: state.adopted, specialCircumstance: special },
        },
      ];
    }
    case 'AdoptAnnualPlan': {
      const projectIds = Object.keys(state.entries);
      if (projectIds.length === 0) throw refuse('PLAN_EMPTY', { year });
      const special = state.adopted ? specialCircumstance(command.data.specialCircumstance, ctx.actor) : null;
      return [
        {
          type: 'AnnualPlanAdopted',
          data: { year, meetingRef: command.data.meetingRef, projectIds, adoptedOn: ctx.today, readoption: state.adopted, specialCircumstance: special },
        },
      ];
    }
    case 'RecordBudgetFeedback': {
      // 一下 follows the adopted plan (市财政局结合年度建设计划反馈).
      if (!state.adopted) throw refuse('PLAN_NOT_ADOPTED', { year });
      const { projectId, inBudget } = command.data;
      const entry = state.entries[projectId];
      if (!entry) throw refuse('PROJECT_NOT_IN_PLAN', { projectId, year });
      const controlAmountFen = requireFen(command.data.controlAmountFen, 'controlAmountFen', '第五条');
      if (!inBudget && controlAmountFen !== 0) throw refuse('BUDGET_CONTROL_INCONSISTENT', { controlAmountFen });
      const others = Object.values(state.entries)
        .filter((e) => e.projectId !== projectId)
        .reduce((sum, e) => sum + (e.budget?.controlAmountFen ?? 0), 0);
      return [
        {
          type: 'BudgetFeedbackRecorded',
          data: { year, projectId, inBudget, controlAmountFen, recordedOn: ctx.today, controlTotalFen: others + controlAmountFen },
        },
      ];
    }
    default: {
      const unexpected: never = command;
      throw new Error(`unknown command ${(unexpected as { type: string }).type}`);
    }
  }
}

export function evolveAnnualPlan(state: AnnualPlanState, event: AnnualPlanEvent): AnnualPlanState {
  switch (event.type) {
    case 'ProjectIncludedInPlan': {
      const d = event.data;
      const entry = { projectId: d.projectId, reviewOpinion: d.reviewOpinion, afterAdoption: d.afterAdoption, budget: null };
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

export function decideAnnualPlan(
  command: AnnualPlanCommand,
  state: AnnualPlanState,
  policies: readonly Policy[] = POLICIES,
): Decided<AnnualPlanEvent>[] {
  const ctx = decisionContext(command.metadata, policies);
  const actor = command.metadata.actor;
  if (!COMMAND_CATALOGUE[command.type].roles.includes(actor.role)) {
    throw refuse('ROLE_NOT_ALLOWED', { role: actor.role, command: command.type, allowed: COMMAND_CATALOGUE[command.type].roles });
  }
  return route(command, state, ctx).map((event) => {
    const article = decisionArticle(event);
    return { ...event, ...(article ? { article } : {}), policy: ctx.policy.id, ...(ctx.lapsed ? { policyLapsed: true } : {}) };
  });
}

export function createAnnualPlanDecider(policies: readonly Policy[] = POLICIES): Decider<AnnualPlanCommand, AnnualPlanEvent, AnnualPlanState> {
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
