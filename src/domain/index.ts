/**
 * The pure domain of the Digital Ordos measures (《数字鄂尔多斯建设项目管理办法》, 2020).
 * Imports nothing outside this folder and the standard library.
 *
 * One module per capability owns its commands, events and refusals (src/domain/project/*.ts,
 * src/domain/annual-plan/plan.ts); catalogue.ts derives RULES, EVENT_CATALOGUE and
 * COMMAND_CATALOGUE from them.
 */
export * from './calendar';
export * from './money';
export { hasVisibleText } from './text';
export * from './roles';
export * from './policy';
export * from './errors';
export { RULES, refuse, invalidState } from './rules';
export type { RuleCode } from './rules';
export { fold } from './decider';
export type { Decider } from './decider';
export * from './project-values';
export * from './project-status';
export * from './labels';
export * from './project-commands';
export * from './project-events';
export * from './project/state';
export { stateView } from './project/state-view';
export { subStatusOf } from './project/sub-status';
export * from './annual-plan/types';
export * from './system/types';
export * from './framework/types';
export * from './catalogue';
export { omEligibility } from './project/compliance';
export { annualPlanInbox, assembleInbox, frameworkInbox, inboxRolesOf, projectInbox, systemInbox } from './inbox';
export type { InboxItem } from './inbox';
export {
  deadlinesOf,
  nextDueDates,
  surplusOutstandingOf,
  undatedObligationsOf,
  UNDATED_OBLIGATION_KINDS,
} from './project/deadlines';
export type { UndatedObligationKind } from './project/deadlines';
export type { Deadline, DeadlineKind } from './project/deadlines';
export { evolveProject } from './project/evolve';
export { createProjectDecider, projectDecider, projectStreamId } from './project/decider';
export { annualPlanDecider, annualPlanStreamId, initialAnnualPlanState } from './annual-plan/decider';
export { systemDecider, systemStreamId } from './system/decider';
export { banReasonsOf } from './project/compliance';
export { frameworkDecider, frameworkStreamId, initialFrameworkState } from './framework/decider';
export { awaitingConfirmation, contentKey, frameworkDepartments } from './framework/framework';
export { UPLOADERS } from './project/documents';
