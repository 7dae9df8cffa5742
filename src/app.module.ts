import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { JwtModule } from '@nestjs/jwt';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { LoggerModule } from 'nestjs-pino';
import { createSecretKey } from 'node:crypto';
import { CommandDispatcher } from './commands/command-dispatcher';
import { ExecuteCommandHandler } from './commands/execute-command';
import { IdempotencyService } from './commands/idempotency.service';
import type { AppConfig } from './config';
import { AnnualPlanCommandsController } from './http/annual-plans.controller';
import { AuthGuard } from './http/auth';
import { FixedWindowThrottlerStorage } from './http/throttler-storage';
import { PlatformController } from './http/platform.controller';
import { ProjectRegistrations, ProjectVisibilityGuard } from './http/project-visibility';
import { ProblemFilter } from './http/problem';
import { REQUEST_ID, requestIdOf } from './http/request-context';
import { ProjectCommandsController } from './http/project-commands.controller';
import { QUERY_CONTROLLERS, QUERY_HANDLERS } from './queries';
import { CLOCK, systemClock, TestClock, type Clock } from './infrastructure/clock';
import { CommandMetrics, MetricsRegistry, ProjectionMetrics } from './infrastructure/metrics';
import { StoresModule } from './infrastructure/stores.module';
import { APP_CONFIG } from './infrastructure/tokens';
import { ProjectionService } from './projections/projection.service';
import { TestClockController } from './http/test-clock.controller';
import { SubscriptionsModule } from './subscriptions/subscriptions.module';
import { AuditController } from './audit/audit.controller';
import { SealScheduler } from './audit/seal.scheduler';
import { WebModule } from './web/web.module';

export interface AppModuleOptions {
  config: AppConfig;
  /** Tests inject their own clock; otherwise TEST_CLOCK=1 gives a settable one. */
  clock?: Clock;
}

@Module({})
export class AppModule {
  static forRoot({ config, clock }: AppModuleOptions): DynamicModule {
    const theClock = clock ?? (config.testClock ? new TestClock() : systemClock);
    return {
      module: AppModule,
      global: true,
      imports: [
        CqrsModule.forRoot(),
        TerminusModule,
        // A KeyObject, not the string: jsonwebtoken otherwise first tries (and fails) to parse the
        // secret as a PEM public key on every verification, which was a sixth of a command's CPU.
        JwtModule.register({ secret: createSecretKey(Buffer.from(config.jwtSecret)), verifyOptions: { algorithms: ['HS256'] } }),
        ThrottlerModule.forRoot({
          throttlers: [{ name: 'default', ttl: 60_000, limit: config.rateLimitPerMinute }],
          storage: new FixedWindowThrottlerStorage(),
        }),
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            // The id Fastify gave the request (app.ts), so the log line and the events agree.
            genReqId: (req) => (req as { [REQUEST_ID]?: string })[REQUEST_ID] ?? requestIdOf(req.headers),
            customProps: (req) => ({ correlationId: (req as { id?: unknown }).id }),
            // Tokens, cookies and idempotency keys never reach the logs.
            redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["idempotency-key"]'], censor: '[redacted]' },
            serializers: {
              req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url?.split('?')[0] }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
            // pino-http attaches a made-up Error (with a stack) to every access line of a 5xx
            // answer: a READ_MODEL_BEHIND poll would log a stack trace per request. The access
            // line keeps its status; the ProblemFilter logs the real error of an unexpected
            // failure once, with its stack (issue 11).
            customErrorObject: (_req, res, error, value) =>
              (res as { err?: unknown }).err === undefined && /^failed with status code \d+$/.test((error as Error)?.message ?? '')
                ? { ...value, err: undefined }
                : value,
            // Probes and scrapes are not worth a log line each.
            autoLogging: { ignore: (req) => /^\/(health|metrics)(\?|$)/.test((req as { originalUrl?: string }).originalUrl ?? req.url ?? '') },
          },
        }),
        StoresModule,
        SubscriptionsModule,
        WebModule,
      ],
      controllers: [
        PlatformController,
        ProjectCommandsController,
        AnnualPlanCommandsController,
        ...QUERY_CONTROLLERS,
        AuditController,
        ...(theClock instanceof TestClock ? [TestClockController] : []),
      ],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: CLOCK, useValue: theClock },
        { provide: APP_GUARD, useClass: ThrottlerGuard },
        { provide: APP_GUARD, useClass: AuthGuard },
        // After authentication, before pipes: another department's project is an unknown id.
        { provide: APP_GUARD, useClass: ProjectVisibilityGuard },
        ProjectRegistrations,
        { provide: APP_FILTER, useClass: ProblemFilter },
        MetricsRegistry,
        CommandMetrics,
        ProjectionMetrics,
        ProjectionService,
        SealScheduler,
        IdempotencyService,
        CommandDispatcher,
        ExecuteCommandHandler,
        ...QUERY_HANDLERS,
      ],
      exports: [APP_CONFIG, CLOCK, ProjectionService, ProjectRegistrations],
    };
  }
}
