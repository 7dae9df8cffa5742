import fastifyStatic from '@fastify/static';
import {
  Controller,
  Get,
  Inject,
  Injectable,
  Module,
  NotFoundException,
  Req,
  Res,
  type OnModuleInit,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { JwtModule, JwtService } from '@nestjs/jwt';
import { ApiExcludeController, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { existsSync } from 'node:fs';
import type { AppConfig } from '../infrastructure/config';
import { COMMAND_CATALOGUE, EVENT_CATALOGUE, NoPolicyInForceError, POLICIES, policyAt, type Role } from '../domain';
import { Public } from '../http/auth';
import { CLOCK, TestClock, type Clock } from '../infrastructure/clock';
import { APP_CONFIG } from '../infrastructure/tokens';
import { DEMO_DEPARTMENTS } from './departments';
import { indexHtml, NOT_BUILT_HTML, WEB_ROOT } from './web-assets';

/**
 * Development identities are offered only when NODE_ENV=development with the published
 * development secret (a deployment that set its own JWT_SECRET but forgot NODE_ENV must not hand
 * out tokens), or in tests that ask for them explicitly (NODE_ENV=test and DEV_IDENTITIES=1).
 */
export function devIdentitiesEnabled(config: AppConfig, env: NodeJS.ProcessEnv = process.env): boolean {
  return (
    (config.nodeEnv === 'development' && config.usingDevelopmentSecret) ||
    (config.nodeEnv === 'test' && env.DEV_IDENTITIES === '1')
  );
}

/** 127.0.0.0/8 and ::1, also written as IPv4-mapped IPv6. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.toLowerCase().replace(/^::ffff:/, '');
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4) || address === '::1';
}

/**
 * Development identities are handed to loopback clients only: an explicit HOST may put a
 * development service on the network, but not its ready-signed OFFICE and AUDIT tokens, unless
 * DEV_IDENTITIES_REMOTE=1 asks for exactly that (issue 11). No proxy is trusted: this is the
 * socket's peer.
 */
export function devIdentitiesOffered(
  config: AppConfig,
  request: FastifyRequest,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  return (
    devIdentitiesEnabled(config, env) &&
    (config.devIdentitiesRemote || isLoopbackAddress(request.socket?.remoteAddress ?? request.ip))
  );
}

/** Client routes of the SPA; each answers index.html. API routes are never shadowed. */
export const CLIENT_ROUTES = ['/', '/project/:id', '/live', '/todo'];

@ApiExcludeController()
@Controller()
export class WebPagesController {
  @Public()
  @Get(CLIENT_ROUTES)
  page(@Res() reply: FastifyReply): void {
    const html = indexHtml();
    void reply
      .header('cache-control', 'no-cache')
      .type('text/html; charset=utf-8')
      .code(html ? 200 : 503)
      .send(html ?? NOT_BUILT_HTML);
  }
}

/**
 * 第三十三条 (有效期5年): the policy new decisions are taken under at `now`, and whether it has
 * lapsed — decided under the last policy but flagged, as every decision event records it.
 * `null` before the first policy (commands are refused then: NO_POLICY_IN_FORCE).
 */
function policyInfo(now: string) {
  try {
    const { policy, lapsed } = policyAt(now, POLICIES);
    const { id, effectiveFrom, effectiveUntil } = policy;
    return { id, effectiveFrom, effectiveUntil, lapsed };
  } catch (error) {
    if (error instanceof NoPolicyInForceError) return null;
    throw error;
  }
}

interface DevIdentity {
  key: string;
  role: Role;
  name: string;
  department?: string;
  departmentName?: string;
  token: string;
}

const PEOPLE: Array<{ role: Role; name: string }> = [
  { role: 'OFFICE', name: '王主任（领导小组办公室）' },
  { role: 'LEADING_GROUP', name: '李组长（领导小组）' },
  { role: 'FINANCE', name: '赵科长（市财政局）' },
  { role: 'AUDIT', name: '钱审计（市审计局）' },
  { role: 'SUPERVISOR', name: '孙处长（网信办）' },
  { role: 'GOVERNMENT', name: '周秘书长（市人民政府）' },
];

@ApiTags('web')
@Controller()
export class WebMetaController {
  constructor(
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Public()
  @Get('meta/info')
  @ApiOperation({
    summary:
      'Dashboard bootstrap: whether development identities exist, the test clock, department names, ' +
      'and the policy in force now with whether it has lapsed (第三十三条)',
  })
  info(@Req() request: FastifyRequest) {
    const now = this.clock.now().toISOString();
    return {
      devIdentities: devIdentitiesOffered(this.config, request),
      testClock: this.clock instanceof TestClock,
      now,
      departments: DEMO_DEPARTMENTS,
      policy: policyInfo(now),
    };
  }

  @Public()
  @Get('meta/commands')
  @ApiOperation({
    summary: 'Read-only command catalogue: who may issue which command, with its articles (docs/api.md)',
  })
  commands() {
    const commands = Object.entries(COMMAND_CATALOGUE)
      .filter(([, info]) => !info.roles.includes('SYSTEM' as Role))
      .map(([type, info]) => ({ type, ...info }));
    const events = Object.entries(EVENT_CATALOGUE).map(([type, info]) => ({ type, ...info }));
    return { commands, events };
  }

  @Public()
  @Get('dev/identities')
  @ApiOperation({
    summary:
      'Development only (NODE_ENV=development, loopback clients unless DEV_IDENTITIES_REMOTE=1): ' +
      'ready-signed tokens for each role',
  })
  identities(@Req() request: FastifyRequest): { identities: DevIdentity[] } {
    if (!devIdentitiesOffered(this.config, request)) {
      throw new NotFoundException('Development identities exist only when NODE_ENV=development, for loopback clients');
    }
    // As long as the service accepts (TOKEN_MAX_LIFETIME_SECONDS), never without exp.
    const sign = (claims: Record<string, unknown>) =>
      this.jwt.sign(claims, { expiresIn: this.config.tokenMaxLifetimeSeconds });
    const identities: DevIdentity[] = PEOPLE.map(({ role, name }) => ({
      key: role,
      role,
      name,
      token: sign({ sub: `dev-${role.toLowerCase()}`, name, role }),
    }));
    for (const d of DEMO_DEPARTMENTS) {
      const name = `${d.name}项目负责人`;
      identities.push({
        key: `CONSTRUCTION_UNIT:${d.code}`,
        role: 'CONSTRUCTION_UNIT',
        name,
        department: d.code,
        departmentName: d.name,
        token: sign({ sub: `dev-unit-${d.code.toLowerCase()}`, name, role: 'CONSTRUCTION_UNIT', department: d.code }),
      });
    }
    return { identities };
  }
}

/**
 * Serves the built assets of dist-web with @fastify/static: one route per file found at start
 * (no wildcard, so unknown paths keep the API's problem+json 404). Hashed files under /assets
 * are cached for a year; everything else is revalidated.
 */
@Injectable()
export class WebAssets implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  async onModuleInit(): Promise<void> {
    if (!existsSync(WEB_ROOT)) return;
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    await fastify.register(fastifyStatic, {
      root: WEB_ROOT,
      prefix: '/',
      wildcard: false,
      index: false,
      decorateReply: false,
      globIgnore: ['index.html'],
      setHeaders: (reply, path) => {
        reply.header(
          'cache-control',
          /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  }
}

@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ secret: config.jwtSecret, signOptions: { algorithm: 'HS256' } }),
    }),
  ],
  controllers: [WebPagesController, WebMetaController],
  providers: [WebAssets],
})
export class WebModule {}
