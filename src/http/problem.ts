import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../domain';
import {
  AppendOutcomeUnknown,
  InvalidPosition,
  RevisionConflict,
  StoreCorrupt,
  StoreUnavailable,
} from '../event-store/event-store.port';
import { InvalidReadModelQuery } from '../read-model/filter';
import { InvalidInput, ProblemError } from '../application/errors';

/** application/problem+json (RFC 9457) with our stable `code` and, for rules, the article. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  article?: string;
  instance?: string;
  [extension: string]: unknown;
}

/** The status of each kind of domain refusal. */
export const DOMAIN_STATUS: Record<DomainError['kind'], number> = {
  INVALID_STATE: 409,
  RULE_VIOLATION: 422,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
};

/** The code and title of an HTTP refusal by its status (Nest's HttpExceptions, Fastify's own errors). */
export const HTTP_CODES: Record<number, [code: string, title: string]> = {
  400: ['BAD_REQUEST', 'Bad request'],
  401: ['UNAUTHENTICATED', 'Authentication required'],
  403: ['FORBIDDEN', 'Forbidden'],
  404: ['NOT_FOUND', 'Not found'],
  405: ['METHOD_NOT_ALLOWED', 'Method not allowed'],
  406: ['NOT_ACCEPTABLE', 'Not acceptable'],
  409: ['CONFLICT', 'Conflict'],
  413: ['PAYLOAD_TOO_LARGE', 'Payload too large'],
  414: ['URI_TOO_LONG', 'URI too long'],
  415: ['UNSUPPORTED_MEDIA_TYPE', 'Unsupported media type'],
  422: ['UNPROCESSABLE', 'Unprocessable request'],
  429: ['RATE_LIMITED', 'Too many requests'],
  503: ['UNAVAILABLE', 'Service unavailable'],
};

/** Turns anything thrown into a problem; never a stack trace or a driver message. */
export function toProblem(error: unknown, instance?: string): Problem {
  const base = (
    status: number,
    code: string,
    title: string,
    detail: string,
    extra: Record<string, unknown> = {},
  ): Problem => ({
    type: `https://ordos.example/problems/${code.toLowerCase().replace(/_/g, '-')}`,
    title,
    status,
    detail,
    code,
    ...(instance ? { instance } : {}),
    ...Object.fromEntries(Object.entries(extra).filter(([k]) => k === 'article' || !RESERVED.has(k))),
  });
  if (error instanceof InvalidInput) {
    return base(
      400,
      'VALIDATION_FAILED',
      'Invalid input',
      `Invalid fields: ${error.fields.map((f) => f.field).join(', ')}`,
      {
        errors: error.fields,
      },
    );
  }
  if (error instanceof DomainError) {
    return base(DOMAIN_STATUS[error.kind], error.code, error.messageEn, `${error.messageZh} (${error.messageEn})`, {
      ...(error.article ? { article: error.article } : {}),
      ...domainDetails(error.details),
    });
  }
  if (error instanceof InvalidReadModelQuery) {
    return base(400, 'INVALID_QUERY', 'Invalid query', 'The query uses a field or operator that is not supported.');
  }
  if (error instanceof RevisionConflict) {
    return base(
      409,
      'REVISION_CONFLICT',
      'Revision conflict',
      'The project changed since you read it; reload and try again.',
      {
        expectedRevision: error.expected,
        actualRevision: error.actual,
      },
    );
  }
  if (error instanceof StoreCorrupt) {
    // Not "try again later": a damaged file does not heal. No driver message goes out.
    return base(
      500,
      'STORE_CORRUPT',
      'Event store damaged',
      'The event store file is damaged; nothing was changed. Operators must restore it from a backup.',
    );
  }
  if (error instanceof InvalidPosition) {
    return base(400, 'INVALID_POSITION', 'Invalid position', 'The position is not one this event store issued.');
  }
  if (error instanceof AppendOutcomeUnknown) {
    // Sent, not confirmed: saying "nothing was changed" could be untrue.
    return base(
      503,
      'STORE_OUTCOME_UNKNOWN',
      'Outcome unknown',
      'The event store did not confirm the write: the command may have been stored. ' +
        'Retry with the same Idempotency-Key, or read the project before trying again.',
    );
  }
  if (error instanceof StoreUnavailable) {
    return base(
      503,
      'STORE_UNAVAILABLE',
      'Service unavailable',
      'A data store is unavailable; nothing was changed. Try again later.',
    );
  }
  if (error instanceof ProblemError) {
    return base(error.status, error.code, error.title, error.message, error.extensions);
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const [code, title] =
      HTTP_CODES[status] ?? (status >= 500 ? ['INTERNAL', 'Internal error'] : ['BAD_REQUEST', 'Bad request']);
    const response = error.getResponse();
    const message = typeof response === 'string' ? response : (response as { message?: unknown }).message;
    return base(status, code, title, status >= 500 ? 'Internal error' : typeof message === 'string' ? message : title);
  }
  const fastifyStatus = (error as { statusCode?: unknown })?.statusCode;
  if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
    // A Fastify error handed over as it is: the router's (frameworkErrors in app.ts: a malformed
    // URL, a path parameter over maxParamLength) and the body's (malformed JSON, too large, wrong
    // media type: the error handler app.ts sets).
    const [code, title] = HTTP_CODES[fastifyStatus] ?? ['BAD_REQUEST', 'Bad request'];
    const fastifyCode = (error as { code?: unknown }).code;
    const detail =
      fastifyCode === 'FST_ERR_BAD_URL'
        ? 'The URL is malformed.'
        : fastifyStatus === 400
          ? 'The request body is not valid JSON.'
          : title;
    return base(fastifyStatus, code, title, detail);
  }
  return base(500, 'INTERNAL', 'Internal error', 'An unexpected error occurred; it has been logged.');
}

