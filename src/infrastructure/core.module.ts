import { Global, Module, type DynamicModule } from '@nestjs/common';
import { CLOCK, systemClock, TestClock, type Clock } from './clock';
import type { AppConfig } from './config';
import { CommandMetrics, MetricsRegistry, ProjectionMetrics } from './metrics';
import { APP_CONFIG } from './tokens';

/** Configuration, clock and metrics: what every module may inject. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig, clock: Clock): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: CLOCK, useValue: clock },
        MetricsRegistry,
        CommandMetrics,
        ProjectionMetrics,
      ],
      exports: [APP_CONFIG, CLOCK, MetricsRegistry, CommandMetrics, ProjectionMetrics],
    };
  }
}

/** The clock a configuration asks for: TEST_CLOCK=1 gives a settable one. */
export function clockFor(config: AppConfig, clock?: Clock): Clock {
  return clock ?? (config.testClock ? new TestClock() : systemClock);
}
