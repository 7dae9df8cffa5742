import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { EVENT_STORE, StoreCorrupt, type EventStore } from '../event-store/event-store.port';
import { MetricsRegistry } from '../infrastructure/metrics';
import { ProjectionService } from '../projections/projection.service';
import { READ_MODEL_STORE, type ReadModelStore } from '../read-model/read-model.port';
import { Public } from './auth';

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
  check() {
    return this.health.check([
      () => this.ping('eventStore', () => this.eventStore.ping()),
      () => this.ping('readModels', () => this.readModels.ping()),
      async () => {
        const session = this.indicators.check('projections');
        const lanes = await this.projections.runner.status();
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
      // The reason stays in the logs: no driver message goes out. A damaged file is told apart
      // from a passing outage, since only a restore from backup repairs it.
      return session.down({ message: error instanceof StoreCorrupt ? 'corrupt' : 'unavailable' });
    }
  }
}