const RESERVED = new Set(['type', 'title', 'status', 'detail', 'code', 'article', 'instance']);

/** Domain details join the problem as extensions; `status` (the project's) becomes currentStatus. */
function domainDetails(details: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(details ?? {})) {
    if (key === 'status') out.currentStatus = value;
    else if (!RESERVED.has(key)) out[key] = value;
  }
  return out;
}

export function sendProblem(reply: FastifyReply, problem: Problem): void {
  void reply.status(problem.status).header('content-type', 'application/problem+json; charset=utf-8').send(problem);
}

/**
 * Lets one log line per key through per window and counts the rest, which the next line that
 * gets through reports (`suppressed`).
 */
export class LogRateLimiter {
  private readonly windows = new Map<string, { until: number; suppressed: number }>();

  constructor(
    private readonly windowMs = 10_000,
    private readonly maxKeys = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /** null: stay silent; otherwise how many identical lines were suppressed since the last one. */
  admit(key: string): number | null {
    const now = this.now();
    const window = this.windows.get(key);
    if (window && window.until > now) {
      window.suppressed += 1;
      return null;
    }
    if (!window && this.windows.size >= this.maxKeys) {
      for (const [k, w] of this.windows) if (w.until <= now) this.windows.delete(k);
      if (this.windows.size >= this.maxKeys) this.windows.delete(this.windows.keys().next().value as string);
    }
    this.windows.set(key, { until: now + this.windowMs, suppressed: 0 });
    return window?.suppressed ?? 0;
  }
}

/**
 * Refusals the service meant to give (a ProblemError such as READ_MODEL_BEHIND or CONTENDED, a
 * store that is unavailable for now): not bugs, so no error and no stack trace.
 */
function isExpectedRefusal(error: unknown): boolean {
  return (
    error instanceof ProblemError ||
    error instanceof StoreUnavailable ||
    error instanceof DomainError ||
    error instanceof InvalidInput ||
    error instanceof RevisionConflict ||
    error instanceof InvalidPosition ||
    error instanceof InvalidReadModelQuery ||
    (error instanceof HttpException && error.getStatus() < 500)
  );
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problem');
  /** A client polling a lagging read model 6,000 times a minute must not write 6,000 lines. */
  private readonly limiter = new LogRateLimiter();

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const problem = toProblem(error, request?.url?.split('?')[0]);
    if (problem.status >= 500) this.log(error, problem);
    if (reply.sent) return;
    sendProblem(reply, problem);
  }

  private log(error: unknown, problem: Problem): void {
    const expected = isExpectedRefusal(error);
    const level = expected ? 'warn' : 'error';
    const message = expected ? problem.detail : String((error as Error)?.message);
    const suppressed = this.limiter.admit(`${level}:${problem.code}:${problem.status}:${message}`);
    if (suppressed === null) return;
    const context = { code: problem.code, status: problem.status, ...(suppressed > 0 ? { suppressed } : {}) };
    // Only an unexpected error (500 INTERNAL, a damaged store) is logged with its stack trace.
    if (expected) this.logger.warn(context, `request refused: ${problem.code}`);
    else this.logger.error({ err: error, ...context }, 'request failed');
  }
}
