import {
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  Inject,
  Injectable,
  SetMetadata,
  UnauthorizedException,
  ForbiddenException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import type { FastifyRequest } from 'fastify';
import type { AppConfig } from '../infrastructure/config';
import { ROLES as DOMAIN_ROLES, type Actor, type Role } from '../domain';
import { APP_CONFIG } from '../infrastructure/tokens';

/** Roles a token may carry: every role of the domain but SYSTEM, which only the clock acts as. */
export const HUMAN_ROLES: readonly Role[] = DOMAIN_ROLES.filter((role) => role !== 'SYSTEM');

const PUBLIC = 'auth:public';
const ROLES = 'auth:roles';

/** The route needs no token (health, docs, metrics). */
export const Public = () => SetMetadata(PUBLIC, true);
/** Only these roles may call the route (403 otherwise). Without it, any signed-in role may. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);

/** What the AuthGuard reads on a route (the handler's metadata over its class's), for the OpenAPI document. */
export function routeAccess(handler: object, controller: object): { public: boolean; roles?: readonly Role[] } {
  const read = <T>(key: string): T | undefined =>
    (Reflect.getMetadata(key, handler) as T | undefined) ?? (Reflect.getMetadata(key, controller) as T | undefined);
  const roles = read<Role[]>(ROLES);
  return { public: read<boolean>(PUBLIC) === true, ...(roles ? { roles } : {}) };
}

export interface AuthenticatedRequest extends FastifyRequest {
  actor?: Actor;
}

/** The signed-in actor, from the verified token. */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!request.actor) throw new UnauthorizedException('Authentication required');
  return request.actor;
});

export interface TokenPolicy {
  /** Longest accepted lifetime: exp − iat, or exp − now when the token has no iat. */
  maxLifetimeSeconds: number;
  /** Clock skew tolerated on iat, nbf and exp. */
  clockSkewSeconds: number;
}

export const tokenPolicyOf = (
  config: Pick<AppConfig, 'tokenMaxLifetimeSeconds' | 'tokenClockSkewSeconds'>,
): TokenPolicy => ({
  maxLifetimeSeconds: config.tokenMaxLifetimeSeconds,
  clockSkewSeconds: config.tokenClockSkewSeconds,
});

/**
 * Verifies `Authorization: Bearer <JWT>` and checks the claims of docs/api.md; throws 401 otherwise.
 * HS256 only (`alg: none` and other algorithms are refused by the library). A token must expire
 * (`exp`), within `maxLifetimeSeconds` of its issue (a leaked token is not valid for ever), and
 * must not claim to be issued in the future; only `clockSkewSeconds` of skew are forgiven.
 * The one verification both the AuthGuard and the pre-body check of app.ts use.
 */
export async function authenticateBearer(
  jwt: JwtService,
  header: string | undefined,
  policy: TokenPolicy,
): Promise<Actor> {
  const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/.exec(header ?? '');
  if (!match) throw new UnauthorizedException('A bearer token is required');
  let claims: Record<string, unknown>;
  try {
    claims = await jwt.verifyAsync<Record<string, unknown>>(match[1], {
      algorithms: ['HS256'],
      clockTolerance: policy.clockSkewSeconds,
    });
  } catch {
    throw new UnauthorizedException('The token is invalid or expired');
  }
  const now = Math.floor(Date.now() / 1000);
  const { exp, iat } = claims;
  if (typeof exp !== 'number' || !Number.isFinite(exp))
    throw new UnauthorizedException('The token must carry an exp (expiry) claim');
  if (iat !== undefined && (typeof iat !== 'number' || !Number.isFinite(iat) || iat > now + policy.clockSkewSeconds)) {
    throw new UnauthorizedException('The token is issued in the future');
  }
  const issued = typeof iat === 'number' ? iat : now;
  if (exp - issued > policy.maxLifetimeSeconds) {
    throw new UnauthorizedException(`The token lives longer than the ${policy.maxLifetimeSeconds} s allowed`);
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

/**
 * 401 when there is no valid token (authenticateBearer), 403 when the role may not use the route.
 * A request with a body was already authenticated before its body was read (app.ts); that actor
 * is reused.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly policy: TokenPolicy;

  constructor(
    private readonly jwt: JwtService,
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.policy = tokenPolicyOf(config);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    request.actor ??= await authenticateBearer(this.jwt, request.headers.authorization, this.policy);
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (roles && !roles.includes(request.actor.role)) {
      throw new ForbiddenException(`This action needs one of the roles ${roles.join(', ')}`);
    }
    return true;
  }
}
