import { createServer, type Socket } from 'node:net';
import { UnavailableError, WrongExpectedVersionError } from '@eventstore/db-client';
import {
  EventStoreDbEventStore,
  acceptsEventType,
  actualRevisionOf,
  decodePosition,
  encodePosition,
  eventTypesRegex,
  isSystemEventType,
  normalizePosition,
  revisionToNumber,
  toEventStoreDbId,
  toPortError,
} from '../../src/event-store/eventstoredb-event-store';
import { RevisionConflict, StoreUnavailable } from '../../src/event-store/event-store.port';
import { comparePositions } from '../../src/event-store/position';
import { eventStoreContract, pending } from './event-store.contract';

const connectionString = process.env.EVENTSTORE_CONNECTION_STRING?.trim();

if (connectionString) {
  // EventStoreDB cannot be wiped between runs: the contract uses fresh stream ids and types.
  eventStoreContract(`EventStoreDB (${connectionString})`, () => EventStoreDbEventStore.connect(connectionString));
} else {
  console.log(
    'skipped: set EVENTSTORE_CONNECTION_STRING (e.g. esdb://localhost:2113?tls=false) to run the EventStoreDB contract suite',
  );
  describe('EventStore contract: EventStoreDB', () => {
    test.skip('needs EVENTSTORE_CONNECTION_STRING (e.g. esdb://localhost:2113?tls=false)', () => undefined);
  });
}

