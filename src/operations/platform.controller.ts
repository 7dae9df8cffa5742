import { Controller, Get, Header, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, type HealthCheckResult } from '@nestjs/terminus';
import { EVENT_STORE, StoreCorrupt, type EventStore } from '../event-store/event-store.port';
import { MetricsRegistry } from '../infrastructure/metrics';
import { ProjectionService } from '../projections/projection.service';
import { READ_MODEL_STORE, type ReadModelStore } from '../read-model/read-model.port';
import { Public } from '../http/auth';
import { ProblemError } from '../application/errors';

const PING_TIMEOUT_MS = 2000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * What /health says about a failed store: a damaged file is told apart from a passing outage,
 * since only a restore from backup repairs it. No driver message goes out.
 */
function storeProblem(error: unknown): 'corrupt' | 'unavailable' {
  return error instanceof StoreCorrupt ? 'corrupt' : 'unavailable';
}

@ApiTags('platform')
@Controller()
export class PlatformController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    private readonly projections: ProjectionService,
    private readonly metrics: MetricsRegistry,
  ) {}

  /** 200 when every store answers and projections are running; 503 otherwise. */
  @Public()
  @Get('health')
  @HealthCheck()
  async check() {
    try {
      return await this.runChecks();
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      // The 503 keeps saying which part is down and why ('corrupt' or 'unavailable'): an
      // operator must tell a damaged event store (restore from backup) from a passing outage.
      const result = error.getResponse() as HealthCheckResult;
      const corrupt = Object.values(result.error ?? {}).some((e) => (e as { message?: unknown }).message === 'corrupt');
      throw new ProblemError(
        503,
        'UNHEALTHY',
        'Service unavailable',
        corrupt
          ? 'The event store file is damaged: restore it from a backup.'
          : 'A data store or a projection is not healthy.',
        { info: result.info, error: result.error, details: result.details },
      );
    }
  }

  private runChecks() {
    return this.health.check([
      () => this.ping('eventStore', () => this.eventStore.ping()),
      () => this.ping('readModels', () => this.readModels.ping()),
      async () => {
        const session = this.indicators.check('projections');
        let lanes;
        try {
          lanes = await this.projections.runner.status();
        } catch (error) {
          // The status reads the event store's head: its failure is reported as the store's
          // state, never as a 500 from /health.
          return session.down({ message: storeProblem(error) });
        }
        const failed = lanes.filter((l) => l.state === 'failed' || l.state === 'stopped').map((l) => l.name);
        return failed.length === 0 ? session.up({ count: lanes.length }) : session.down({ failed });
      },
    ]);
  }

  @Public()
  @Get('metrics')
  @ApiExcludeEndpoint()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  async prometheus(): Promise<string> {
    await this.projections.refreshLagGauge();
    return this.metrics.registry.metrics();
  }

  private async ping(key: string, call: () => Promise<void>) {
    const session = this.indicators.check(key);
    try {
      await withTimeout(call(), PING_TIMEOUT_MS);
      return session.up();
    } catch (error) {
      // The reason stays in the logs: no driver message goes out.
      return session.down({ message: storeProblem(error) });
    }
  }
}
