import {
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  Injectable,
  SetMetadata,
  UnauthorizedException,
  ForbiddenException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import type { FastifyRequest } from 'fastify';
import { ROLES as DOMAIN_ROLES, type Actor, type Role } from '../domain';

/** Roles a token may carry: every role of the domain but SYSTEM, which only the clock acts as. */
export const HUMAN_ROLES: readonly Role[] = DOMAIN_ROLES.filter((role) => role !== 'SYSTEM');

const PUBLIC = 'auth:public';
const ROLES = 'auth:roles';

/** The route needs no token (health, docs, metrics). */
export const Public = () => SetMetadata(PUBLIC, true);
/** Only these roles may call the route (403 otherwise). Without it, any signed-in role may. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);

export interface AuthenticatedRequest extends FastifyRequest {
  actor?: Actor;
}

/** The signed-in actor, from the verified token. */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!request.actor) throw new UnauthorizedException('Authentication required');
  return request.actor;
});

/**
 * Verifies `Authorization: Bearer <JWT>` (HS256 only: `alg: none` and other algorithms are
 * refused by the library) and checks the claims of API.md. 401 when there is no valid token,
 * 403 when the role may not use the route.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly jwt: JwtService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    request.actor = await this.authenticate(request.headers.authorization);
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (roles && !roles.includes(request.actor.role)) {
      throw new ForbiddenException(`This action needs one of the roles ${roles.join(', ')}`);
    }
    return true;
  }

  private async authenticate(header: string | undefined): Promise<Actor> {
    const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/.exec(header ?? '');
    if (!match) throw new UnauthorizedException('A bearer token is required');
    let claims: Record<string, unknown>;
    try {
      claims = await this.jwt.verifyAsync<Record<string, unknown>>(match[1], { algorithms: ['HS256'] });
    } catch {
      throw new UnauthorizedException('The token is invalid or expired');
    }
    const { sub, name, role, department } = claims;
    if (typeof sub !== 'string' || sub === '' || !HUMAN_ROLES.includes(role as Role)) {
      throw new UnauthorizedException('The token lacks a valid sub or role claim');
    }
    if (role === 'CONSTRUCTION_UNIT' && (typeof department !== 'string' || department === '')) {
      throw new UnauthorizedException('A construction unit token needs a department claim');
    }
    return {
      sub,
      name: typeof name === 'string' && name !== '' ? name : sub,
      role: role as Role,
      ...(typeof department === 'string' && department !== '' ? { department } : {}),
    };
  }
}
