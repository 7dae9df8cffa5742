import { createParamDecorator, ExecutionContext, UnauthorizedException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../domain';
import { InvalidInput } from './problem';
import type { AuthenticatedRequest } from './auth';

export interface RequestContext {
  actor: Actor;
  /** Ties together everything one user action caused (x-correlation-id, else this request). */
  correlationId: string;
  /** The request that caused the events: this request's id. */
  causationId: string;
  idempotencyKey?: string;
}

const KEY_PATTERN = /^[A-Za-z0-9._:-]{1,200}$/;

export const Ctx = createParamDecorator((_: unknown, context: ExecutionContext): RequestContext => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!request.actor) throw new UnauthorizedException('Authentication required');
  const header = request.headers['idempotency-key'];
  const idempotencyKey = Array.isArray(header) ? header[0] : header;
  if (idempotencyKey !== undefined && !KEY_PATTERN.test(idempotencyKey)) {
    throw new InvalidInput([{ field: 'Idempotency-Key', problems: ['must be 1–200 characters of A-Z a-z 0-9 . _ : -'] }]);
  }
  const requestId = typeof request.id === 'string' ? request.id : randomUUID();
  const correlation = request.headers['x-correlation-id'];
  return {
    actor: request.actor,
    correlationId: typeof correlation === 'string' && KEY_PATTERN.test(correlation) ? correlation : requestId,
    causationId: requestId,
    ...(idempotencyKey ? { idempotencyKey } : {}),
  };
});
