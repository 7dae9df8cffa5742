/**
 * Refusals and checks every decision shares: the measures in force (第三十三条), who may act
 * (第三条), whether the project exists (第九条), and well-formed amounts and dates.
 */
import { IsoDate, isAfter, isInstant, isIsoDate, localDateOf } from './calendar';
import { isFen } from './money';
import { CommandMetadata } from './project-commands';
import { Decided } from './project-events';
import { DecisionContext } from './definitions';
import { NoPolicyInForceError, Policy, PolicyInForce, policyAt } from './policy';
import { Actor, Role } from './roles';
import { RuleDefinition, citing, defineRules, refusal } from './rule';

export const SHARED_RULES = defineRules({
  ROLE_NOT_ALLOWED: {
    kind: 'FORBIDDEN',
    article: '第三条',
    zh: '该角色无权执行此操作',
    en: 'this role may not issue this command',
  },
  OTHER_DEPARTMENT: {
    kind: 'FORBIDDEN',
    article: '第三条',
    zh: '项目建设单位只能办理本部门的项目',
    en: 'a construction unit acts on its own department’s projects only',
  },
  PROJECT_NOT_FOUND: {
    kind: 'NOT_FOUND',
    article: '第九条',
    zh: '项目不在项目总目录中',
    en: 'project is not registered',
  },
  NO_POLICY_IN_FORCE: {
    kind: 'RULE_VIOLATION',
    article: '第三十三条',
    zh: '该时间点本办法尚未施行',
    en: 'the measures were not in force at that time',
  },
  /**
   * Raised with the articles of the command refused (COMMAND_CATALOGUE[type].articles) and a
   * message naming the status; this entry documents the code.
   */
  INVALID_STATE: {
    kind: 'INVALID_STATE',
    article: '所办命令的条款',
    zh: '项目当前状态不允许此操作',
    en: 'the command does not fit the current status',
  },
  INVALID_AMOUNT: {
    kind: 'RULE_VIOLATION',
    article: '第五条',
    zh: '金额必须为以分计的整数',
    en: 'amounts are integer fen within range',
  },
  INVALID_DATE: { kind: 'RULE_VIOLATION', article: '第二十一条', zh: '日期无效', en: 'invalid date' },
  /**
   * A date stated as a fact (construction started, completed) cannot lie after today, the Ordos
   * date of the command's instant; raised with the article of the stage the fact belongs to
   * (one definition per article, in the module that owns the decision: 第八条 the start,
   * 第二十一条 the completion, in construction.ts); this entry documents the code.
   */
  DATE_IN_FUTURE: {
    kind: 'RULE_VIOLATION',
    article: '第八条',
    zh: '作为事实陈述的日期不得晚于今天',
    en: 'a date stated as a fact cannot be after today',
  },
});

/** The codes every module may name besides its own. */
export type SharedRuleCode = keyof typeof SHARED_RULES;

/** The command's own instant is not a time: no policy can be chosen (第三十三条). */
const COMMAND_TIME_INVALID: RuleDefinition<'INVALID_DATE'> = {
  ...citing(SHARED_RULES.INVALID_DATE, '第三十三条'),
  zh: '命令时间无效',
  en: 'metadata.now is not an ISO instant',
};

/** What any command may meet before its own rules: time, role (decideProject's order). */
export const BEFORE_ANY_DECISION = [
  'INVALID_DATE',
  'NO_POLICY_IN_FORCE',
  'ROLE_NOT_ALLOWED',
] as const satisfies readonly SharedRuleCode[];
/** …and for a command on an existing project: existence (第九条) and department (第三条). */
export const ON_A_PROJECT = [
  ...BEFORE_ANY_DECISION,
  'PROJECT_NOT_FOUND',
  'OTHER_DEPARTMENT',
] as const satisfies readonly SharedRuleCode[];

/** The policy of the command's instant; refusal before the measures existed (第三十三条). */
export function decisionContext(metadata: CommandMetadata, policies: readonly Policy[]): DecisionContext {
  if (!isInstant(metadata.now)) throw refusal(COMMAND_TIME_INVALID);
  let inForce: PolicyInForce;
  try {
    inForce = policyAt(metadata.now, policies);
  } catch (error) {
    if (error instanceof NoPolicyInForceError) throw refusal(SHARED_RULES.NO_POLICY_IN_FORCE, { date: error.date });
    throw error;
  }
  return { policy: inForce.policy, lapsed: inForce.lapsed, today: localDateOf(metadata.now), actor: metadata.actor };
}

export function requireRole(type: string, roles: readonly Role[], actor: Actor): void {
  if (!roles.includes(actor.role)) {
    throw refusal(SHARED_RULES.ROLE_NOT_ALLOWED, { role: actor.role, command: type, allowed: roles });
  }
}

/** Envelope facts: the article and the policy (and its lapse) the decision rests on. */
export function stampWith<E extends object>(event: E, article: string | undefined, ctx: DecisionContext): Decided<E> {
  return {
    ...event,
    ...(article ? { article } : {}),
    policy: ctx.policy.id,
    ...(ctx.lapsed ? { policyLapsed: true } : {}),
  };
}

/** Integer fen (第五条 and the article of the amount, given by the rule). */
export function requireFen(
  value: unknown,
  field: string,
  rule: RuleDefinition<'INVALID_AMOUNT'>,
  options: { positive?: boolean } = {},
): number {
  if (!isFen(value) || value < 0 || (options.positive && value === 0)) throw refusal(rule, { field, value });
  return value;
}

export function requireDate(value: unknown, field: string, rule: RuleDefinition<'INVALID_DATE'>): IsoDate {
  if (!isIsoDate(value)) throw refusal(rule, { field, value });
  return value;
}

/** A date stated as having happened: a valid date, not after today (Ordos time). */
export function requirePastDate(
  value: unknown,
  field: string,
  rules: { invalid: RuleDefinition<'INVALID_DATE'>; future: RuleDefinition<'DATE_IN_FUTURE'> },
  ctx: DecisionContext,
): IsoDate {
  const date = requireDate(value, field, rules.invalid);
  if (isAfter(date, ctx.today)) throw refusal(rules.future, { field, value: date, today: ctx.today });
  return date;
}

export function recordedBy(actor: Actor) {
  return actor.department === undefined
    ? { sub: actor.sub, name: actor.name, role: actor.role }
    : { sub: actor.sub, name: actor.name, role: actor.role, department: actor.department };
}
