/**
 * The catalogues, derived: each capability module defines its commands, events and refusals,
 * and these tables merge them. Nothing here is written twice; to change a rule, a label or an
 * article, open the module that owns it (src/domain/project/*.ts, src/domain/annual-plan/*.ts,
 * src/domain/framework/*.ts).
 */
import { AnnualPlanCommandType, AnnualPlanEvent, AnnualPlanEventType } from './annual-plan/types';
import { annualPlanCommands, annualPlanEvents, annualPlanRules } from './annual-plan/plan';
import { FrameworkCommandType, FrameworkEvent, FrameworkEventType } from './framework/types';
import { frameworkCommands, frameworkEvents, frameworkRules } from './framework/framework';
import { CommandDefinition, DecisionContext, EventDefinition, FAMILIES, Family } from './definitions';
import { acceptanceCommands, acceptanceEvents, acceptanceRules } from './project/acceptance';
import { approvalCommands, approvalEvents, approvalRules } from './project/approval';
import { complianceCommands, complianceEvents, complianceRules } from './project/compliance';
import { constructionCommands, constructionEvents, constructionRules } from './project/construction';
import { deadlineCommands, deadlineEvents, deadlineRules } from './project/deadlines';
import { fundsCommands, fundsEvents, fundsRules } from './project/funds';
import { ProjectCommandDefinition, ProjectCommandDefinitions, ProjectEventDefinitions } from './project/guards';
import { ProjectState } from './project/state';
import { RegisterProjectDefinition, initiationEvents, initiationRules } from './project/initiation';
import { oversightCommands, oversightEvents, oversightRules } from './project/oversight';
import { incidentCommands, incidentEvents, incidentRules } from './project/incidents';
import { evaluationCommands, evaluationEvents, evaluationRules } from './project/evaluation';
import { documentCommands, documentEvents, documentRules } from './project/documents';
import { ProjectCommandType } from './project-commands';
import { ProjectEvent, ProjectEventType } from './project-events';
import { Role } from './roles';
import { RuleText, mapRecord, sortRecord } from './rule';
import { SHARED_RULES, decisionContext, requireRole, stampWith } from './shared';
import { Policy } from './policy';
import { CommandMetadata } from './project-commands';
import { Decided } from './project-events';
import { systemCommands, systemEvents, systemRules } from './system/system';
import { SystemCommandType, SystemEvent, SystemEventType } from './system/types';

export type { Family } from './definitions';
export { FAMILIES } from './definitions';

export type EventType = ProjectEventType | AnnualPlanEventType | SystemEventType | FrameworkEventType;
export type CommandType = ProjectCommandType | AnnualPlanCommandType | SystemCommandType | FrameworkCommandType;

/** The modules in lifecycle order, each with the refusals it defines (tests check no code repeats). */
export const DOMAIN_MODULES = {
  shared: SHARED_RULES,
  initiation: initiationRules,
  approval: approvalRules,
  construction: constructionRules,
  funds: fundsRules,
  acceptance: acceptanceRules,
  compliance: complianceRules,
  oversight: oversightRules,
  incidents: incidentRules,
  evaluation: evaluationRules,
  documents: documentRules,
  deadlines: deadlineRules,
  annualPlan: annualPlanRules,
  system: systemRules,
  framework: frameworkRules,
} as const;

/**
 * Every refusal the measures give, with a stable code and the article it comes from.
 * Codes are part of the public contract (docs/api.md problem+json `code`): never rename one.
 * A decision resting on another article raises the same code with a definition of its own in
 * the owning module (e.g. INVALID_AMOUNT of an adjustment, in funds.ts); this table holds the code's
 * primary definition.
 */
export const RULES = {
  ...SHARED_RULES,
  ...initiationRules,
  ...approvalRules,
  ...constructionRules,
  ...fundsRules,
  ...acceptanceRules,
  ...complianceRules,
  ...oversightRules,
  ...incidentRules,
  ...evaluationRules,
  ...documentRules,
  ...deadlineRules,
  ...annualPlanRules,
  ...systemRules,
  ...frameworkRules,
} satisfies Record<string, RuleText>;

export type RuleCode = keyof typeof RULES;

/** Every project command but registration: decided on a registered project. */
export const PROJECT_COMMANDS: ProjectCommandDefinitions<Exclude<ProjectCommandType, 'RegisterProject'>, RuleCode> = {
  ...approvalCommands,
  ...constructionCommands,
  ...fundsCommands,
  ...acceptanceCommands,
  ...complianceCommands,
  ...oversightCommands,
  ...incidentCommands,
  ...evaluationCommands,
  ...documentCommands,
  ...deadlineCommands,
};

