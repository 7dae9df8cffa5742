/**
 * The refusal API: `refuse(code)` raises a code's primary definition (RULES, merged from the
 * modules in catalogue.ts); modules raise their own definitions with `refusal(rule)`.
 */
import { RULES, RuleCode } from './catalogue';
import { DomainError } from './errors';
import { RuleDefinition, refusal } from './rule';

export { RULES } from './catalogue';
export type { RuleCode } from './catalogue';
export { invalidState } from './rule';

export function refuse(rule: RuleCode | RuleDefinition, details?: Record<string, unknown>): DomainError {
  return refusal(typeof rule === 'string' ? RULES[rule] : rule, details);
}
