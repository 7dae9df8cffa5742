import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port';
import type { AppConfig } from '../infrastructure/config';
import { ProjectionMetrics } from '../infrastructure/metrics';
import { APP_CONFIG } from '../infrastructure/tokens';
import { READ_MODEL_STORE, type ReadModelStore } from '../read-model/read-model.port';
import type { Projection } from './projection';
import { ProjectionRunner } from './projection-runner';

/** The read models the service maintains (ProjectionsModule.forRoot). */
export const PROJECTIONS = Symbol('PROJECTIONS');

/** Runs every projection for the service's lifetime and drains them on shutdown. */
@Injectable()
export class ProjectionService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly runner: ProjectionRunner;
  private readonly logger = new Logger('Projections');

  constructor(
    @Inject(EVENT_STORE) eventStore: EventStore,
    @Inject(READ_MODEL_STORE) readModels: ReadModelStore,
    private readonly metrics: ProjectionMetrics,
    @Inject(PROJECTIONS) projections: readonly Projection[],
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    const versioned = withVersionOverrides(projections, config.projectionVersionOverrides);
    this.runner = new ProjectionRunner(eventStore, readModels, versioned, {
      onApplied: (name, batch, committedAt) => {
        metrics.applied.inc({ projection: name }, batch.length);
        // Lag of every event: from the command's clock stamp to its read-model commit.
        let max = 0;
        for (const event of batch) {
          const lag = Math.max(0, committedAt - Date.parse(event.metadata.occurredAt)) / 1000;
          metrics.lagSeconds.observe({ projection: name }, lag);
          if (lag > max) max = lag;
        }
        metrics.observeMaxLag(name, max);
      },
      onError: (name, error) => {
        metrics.errors.inc({ projection: name });
        this.logger.error({ err: error, projection: name }, 'projection batch failed; retrying from its checkpoint');
      },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.runner.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }

  rebuildInBackground(name: string): void {
    this.runner
      .rebuild(name)
      .catch((error: unknown) => this.logger.error({ err: error, projection: name }, 'rebuild failed'));
  }

  async refreshLagGauge(): Promise<void> {
    for (const lane of await this.runner.status()) {
      if (lane.lagEvents !== null) this.metrics.lagEvents.set({ projection: lane.name }, lane.lagEvents);
    }
  }
}

/**
 * Tests only: `PROJECTION_VERSION_OVERRIDES=projects:99,annual-plans:3` (refused by the
 * configuration outside NODE_ENV=test) runs "new code" beside "old code" on one store, as a
 * rolling deploy of a version bump does.
 */
function withVersionOverrides(
  projections: readonly Projection[],
  overrides: Readonly<Record<string, number>>,
): Projection[] {
  return projections.map((p) => (overrides[p.name] !== undefined ? { ...p, version: overrides[p.name] } : p));
}
