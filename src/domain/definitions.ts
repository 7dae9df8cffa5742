import { IsoDate } from './calendar';
import { Policy } from './policy';
import { Actor, Role } from './roles';

/** docs/api.md event families, for history, filters and subscribers. */
export type Family = '立项' | '批复' | '建设' | '调整备案' | '验收' | '整改';
export const FAMILIES: readonly Family[] = ['立项', '批复', '建设', '调整备案', '验收', '整改'];

/** What every decision gets besides command and state; all derived from the command. */
export interface DecisionContext {
  policy: Policy;
  lapsed: boolean;
  /** Ordos civil date of the command's instant */
  today: IsoDate;
  actor: Actor;
}

/**
 * An event as its owning module defines it: the Chinese label, the family, the article a
 * decision of that type rests on, and where the facts add one, the refined article.
 */
export interface EventDefinition<E> {
  label: string;
  family: Family;
  article: string;
  /** Method syntax on purpose: a definition for one event stands in a table of all. */
  articleOf?(event: E): string;
}

/**
 * A command as its owning module defines it: who may issue it (第三条), the articles, every
 * refusal code its decision can raise (the HTTP layer documents them), and the decision.
 * `Code` is the refusal codes the owning module may name (its own, the shared ones, those it borrows): modules
 * never import catalogue.ts, which derives from them and checks every definition against RuleCode.
 */
export interface CommandDefinition<C, S, E, X extends DecisionContext = DecisionContext, Code extends string = string> {
  roles: Role[];
  articles: string;
  /** POST route segment of docs/api.md */
  route: string;
  /** answers 201: the command opens a new stream */
  creates?: boolean;
  refusals: readonly Code[];
  decide(command: C, state: S, ctx: X): E[];
}
