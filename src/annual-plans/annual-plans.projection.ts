import { annualPlanDecider, initialAnnualPlanState, type AnnualPlanEvent, type AnnualPlanState } from '../domain';
import { decidedUnder, type Projection } from '../projections/projection';
import { ANNUAL_PLAN_STREAM_PREFIX } from '../application/streams';

/** 第五条 one document per plan year: entries, adoption and finance's feedback. */
export const annualPlansProjection: Projection = {
  name: 'annual-plans',
  // 2: the plan's history is no longer copied into the document (it grew without bound toward
  // MongoDB's 16 MB limit); GET /annual-plans/:year reads it from the stream annual-plan-<year>.
  // 3: `policy {id, lapsed}` — the policy the plan's latest decision rests on (第三十三条)
  version: 3,
  collection: 'annual_plans',
  indexes: [{ fields: { year: 1 } }],
  types: ['ProjectIncludedInPlan', 'AnnualPlanAdopted', 'BudgetFeedbackRecorded'],
  route: (event) =>
    event.streamId.startsWith(ANNUAL_PLAN_STREAM_PREFIX)
      ? [event.streamId.slice(ANNUAL_PLAN_STREAM_PREFIX.length)]
      : [],
  evolve(doc, event) {
    const previous = (doc?.state as AnnualPlanState | undefined) ?? initialAnnualPlanState();
    const state = annualPlanDecider.evolve(previous, { type: event.type, data: event.data } as AnnualPlanEvent);
    const entries = Object.values(state.entries);
    return {
      year: state.year,
      adopted: state.adopted,
      adoptedOn: state.adoptedOn,
      entries,
      projectCount: entries.length,
      controlTotalFen: entries.reduce((sum, e) => sum + (e.budget?.controlAmountFen ?? 0), 0),
      inBudgetCount: entries.filter((e) => e.budget?.inBudget).length,
      updatedAt: event.metadata.occurredAt,
      revision: event.revision,
      policy: decidedUnder(event) ?? doc?.policy ?? null,
      state,
    };
  },
};
