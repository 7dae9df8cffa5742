import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per service instance (tests create several apps in one process). */
@Injectable()
export class MetricsRegistry {
  readonly registry = new Registry();
  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}

@Injectable()
export class CommandMetrics {
  private readonly commands: Counter<'type' | 'outcome'>;
  private readonly duration: Histogram<'type'>;
  private readonly append: Histogram;

  constructor({ registry }: MetricsRegistry) {
    this.commands = new Counter({
      name: 'ordos_commands_total',
      help: 'Commands handled, by type and outcome',
      labelNames: ['type', 'outcome'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'ordos_command_duration_seconds',
      help: 'Load-decide-append time per command type',
      labelNames: ['type'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    });
    this.append = new Histogram({
      name: 'ordos_event_append_seconds',
      help: 'Event store append latency',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5],
      registers: [registry],
    });
  }

  start(type: string): (outcome: string) => void {
    const end = this.duration.startTimer({ type });
    return (outcome) => {
      end();
      this.commands.inc({ type, outcome });
    };
  }

  appendTimer(): () => void {
    return this.append.startTimer();
  }
}

@Injectable()
export class ProjectionMetrics {
  readonly lagSeconds: Histogram<'projection'>;
  readonly applied: Counter<'projection'>;
  readonly lagEvents: Gauge<'projection'>;
  readonly errors: Counter<'projection'>;
  readonly maxLagSeconds: Gauge<'projection'>;
  private readonly maxLag = new Map<string, number>();

  constructor({ registry }: MetricsRegistry) {
    this.lagSeconds = new Histogram({
      name: 'ordos_projection_lag_seconds',
      help: 'Time from an event being stored to its projection batch being committed',
      labelNames: ['projection'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.25, 0.5, 1, 2.5, 5, 30],
      registers: [registry],
    });
    this.applied = new Counter({
      name: 'ordos_projection_events_total',
      help: 'Events applied per projection',
      labelNames: ['projection'],
      registers: [registry],
    });
    this.lagEvents = new Gauge({
      name: 'ordos_projection_lag_events',
      help: 'Events between the projection checkpoint and the head of the store (embedded store)',
      labelNames: ['projection'],
      registers: [registry],
    });
    this.maxLagSeconds = new Gauge({
      name: 'ordos_projection_lag_max_seconds',
      help: 'Largest event-to-read-model lag seen since the process started',
      labelNames: ['projection'],
      registers: [registry],
    });
    this.errors = new Counter({
      name: 'ordos_projection_errors_total',
      help: 'Projection batches that failed and were retried',
      labelNames: ['projection'],
      registers: [registry],
    });
  }

  observeMaxLag(projection: string, seconds: number): void {
    if (seconds > (this.maxLag.get(projection) ?? 0)) {
      this.maxLag.set(projection, seconds);
      this.maxLagSeconds.set({ projection }, seconds);
    }
  }
}
