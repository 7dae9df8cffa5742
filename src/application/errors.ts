/**
 * Errors the application raises below HTTP (command handling, queries, subscriptions, audit).
 * `src/http/problem.ts` turns them, and the domain's refusals, into problem+json answers.
 */

export interface InvalidField {
  field: string;
  /** English, one per failed constraint. */
  problems: string[];
  /** The failed constraints' stable codes (class-validator names), parallel to `problems`. */
  codes?: string[];
  /** Chinese wording, parallel to `problems`. */
  problemsZh?: string[];
}

/** Raised by the validation pipe and by query parsing: every invalid field is named. */
export class InvalidInput extends Error {
  constructor(readonly fields: InvalidField[]) {
    super(`invalid input: ${fields.map((f) => f.field).join(', ')}`);
    this.name = 'InvalidInput';
  }
}

/** A problem raised by the application layer itself (idempotency, unknown projection …). */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    detail: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'ProblemError';
  }
}