describe('EventStoreDB adapter, pure parts', () => {
  const beyondDoubles = 2n ** 53n + 1n; // Number() would round this to 2^53

  it('encodes commit/prepare losslessly and decodes them back, far above 2^53', () => {
    const cases = [
      { commit: 0n, prepare: 0n },
      { commit: beyondDoubles, prepare: beyondDoubles - 2n },
      { commit: 2n ** 64n - 2n, prepare: 2n ** 64n - 3n },
    ];
    for (const position of cases) {
      const encoded = encodePosition(position);
      expect(encoded).toBe(`${position.commit}/${position.prepare}`);
      expect(decodePosition(encoded)).toEqual(position);
    }
    expect(encodePosition({ commit: beyondDoubles, prepare: beyondDoubles })).toBe('9007199254740993/9007199254740993');
  });

  it('orders encoded positions as bigints, not as strings or doubles', () => {
    const a = encodePosition({ commit: beyondDoubles - 1n, prepare: beyondDoubles - 1n });
    const b = encodePosition({ commit: beyondDoubles, prepare: beyondDoubles });
    const c = encodePosition({ commit: 10n ** 17n, prepare: 10n ** 17n });
    expect(comparePositions(a, b)).toBe(-1);
    expect(comparePositions(b, c)).toBe(-1); // "9…" > "1…" as strings
  });

  it('replaces the unknown commit position of old servers by the prepare position', () => {
    expect(normalizePosition({ commit: 2n ** 64n - 1n, prepare: 4242n })).toEqual({ commit: 4242n, prepare: 4242n });
    expect(normalizePosition({ commit: 2n ** 64n - 1n, prepare: 2n ** 64n - 1n })).toBeUndefined();
    expect(normalizePosition({ commit: 7n, prepare: 7n })).toEqual({ commit: 7n, prepare: 7n });
    expect(normalizePosition(undefined)).toBeUndefined();
  });

  it('excludes system events ($-types) and applies a type filter', () => {
    expect(isSystemEventType('$>')).toBe(true);
    expect(isSystemEventType('$metadata')).toBe(true);
    expect(isSystemEventType('$statistics-collected')).toBe(true);
    expect(isSystemEventType('ProjectFiled')).toBe(false);
    expect(acceptsEventType('$>', undefined)).toBe(false);
    expect(acceptsEventType('ProjectFiled', undefined)).toBe(true);
    expect(acceptsEventType('ProjectFiled', ['ProjectFiled'])).toBe(true);
    expect(acceptsEventType('ProjectFiledV2', ['ProjectFiled'])).toBe(false);
    expect(acceptsEventType('$metadata', ['$metadata'])).toBe(false);
    expect(acceptsEventType('ProjectFiled', [])).toBe(true); // empty list: no filter, as in SQLite
    expect(acceptsEventType('$>', [])).toBe(false);
  });

  it('builds an anchored server-side type regex that matches exactly the given types', () => {
    const regex = new RegExp(eventTypesRegex(['Project.Filed', 'A+B', 'Tab1c2d3e4One']));
    expect(regex.test('Project.Filed')).toBe(true);
    expect(regex.test('ProjectXFiled')).toBe(false);
    expect(regex.test('A+B')).toBe(true);
    expect(regex.test('AAB')).toBe(false);
    expect(regex.test('Tab1c2d3e4One')).toBe(true);
    expect(regex.test('Tab1c2d3e4OneMore')).toBe(false);
    expect(regex.test('$>')).toBe(false);
  });

  it('uses UUID event ids as they are and maps other ids to a stable UUID', () => {
    const uuid = '3F2504E0-4F89-41D3-9A0C-0305E82C3301';
    expect(toEventStoreDbId(uuid)).toBe(uuid.toLowerCase());
    const derived = toEventStoreDbId('evt-42');
    expect(derived).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(toEventStoreDbId('evt-42')).toBe(derived);
    expect(toEventStoreDbId('evt-43')).not.toBe(derived);
  });

  it('converts revisions to numbers and refuses to round', () => {
    expect(revisionToNumber(0n)).toBe(0);
    expect(revisionToNumber(BigInt(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => revisionToNumber(beyondDoubles)).toThrow(/does not fit/);
  });

  it('maps client errors onto the port', () => {
    const unavailable = toPortError(new UnavailableError(undefined, 'connect ECONNREFUSED'), 'append');
    expect(unavailable).toBeInstanceOf(StoreUnavailable);
    const conflict = new WrongExpectedVersionError(undefined, { streamName: 's', expected: 0n, current: 3n });
    expect(actualRevisionOf(conflict)).toBe(3);
    expect(
      actualRevisionOf(
        new WrongExpectedVersionError(undefined, { streamName: 's', expected: 0n, current: 'no_stream' }),
      ),
    ).toBe(-1);
    expect(toPortError(conflict, 'append')).toBe(conflict); // append() turns it into RevisionConflict itself
    const ours = new RevisionConflict('s', 0, 1);
    expect(toPortError(ours, 'append')).toBe(ours);
    const other = new Error('access denied');
    expect(toPortError(other, 'read')).toBe(other);
  });
});

describe('EventStoreDB adapter without a server', () => {
  // Port 1 on loopback refuses connections: this exercises the real client's failure path.
  let store: EventStoreDbEventStore;
  beforeAll(async () => {
    store = await EventStoreDbEventStore.connect('esdb://127.0.0.1:1?tls=false', {
      pingTimeoutMs: 3000,
      writeTimeoutMs: 3000,
      readTimeoutMs: 3000,
    });
  });
  afterAll(async () => {
    await store.close();
  });

  it('answers ping, append and reads with StoreUnavailable, within their deadline', async () => {
    const started = Date.now();
    await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailable);
    await expect(store.append('unreachable-1', [pending('A')], 'no_stream')).rejects.toBeInstanceOf(StoreUnavailable);
    await expect(store.readStream('unreachable-1')).rejects.toBeInstanceOf(StoreUnavailable);
    await expect(store.readAll({ limit: 10 })).rejects.toBeInstanceOf(StoreUnavailable);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('ends a subscription with StoreUnavailable, and stop() still resolves', async () => {
    const subscription = store.subscribeAll({}, () => undefined);
    await expect(subscription.done).rejects.toBeInstanceOf(StoreUnavailable);
    await expect(subscription.stop()).resolves.toBeUndefined();
  });

  it('answers StoreUnavailable after close', async () => {
    const closed = await EventStoreDbEventStore.connect('esdb://127.0.0.1:1?tls=false');
    await closed.close();
    await expect(closed.append('x', [pending('A')], 'any')).rejects.toBeInstanceOf(StoreUnavailable);
    await expect(closed.ping()).rejects.toBeInstanceOf(StoreUnavailable);
    await expect(closed.subscribeAll({}, () => undefined).done).rejects.toBeInstanceOf(StoreUnavailable);
  });
});

describe('EventStoreDB adapter against a peer that never answers', () => {
  // The client gives streaming reads no gRPC deadline at all; these bounds are the adapter's own.
  it('gives up within its own deadlines instead of hanging, and stops a silent subscription', async () => {
    const sockets = new Set<Socket>();
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const store = await EventStoreDbEventStore.connect(`esdb://127.0.0.1:${port}?tls=false`, {
      pingTimeoutMs: 300,
      writeTimeoutMs: 400,
      readTimeoutMs: 400,
    });
    try {
      const started = Date.now();
      await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailable);
      expect(Date.now() - started).toBeLessThan(2000);
      await expect(store.append('silent-1', [pending('A')], 'no_stream')).rejects.toBeInstanceOf(StoreUnavailable);
      await expect(store.readStream('silent-1')).rejects.toBeInstanceOf(StoreUnavailable);
      await expect(store.headPosition()).rejects.toBeInstanceOf(StoreUnavailable);
      const subscription = store.subscribeAll({}, () => undefined);
      await new Promise((resolve) => setTimeout(resolve, 100));
      await expect(subscription.stop()).resolves.toBeUndefined();
    } finally {
      await store.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
