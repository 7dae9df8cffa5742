import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import type { Actor } from '../domain';
import { EVENT_STORE, type EventStore, type Position, type StoredEvent } from '../event-store/event-store.port';
import { departmentsFromRegistration, mayRead, projectOf, publish, type ProjectDepartments, type PublishedEvent } from './event-envelope';
import { SUBSCRIPTION_SETTINGS, type SubscriptionSettings } from './settings';

const CACHE_LIMIT = 10_000;

interface OpenStream {
  close(): Promise<void>;
}

/**
 * Server-Sent Events over the event store's catch-up subscription. Back-pressure: the store
 * subscription awaits each handler call, and the handler waits for 'drain' whenever the socket
 * buffer is full, so a slow client stops the reading of the store instead of filling memory.
 * A closed connection stops the subscription.
 */
@Injectable()
export class EventStreamService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('EventStream');
  private readonly open = new Set<OpenStream>();
  /** projectId → departments, from the project's ProjectRegistered event (fixed at registration). */
  private readonly departments = new Map<string, ProjectDepartments | null>();

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(SUBSCRIPTION_SETTINGS) private readonly settings: SubscriptionSettings,
  ) {}

  get openStreams(): number {
    return this.open.size;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([...this.open].map((s) => s.close()));
  }

  /** Streams to `raw` (already hijacked from Fastify) until the client goes away. */
  stream(raw: ServerResponse, actor: Actor, options: { after?: Position; types?: string[] }): void {
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // Reverse proxies (nginx) must not buffer the stream.
      'x-accel-buffering': 'no',
      'x-content-type-options': 'nosniff',
    });
    raw.write(`retry: 3000\n: connected${options.after ? ` after ${options.after}` : ''}\n\n`);

    let closed = false;
    const heartbeat = setInterval(() => {
      // A full buffer already tells the client the connection is alive; don't add to it.
      if (!closed && !raw.writableNeedDrain) raw.write(': heartbeat\n\n');
    }, this.settings.sseHeartbeatMs);
    heartbeat.unref();

    const subscription = this.eventStore.subscribeAll({ after: options.after, types: options.types }, async (event) => {
      if (closed) return;
      const published = await this.view(actor, event);
      if (published === undefined) return;
      const frame = `id: ${event.position}\ndata: ${JSON.stringify(published)}\n\n`;
      if (!raw.write(frame)) await drained(raw);
    });

    const entry: OpenStream = {
      close: async () => {
        if (closed) return;
        closed = true;
        this.open.delete(entry);
        clearInterval(heartbeat);
        await subscription.stop();
        if (!raw.writableEnded) raw.end();
      },
    };
    this.open.add(entry);
    raw.on('close', () => void entry.close());
    subscription.done.catch((error: unknown) => {
      this.logger.warn({ err: error }, 'event stream subscription failed; closing the stream (the client resumes with Last-Event-ID)');
      void entry.close();
    });
  }

  /**
   * What `actor` may see of an event, or undefined. Construction units see only events of their
   * department's projects (第三条, API.md "Visibility"); an annual-plan event naming several
   * projects shows them their own projects only, without totals over other departments.
   */
  private async view(actor: Actor, event: StoredEvent): Promise<PublishedEvent | undefined> {
    if (actor.role !== 'CONSTRUCTION_UNIT') return publish(event);
    const projectId = projectOf(event);
    if (projectId !== undefined) {
      if (event.type === 'ProjectRegistered') this.remember(projectId, departmentsFromRegistration(event.data) ?? null);
      if (!(await this.mayReadProject(actor, projectId))) return undefined;
    }
    const published = publish(event);
    if (published.streamId.startsWith('project-')) return published;
    // Annual-plan events: controlTotalFen sums every department's control amounts.
    const { controlTotalFen: _total, projectIds, ...data } = published.data;
    if (Array.isArray(projectIds)) {
      const own: string[] = [];
      for (const id of projectIds) if (typeof id === 'string' && (await this.mayReadProject(actor, id))) own.push(id);
      return { ...published, data: { ...data, projectIds: own } };
    }
    return { ...published, data };
  }

  private async mayReadProject(actor: Actor, projectId: string): Promise<boolean> {
    if (!this.departments.has(projectId)) {
      const [first] = await this.eventStore.readStream(`project-${projectId}`, { fromRevision: 0, toRevision: 0 });
      this.remember(projectId, first?.type === 'ProjectRegistered' ? (departmentsFromRegistration(first.data) ?? null) : null);
    }
    return mayRead(actor, this.departments.get(projectId) ?? undefined);
  }

  private remember(projectId: string, departments: ProjectDepartments | null): void {
    if (this.departments.size >= CACHE_LIMIT) this.departments.clear();
    this.departments.set(projectId, departments);
  }
}

function drained(raw: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      raw.off('drain', done);
      raw.off('close', done);
      resolve();
    };
    raw.on('drain', done);
    raw.on('close', done);
  });
}
