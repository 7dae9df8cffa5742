export type DomainErrorKind = 'INVALID_STATE' | 'RULE_VIOLATION' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT';

export interface DomainErrorInit {
  code: string;
  kind: DomainErrorKind;
  article?: string;
  messageZh: string;
  messageEn: string;
  details?: Record<string, unknown>;
}

/**
 * The one error the domain throws. The HTTP layer maps `kind` to a status (FORBIDDEN 403,
 * NOT_FOUND 404, CONFLICT/INVALID_STATE 409, RULE_VIOLATION 422) and shows `code` and
 * `article`; the domain never knows about HTTP.
 */
export class DomainError extends Error {
  readonly code: string;
  readonly kind: DomainErrorKind;
  readonly article?: string;
  readonly messageZh: string;
  readonly messageEn: string;
  readonly details?: Record<string, unknown>;

  constructor(init: DomainErrorInit) {
    super(`${init.code}${init.article ? ` (${init.article})` : ''}: ${init.messageEn}`);
    this.name = 'DomainError';
    this.code = init.code;
    this.kind = init.kind;
    this.article = init.article;
    this.messageZh = init.messageZh;
    this.messageEn = init.messageEn;
    if (init.details !== undefined) this.details = init.details;
  }
}
