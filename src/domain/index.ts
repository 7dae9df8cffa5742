/**
 * The pure domain of the Digital Ordos measures (《数字鄂尔多斯建设项目管理办法》, 2020).
 * Imports nothing outside this folder and the standard library.
 */
export * from './calendar';
export * from './money';
export * from './roles';
export * from './policy';
export * from './errors';
export { RULES, refuse, invalidState } from './rules';
export type { RuleCode } from './rules';
export * from './project-values';
export * from './project-status';
export * from './project-commands';
export * from './project-events';
export * from './project-state';
export * from './annual-plan-types';
export * from './catalogue';
export { ACCEPTED_STATUSES } from './project-guards';
export type { DecisionContext } from './project-guards';
export { missingMaterials } from './decide-acceptance';
export { constructionYears } from './decide-construction';
export { evolveProject } from './project-evolve';
export { decideProject } from './project-decide';
export { createProjectDecider, projectDecider, projectStreamId } from './project-decider';
export type { Decider } from './project-decider';
export {
  annualPlanDecider,
  annualPlanStreamId,
  createAnnualPlanDecider,
  decideAnnualPlan,
  evolveAnnualPlan,
  initialAnnualPlanState,
} from './annual-plan-decider';
export * from './om-eligibility';
export * from './deadlines';
export { fold } from './decider';
