import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { JwtModule } from '@nestjs/jwt';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { LoggerModule } from 'nestjs-pino';
import { createSecretKey } from 'node:crypto';
import { ALL_PROJECTIONS } from './all-projections';
import { AnnualPlansModule } from './annual-plans/annual-plans.module';
import { ApplicationModule } from './application/application.module';
import { AuditModule } from './audit/audit.module';
import { CommandsModule } from './commands/commands.module';
import { DocumentsModule } from './documents/documents.module';
import { FrameworksModule } from './frameworks/frameworks.module';
import { AuthGuard } from './http/auth';
import { ProblemFilter } from './http/problem';
import { ProjectVisibilityGuard } from './http/project-visibility';
import { REQUEST_ID, requestIdOf } from './http/request-context';
import { FixedWindowThrottlerStorage } from './http/throttler-storage';
import { TestClock, type Clock } from './infrastructure/clock';
import type { AppConfig } from './infrastructure/config';
import { clockFor, CoreModule } from './infrastructure/core.module';
import { StoresModule } from './infrastructure/stores.module';
import { OperationsModule } from './operations/operations.module';
import { ProjectionsModule } from './projections/projections.module';
import { ProjectsModule } from './projects/projects.module';
import { SubscriptionsModule } from './subscriptions/subscriptions.module';
import { SystemsModule } from './systems/systems.module';
import { WebModule } from './web/web.module';

export interface AppModuleOptions {
  config: AppConfig;
  /** Tests inject their own clock; otherwise TEST_CLOCK=1 gives a settable one. */
  clock?: Clock;
}

@Module({})
export class AppModule {
  static forRoot({ config, clock }: AppModuleOptions): DynamicModule {
    const theClock = clockFor(config, clock);
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(config, theClock),
        CqrsModule.forRoot(),
        // A KeyObject, not the string: jsonwebtoken otherwise first tries (and fails) to parse the
        // secret as a PEM public key on every verification, which was a sixth of a command's CPU.
        JwtModule.register({
          secret: createSecretKey(Buffer.from(config.jwtSecret)),
          verifyOptions: { algorithms: ['HS256'] },
        }),
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
            redact: {
              paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["idempotency-key"]'],
              censor: '[redacted]',
            },
            serializers: {
              req: (req: { id: unknown; method: string; url: string }) => ({
                id: req.id,
                method: req.method,
                url: req.url?.split('?')[0],
              }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
            // pino-http attaches a made-up Error (with a stack) to every access line of a 5xx
            // answer: a READ_MODEL_BEHIND poll would log a stack trace per request. The access
            // line keeps its status; the ProblemFilter logs the real error of an unexpected
            // failure once, with its stack (issue 11).
            customErrorObject: (_req, res, error, value) =>
              (res as { err?: unknown }).err === undefined &&
              /^failed with status code \d+$/.test((error as Error)?.message ?? '')
                ? { ...value, err: undefined }
                : value,
            // Probes and scrapes are not worth a log line each.
            autoLogging: {
              ignore: (req) =>
                /^\/(health|metrics)(\?|$)/.test((req as { originalUrl?: string }).originalUrl ?? req.url ?? ''),
            },
          },
        }),
        StoresModule,
        ApplicationModule,
        CommandsModule,
        ProjectionsModule.forRoot(ALL_PROJECTIONS),
        ProjectsModule,
        AnnualPlansModule,
        SystemsModule,
        FrameworksModule,
        DocumentsModule,
        AuditModule,
        SubscriptionsModule,
        OperationsModule.forRoot({ testClock: theClock instanceof TestClock }),
        WebModule,
      ],
      providers: [
        { provide: APP_GUARD, useClass: ThrottlerGuard },
        { provide: APP_GUARD, useClass: AuthGuard },
        // After authentication, before pipes: another department's project is an unknown id.
        { provide: APP_GUARD, useClass: ProjectVisibilityGuard },
        { provide: APP_FILTER, useClass: ProblemFilter },
      ],
    };
  }
}
