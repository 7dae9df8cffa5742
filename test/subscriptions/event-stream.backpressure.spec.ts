import { ProjectRegistrations } from '../../src/application/project-registrations';
import { FrameworkMembers } from '../../src/application/framework-members';
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { EventHandler, EventStore, StoredEvent } from '../../src/event-store/event-store.port';
import { EventStreamService } from '../../src/subscriptions/event-stream.service';
import { loadSubscriptionSettings } from '../../src/infrastructure/subscription-settings';

/** A response whose socket buffer is "full" until the test emits 'drain'. */
class FullSocket extends EventEmitter {
  writes: string[] = [];
  writableNeedDrain = false;
  writableEnded = false;
  writeHead() {
    return this;
  }
  write(chunk: string): boolean {
    this.writes.push(chunk);
    if (chunk.startsWith('id: ')) this.writableNeedDrain = true;
    return !this.writableNeedDrain;
  }
  end() {
    this.writableEnded = true;
  }
  drain() {
    this.writableNeedDrain = false;
    this.emit('drain');
  }
}

const event = (n: number): StoredEvent => ({
  streamId: 'project-x',
  revision: n,
  position: String(n + 1),
  type: 'ProposalApproved',
  data: {},
  metadata: { eventId: `e${n}` } as StoredEvent['metadata'],
});

describe('SSE back-pressure', () => {
  it('does not return to the store until the socket drained, and stops the subscription on close', async () => {
    let handler: EventHandler | undefined;
    const stop = jest.fn(async () => undefined);
    const store = {
      subscribeAll: (_: unknown, h: EventHandler) => {
        handler = h;
        return { stop, done: new Promise<void>(() => undefined) };
      },
    } as unknown as EventStore;
    const service = new EventStreamService(
      store,
      loadSubscriptionSettings({ NODE_ENV: 'test', SSE_HEARTBEAT_MS: '60000' }),
      new ProjectRegistrations(store),
      new FrameworkMembers(store),
    );
    const socket = new FullSocket();
    service.stream(socket as unknown as ServerResponse, { sub: 'o', name: 'o', role: 'OFFICE' }, {});

    let settled = false;
    const first = Promise.resolve(handler!(event(0))).then(() => {
      settled = true;
    });
    await new Promise((r) => setTimeout(r, 30));
    expect(settled).toBe(false); // the store subscription is held: nothing more is read
    socket.drain();
    await first;
    expect(settled).toBe(true);

    socket.emit('close');
    await new Promise((r) => setImmediate(r));
    expect(stop).toHaveBeenCalled();
    expect(service.openStreams).toBe(0);
  });
});
