import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { setImmediate as yieldToLoop, setTimeout as sleep } from 'node:timers/promises';
import { ProblemError } from '../application/errors';
import type { Actor } from '../domain';
import { EVENT_STORE, type EventStore, type Position, type StoredEvent } from '../event-store/event-store.port';
import { mayRead, ProjectRegistrations } from '../application/project-registrations';
import { FrameworkMembers, mayKnowFramework } from '../application/framework-members';
import { frameworkIdOfStream } from '../application/streams';
import { projectOf, publish, type PublishedEvent } from './event-envelope';
import { SUBSCRIPTION_SETTINGS, type SubscriptionSettings } from '../infrastructure/subscription-settings';

interface OpenStream {
  close(): Promise<void>;
}

/** A place among the open streams, taken before the stream starts; release() is idempotent. */
export interface StreamSlot {
  release(): void;
}

/**
 * Server-Sent Events over the event store's catch-up subscription. Back-pressure: the store
 * subscription awaits each handler call, and the handler waits for 'drain' whenever the socket
 * buffer is full, so a slow client stops the reading of the store instead of filling memory.
 * A closed connection stops the subscription.
 *
 * Limits (issue 11 §6: 500 streams replaying from 0 made /health take 1.2 s): at most
 * SSE_MAX_STREAMS streams at once and SSE_MAX_STREAMS_PER_USER per user, beyond which a new one
 * is refused with 429 TOO_MANY_STREAMS before anything is read; and each stream yields to the
 * event loop every SSE_YIELD_EVERY events and sends at most SSE_MAX_EVENTS_PER_SECOND, so a
 * replay shares the process with requests instead of running as one long synchronous burst.
 */
@Injectable()
export class EventStreamService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('EventStream');
  private readonly open = new Set<OpenStream>();
  /** Slots taken, in total and per user (`sub`). */
  private slots = 0;
  private readonly slotsByUser = new Map<string, number>();

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(SUBSCRIPTION_SETTINGS) private readonly settings: SubscriptionSettings,
    /** The same registration cache the visibility guard decides with: one answer to "whose project". */
    private readonly registrations: ProjectRegistrations,
    /** 第七条 which departments a framework lists, from its filing (as FrameworkVisibilityGuard decides). */
    private readonly frameworks: FrameworkMembers,
  ) {}

  get openStreams(): number {
    return this.open.size;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([...this.open].map((s) => s.close()));
  }

  /**
   * Takes a place for a new stream of `actor`, or throws 429 TOO_MANY_STREAMS. Synchronous, so
   * concurrent requests cannot all pass the check before any of them counts.
   */
  reserve(actor: Actor): StreamSlot {
    const mine = this.slotsByUser.get(actor.sub) ?? 0;
    if (mine >= this.settings.sseMaxStreamsPerUser) {
      throw new ProblemError(
        429,
        'TOO_MANY_STREAMS',
        'Too many event streams',
        `At most ${this.settings.sseMaxStreamsPerUser} event streams per user; close one first.`,
        {
          limit: this.settings.sseMaxStreamsPerUser,
        },
      );
    }
    if (this.slots >= this.settings.sseMaxStreams) {
      throw new ProblemError(
        429,
        'TOO_MANY_STREAMS',
        'Too many event streams',
        'The service serves as many event streams as it can; retry later.',
        {
          limit: this.settings.sseMaxStreams,
        },
      );
    }
    this.slots++;
    this.slotsByUser.set(actor.sub, mine + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.slots--;
        const left = (this.slotsByUser.get(actor.sub) ?? 1) - 1;
        if (left <= 0) this.slotsByUser.delete(actor.sub);
        else this.slotsByUser.set(actor.sub, left);
      },
    };
  }

  /** Streams to `raw` (already hijacked from Fastify) until the client goes away; releases `slot` then. */
  stream(
    raw: ServerResponse,
    actor: Actor,
    options: { after?: Position; types?: string[] },
    slot: StreamSlot = this.reserve(actor),
  ): void {
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

    const pace = pacer(this.settings.sseYieldEvery, this.settings.sseMaxEventsPerSecond);
    const subscription = this.eventStore.subscribeAll({ after: options.after, types: options.types }, async (event) => {
      if (closed) return;
      await pace();
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
        slot.release();
        clearInterval(heartbeat);
        await subscription.stop();
        if (!raw.writableEnded) raw.end();
      },
    };
    this.open.add(entry);
    raw.on('close', () => void entry.close());
    // The client may have gone while the request was validated: 'close' then came before us.
    if (raw.destroyed || raw.socket?.destroyed === true) void entry.close();
    subscription.done.catch((error: unknown) => {
      this.logger.warn(
        { err: error },
        'event stream subscription failed; closing the stream (the client resumes with Last-Event-ID)',
      );
      void entry.close();
    });
  }

  /**
   * What `actor` may see of an event, or undefined. Construction units see only events of their
   * department's projects (第三条, docs/api.md "Visibility"); an annual-plan event naming several
   * projects shows them their own projects only, without totals over other departments.
   */
  private async view(actor: Actor, event: StoredEvent): Promise<PublishedEvent | undefined> {
    if (actor.role !== 'CONSTRUCTION_UNIT') return publish(event);
    // 第七条 a framework's events reach the departments it lists only.
    const frameworkId = frameworkIdOfStream(event.streamId);
    if (frameworkId !== undefined) {
      return mayKnowFramework(actor, await this.frameworks.departmentsOf(frameworkId)) ? publish(event) : undefined;
    }
    const projectId = projectOf(event);
    if (projectId !== undefined) {
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
    // An unknown project is not remembered by the cache: its registration may commit a moment later.
    const departments = await this.registrations.departmentsOf(projectId);
    return departments !== undefined && mayRead(actor, departments);
  }
}

/**
 * Per stream: yields to the event loop every `every` events (other requests, /health, run in
 * between) and sleeps when the stream ran ahead of `perSecond` events per second since it began
 * (or since it last waited for the socket). Live streams, far below the rate, never sleep.
 */
function pacer(every: number, perSecond: number): () => Promise<void> {
  let count = 0;
  let windowStart = Date.now();
  let inWindow = 0;
  return async () => {
    count++;
    inWindow++;
    if (count % every === 0) await yieldToLoop();
    const elapsed = Date.now() - windowStart;
    const due = (inWindow / perSecond) * 1000;
    if (due > elapsed) await sleep(due - elapsed);
    if (elapsed > 1000) {
      windowStart = Date.now();
      inWindow = 0;
    }
  };
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
