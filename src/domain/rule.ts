import { DomainError, DomainErrorKind } from './errors';

/** What the measures say when they refuse: kind, the article, and the text in both languages. */
export interface RuleText {
  kind: DomainErrorKind;
  article: string;
  zh: string;
  en: string;
}

/** A refusal with its stable code (docs/api.md problem+json `code`): never rename one. */
export interface RuleDefinition<Code extends string = string> extends RuleText {
  code: Code;
}

type Defined<T extends Record<string, RuleText>> = { readonly [K in keyof T & string]: RuleDefinition<K> & T[K] };

/** Gives each rule of a module its key as code, so a code is written once. */
export function defineRules<const T extends Record<string, RuleText>>(rules: T): Defined<T> {
  const defined: Record<string, RuleDefinition> = {};
  for (const [code, text] of Object.entries(rules)) defined[code] = { code, ...text };
  return defined as Defined<T>;
}

/**
 * The same refusal resting on another article (e.g. INVALID_AMOUNT of an adjustment cites its
 * own article): a definition of its own, in the module whose decision raises it.
 */
export function citing<Code extends string>(rule: RuleDefinition<Code>, article: string): RuleDefinition<Code> {
  return { ...rule, article };
}

export function refusal(rule: RuleDefinition, details?: Record<string, unknown>): DomainError {
  return new DomainError({
    code: rule.code,
    kind: rule.kind,
    article: rule.article,
    messageZh: rule.zh,
    messageEn: rule.en,
    details,
  });
}

/** The command does not fit the status (docs/api.md 409 INVALID_STATE, with the current status). */
export function invalidState(
  command: string,
  status: string | null,
  article: string,
  extra?: Record<string, unknown>,
): DomainError {
  return new DomainError({
    code: 'INVALID_STATE',
    kind: 'INVALID_STATE',
    article,
    messageZh: `项目当前状态（${status}）不允许此操作`,
    messageEn: `${command} does not fit the current status ${status}`,
    details: { status, command, ...extra },
  });
}

/** Builds a record with the same keys, one value per key; the one place keys are re-typed. */
export function mapRecord<K extends string, A, B>(record: Record<K, A>, f: (value: A, key: K) => B): Record<K, B> {
  const out: Partial<Record<K, B>> = {};
  for (const key of Object.keys(record) as K[]) out[key] = f(record[key], key);
  return out as Record<K, B>;
}

/** The same record with its keys in a stable order by `rank` (for catalogues listed in the API). */
export function sortRecord<K extends string, A>(record: Record<K, A>, rank: (value: A) => number): Record<K, A> {
  const keys = (Object.keys(record) as K[]).map((key, i) => ({ key, i, r: rank(record[key]) }));
  keys.sort((a, b) => a.r - b.r || a.i - b.i);
  const out: Partial<Record<K, A>> = {};
  for (const { key } of keys) out[key] = record[key];
  return out as Record<K, A>;
}
