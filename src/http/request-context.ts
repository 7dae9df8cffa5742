import { createParamDecorator, ExecutionContext, UnauthorizedException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { InvalidInput } from '../application/errors';
import type { RequestContext } from '../application/context';
import type { AuthenticatedRequest } from './auth';

const KEY_PATTERN = /^[A-Za-z0-9._:-]{1,200}$/;

/**
 * The request's id: the client's `x-correlation-id` when it is 1–200 characters of
 * A-Z a-z 0-9 . _ : -, else a fresh UUID. It becomes the log's request id, the echoed header and
 * the events' correlationId and causationId, which are kept for ever in the hash chain, so
 * nothing else (8 KB of markup, control characters) may get in (issue 11).
 */
/** Where app.ts's genReqId leaves the id on the raw request for the logger (pino-http). */
export const REQUEST_ID = Symbol('ordos.requestId');

export function requestIdOf(headers: Record<string, string | string[] | undefined>): string {
  const header = headers['x-correlation-id'];
  return typeof header === 'string' && KEY_PATTERN.test(header) ? header : randomUUID();
}

export const Ctx = createParamDecorator((_: unknown, context: ExecutionContext): RequestContext => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!request.actor) throw new UnauthorizedException('Authentication required');
  const header = request.headers['idempotency-key'];
  const idempotencyKey = Array.isArray(header) ? header[0] : header;
  if (idempotencyKey !== undefined && !KEY_PATTERN.test(idempotencyKey)) {
    throw new InvalidInput([
      { field: 'Idempotency-Key', problems: ['must be 1–200 characters of A-Z a-z 0-9 . _ : -'] },
    ]);
  }
  // request.id comes from requestIdOf (app.ts genReqId); checked again so no other id source can
  // put an unchecked value into the permanent chain.
  const requestId = typeof request.id === 'string' && KEY_PATTERN.test(request.id) ? request.id : randomUUID();
  return {
    actor: request.actor,
    correlationId: requestId,
    causationId: requestId,
    ...(idempotencyKey ? { idempotencyKey } : {}),
  };
});