const PROJECT_EVENTS: ProjectEventDefinitions<ProjectEventType> = {
  ...initiationEvents,
  ...approvalEvents,
  ...constructionEvents,
  ...fundsEvents,
  ...acceptanceEvents,
  ...complianceEvents,
  ...oversightEvents,
  ...incidentEvents,
  ...evaluationEvents,
  ...documentEvents,
  ...deadlineEvents,
};

type AnyEvent = ProjectEvent | AnnualPlanEvent | SystemEvent | FrameworkEvent;
/** Listed by family (docs/api.md order), then in lifecycle order within each. */
const EVENT_DEFINITIONS: Record<EventType, EventDefinition<AnyEvent>> = sortRecord(
  { ...PROJECT_EVENTS, ...annualPlanEvents, ...systemEvents, ...frameworkEvents },
  ({ family }) => FAMILIES.indexOf(family),
);

export interface EventInfo {
  label: string;
  family: Family;
  article?: string;
}

/** Chinese label, family and the article a decision of that type rests on. */
export const EVENT_CATALOGUE: Record<EventType, EventInfo> = mapRecord(
  EVENT_DEFINITIONS,
  ({ label, family, article }) => ({
    label,
    family,
    article,
  }),
);

export function isEventType(type: string): type is EventType {
  return Object.prototype.hasOwnProperty.call(EVENT_CATALOGUE, type);
}

function eventInfo(type: string): EventInfo | undefined {
  return isEventType(type) ? EVENT_CATALOGUE[type] : undefined;
}

export function eventFamily(type: string): Family | undefined {
  return eventInfo(type)?.family;
}

export function eventLabel(type: string): string | undefined {
  return eventInfo(type)?.label;
}

/** The article recorded on a decision: the event's, refined where its module says the facts add one. */
export function decisionArticle(event: AnyEvent): string | undefined {
  const definition = EVENT_DEFINITIONS[event.type];
  return definition.articleOf ? definition.articleOf(event) : definition.article;
}

export interface CommandInfo {
  roles: Role[];
  articles: string;
  /** POST route segment of docs/api.md */
  route: string;
  /** answers 201: the command opens a new stream */
  creates?: boolean;
  /** every refusal code the decision can raise (for the operation's documented errors) */
  refusals: readonly RuleCode[];
}

const COMMAND_DEFINITIONS: Record<CommandType, CommandDefinition<never, never, unknown, DecisionContext, RuleCode>> = {
  RegisterProject: RegisterProjectDefinition,
  ...PROJECT_COMMANDS,
  ...annualPlanCommands,
  ...systemCommands,
  ...frameworkCommands,
};

/** Who may issue what (docs/api.md commands table); decide enforces it, HTTP may pre-check. */
export const COMMAND_CATALOGUE: Record<CommandType, CommandInfo> = mapRecord(
  COMMAND_DEFINITIONS,
  // A module may name a shared code again where its own check raises it (e.g. INVALID_DATE of a
  // start date): listed once here.
  ({ roles, articles, route, creates, refusals }) => ({
    roles,
    articles,
    route,
    ...(creates ? { creates } : {}),
    refusals: [...new Set(refusals)],
  }),
);

/**
 * The project commands the state leaves something to do for (the dashboard offers these): the
 * status is one the command accepts and its `ready` condition, defined beside its decision, holds.
 * Role and department are the caller's to check (COMMAND_CATALOGUE roles); the deadline watcher's
 * commands are not listed. A decision may still refuse on its facts (an amount, a date, a basis).
 */
export function availableCommands(state: ProjectState): ProjectCommandType[] {
  if (state.status === null) return ['RegisterProject'];
  const registered = state;
  return (Object.keys(PROJECT_COMMANDS) as Array<keyof typeof PROJECT_COMMANDS>).filter((type) => {
    const definition: ProjectCommandDefinition<never, RuleCode> = PROJECT_COMMANDS[type];
    if (definition.roles.every((role) => role === 'SYSTEM')) return false;
    return definition.accepts.includes(registered.status) && (definition.ready?.(registered) ?? true);
  });
}

/**
 * A decision on a stream other than a project's (annual plan, existing system, framework): the
 * time is covered by the measures (第三十三条), the role may issue it (第三条), then the module's
 * own decision; each event is stamped with its article and the policy.
 */
export function decideByDefinition<C extends { type: CommandType; metadata: CommandMetadata }, S, E extends AnyEvent>(
  definition: CommandDefinition<C, S, E>,
  command: C,
  state: S,
  policies: readonly Policy[],
): Decided<E>[] {
  const ctx = decisionContext(command.metadata, policies);
  requireRole(command.type, COMMAND_CATALOGUE[command.type].roles, command.metadata.actor);
  return definition.decide(command, state, ctx).map((event) => stampWith(event, decisionArticle(event), ctx));
}
