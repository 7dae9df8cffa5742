/**
 * The EventStoreDB adapter against a fake EventStoreDBClient: no server can run here. Where the
 * behaviour depends on the client's own machinery (the subscription's transform that awaits
 * checkpointReached, the conversion of gRPC messages), the client's real classes are used with
 * real protobuf messages, so only the network is fake.
 */
import { Readable, PassThrough } from 'node:stream';
import { randomUUID } from 'node:crypto';
import {
  BACKWARDS,
  END,
  START,
  UnavailableError,
  type AllStreamResolvedEvent,
  type EventStoreDBClient,
  type Position as EsdbPosition,
} from '@eventstore/db-client';
// The client's own classes: the subscription stream and the gRPC → event conversion.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Subscription } = require('@eventstore/db-client/dist/streams/utils/Subscription');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { convertGrpcEvent, UnknownError } = require('@eventstore/db-client/dist/utils');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const streamsPb = require('@eventstore/db-client/generated/streams_pb');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sharedPb = require('@eventstore/db-client/generated/shared_pb');
import {
  EventStoreDbEventStore,
  isEventStoreDbPosition,
  isInvalidPositionError,
  toPortError,
} from '../../src/event-store/eventstoredb-event-store';
import {
  AppendOutcomeUnknown,
  InvalidPosition,
  StoreUnavailable,
  type StoredEvent,
} from '../../src/event-store/event-store.port';
import { pending } from './event-store.contract';

interface LogEvent {
  streamId: string;
  revision: bigint;
  type: string;
  position: EsdbPosition;
  data?: Record<string, unknown>;
}

/** A streaming read as the client returns it: async-iterable, cancel(), destroy(). */
function streamingRead<T>(items: T[], error?: unknown): Readable & { cancel(): Promise<void> } {
  async function* gen() {
    for (const item of items) yield item;
    if (error) throw error;
  }
  const read = Readable.from(gen(), { objectMode: true }) as Readable & { cancel(): Promise<void> };
  read.cancel = async () => undefined;
  return read;
}

function resolved(e: LogEvent): AllStreamResolvedEvent {
  return {
    event: {
      streamId: e.streamId,
      id: randomUUID(),
      revision: e.revision,
      type: e.type,
      data: e.data ?? {},
      metadata: { hash: 'h' },
      isJson: true,
      created: new Date(0),
      position: e.position,
    },
  } as unknown as AllStreamResolvedEvent;
}

const pos = (n: number): EsdbPosition => ({ commit: BigInt(n), prepare: BigInt(n) });
const cmp = (a: EsdbPosition, b: EsdbPosition) =>
  a.commit === b.commit ? (a.prepare < b.prepare ? -1 : a.prepare > b.prepare ? 1 : 0) : a.commit < b.commit ? -1 : 1;

/** A fake client over an in-memory $all; counts what each call read. */
function fakeClient(log: LogEvent[]) {
  const calls = { readAll: 0, readAllEvents: 0, readStream: 0, append: 0 };
  const client = {
    calls,
    appendResult: undefined as unknown,
    readAllError: undefined as unknown,
    readStreamError: undefined as unknown,
    readAll(
      options: { fromPosition?: EsdbPosition | typeof START | typeof END; direction?: string; maxCount?: number } = {},
    ) {
      calls.readAll += 1;
      if (client.readAllError) return streamingRead([], client.readAllError);
      const max = options.maxCount ?? Number.MAX_SAFE_INTEGER;
      const from = options.fromPosition ?? START;
      let events: LogEvent[];
      if (options.direction === BACKWARDS) {
        events = [...log]
          .reverse()
          .filter((e) => from === END || from === START || cmp(e.position, from as EsdbPosition) <= 0);
      } else {
        events = log.filter((e) => from === START || (from !== END && cmp(e.position, from as EsdbPosition) >= 0));
      }
      const page = events.slice(0, max);
      calls.readAllEvents += page.length;
      return streamingRead(page.map(resolved));
    },
    readStream(
      streamId: string,
      options: { fromRevision?: bigint | typeof START | typeof END; direction?: string; maxCount?: number } = {},
    ) {
      calls.readStream += 1;
      if (client.readStreamError) return streamingRead([], client.readStreamError);
      let events = log.filter((e) => e.streamId === streamId);
      if (options.direction === BACKWARDS) events = events.reverse();
      if (typeof options.fromRevision === 'bigint')
        events = events.filter(
          (e) =>
            e.revision === options.fromRevision ||
            (options.direction !== BACKWARDS && e.revision > (options.fromRevision as bigint)),
        );
      return streamingRead(events.slice(0, options.maxCount ?? Number.MAX_SAFE_INTEGER).map(resolved));
    },
    async appendToStream() {
      calls.append += 1;
      return client.appendResult;
    },
    subscribeToAll: undefined as unknown,
    async dispose() {
      return undefined;
    },
  };
  return client;
}

const store = (client: ReturnType<typeof fakeClient>, options = {}) =>
  new EventStoreDbEventStore(client as unknown as EventStoreDBClient, {
    readTimeoutMs: 2000,
    writeTimeoutMs: 2000,
    ...options,
  });

describe('EventStoreDB adapter: append positions', () => {
  it('hands out the position the server reported, without reading the event back', async () => {
    const client = fakeClient([]);
    // KurrentDB reports the log position of the batch's last record as commit and prepare.
    client.appendResult = { success: true, nextExpectedRevision: 1n, position: pos(4242) };
    const es = store(client);
    const result = await es.append('project-1', [pending('A'), pending('B')], 'no_stream');
    expect(result).toEqual({ nextRevision: 1, position: '4242/4242' });
    expect(client.calls.readStream).toBe(1); // the head check before the append, nothing after
  });

  it('a committed append stays a success when the best-effort read-back fails', async () => {
    const log: LogEvent[] = [{ streamId: 'other', revision: 0n, type: 'X', position: pos(9000) }];
    const client = fakeClient(log);
    client.appendResult = { success: true, nextExpectedRevision: 0n, position: undefined }; // NoPosition
    const es = store(client);
    const original = client.readStream.bind(client);
    let n = 0;
    client.readStream = (streamId: string, options?: Parameters<typeof original>[1]) => {
      n += 1;
      // The head check succeeds (no stream), the read-back after the commit fails.
      return n === 1 ? original(streamId, options) : streamingRead([], new UnavailableError());
    };
    const result = await es.append('project-2', [pending('A')], 'no_stream');
    expect(result.nextRevision).toBe(0);
    expect(result.position).toBe('9000/9000'); // the head of $all, at or after our event
  });

  it('an append that was sent but not confirmed is AppendOutcomeUnknown, never "nothing was changed"', async () => {
    const client = fakeClient([]);
    client.appendToStream = async () => {
      throw new UnavailableError();
    };
    await expect(store(client).append('project-4', [pending('A')], 'no_stream')).rejects.toBeInstanceOf(
      AppendOutcomeUnknown,
    );
    // A failure before the append was sent (the head read) is a plain StoreUnavailable: nothing was written.
    const before = fakeClient([]);
    before.readStreamError = new UnavailableError();
    const error = await store(before)
      .append('project-5', [pending('A')], 'no_stream')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailable);
    expect(error).not.toBeInstanceOf(AppendOutcomeUnknown);
  });

  it('a timed-out append is AppendOutcomeUnknown', async () => {
    const client = fakeClient([]);
    client.appendToStream = () => new Promise(() => undefined);
    await expect(
      store(client, { writeTimeoutMs: 50 }).append('project-6', [pending('A')], 'no_stream'),
    ).rejects.toBeInstanceOf(AppendOutcomeUnknown);
  });

  it('committed without any position to be found is AppendOutcomeUnknown', async () => {
    const client = fakeClient([]);
    client.appendResult = { success: true, nextExpectedRevision: 0n, position: undefined };
    const original = client.readStream.bind(client);
    let n = 0;
    client.readStream = (streamId: string, options?: Parameters<typeof original>[1]) => {
      n += 1;
      return n === 1 ? original(streamId, options) : streamingRead([], new UnavailableError());
    };
    client.readAllError = new UnavailableError();
    await expect(store(client).append('project-7', [pending('A')], 'no_stream')).rejects.toBeInstanceOf(
      AppendOutcomeUnknown,
    );
  });

  it('uses the read-back when the server reported no position', async () => {
    const log: LogEvent[] = [{ streamId: 'project-3', revision: 0n, type: 'A', position: pos(77) }];
    const client = fakeClient(log);
    client.appendResult = { success: true, nextExpectedRevision: 0n, position: undefined };
    const original = client.readStream.bind(client);
    let n = 0;
    client.readStream = (streamId: string, options?: Parameters<typeof original>[1]) => {
      n += 1;
      return n === 1 ? streamingRead([]) : original(streamId, options);
    };
    const result = await store(client).append('project-3', [pending('A')], 'no_stream');
    expect(result.position).toBe('77/77');
  });
});

describe('EventStoreDB adapter: bounded scans of $all', () => {
  const log: LogEvent[] = [];
  for (let i = 1; i <= 10_000; i++)
    log.push({
      streamId: `s-${i % 7}`,
      revision: BigInt(i),
      type: i % 3 === 0 ? '$metadata' : 'Common',
      position: pos(i * 10),
    });
  log.push({ streamId: 'plan', revision: 0n, type: 'Rare', position: pos(100_010) });

  it('stops after maxScan examined events and says where to continue', async () => {
    const client = fakeClient(log);
    const es = store(client, { allPageSize: 256 });
    const page = await es.scanAll({ limit: 10, types: ['Rare'], maxScan: 1000 });
    expect(page.events).toEqual([]);
    expect(page.end).toBe(false);
    expect(page.scannedTo).toBe('10000/10000'); // the 1000th event, system events included
    expect(client.calls.readAllEvents).toBeLessThanOrEqual(1000 + 8);
    // readAll (the old signature) is bounded the same way: the default maxScan.
    const before = client.calls.readAllEvents;
    expect(await es.readAll({ limit: 10, types: ['Rare'] })).toEqual([]);
    expect(client.calls.readAllEvents - before).toBeLessThanOrEqual(4096 + 32);
  });

  it('pages on from scannedTo to the rare event and then the end', async () => {
    const client = fakeClient(log);
    const es = store(client);
    const found: StoredEvent[] = [];
    let after: string | undefined;
    let calls = 0;
    for (;;) {
      const page = await es.scanAll({ after, limit: 10, types: ['Rare'], maxScan: 2000 });
      calls += 1;
      found.push(...page.events);
      if (page.end) break;
      after = page.scannedTo;
    }
    expect(found.map((e) => [e.type, e.position])).toEqual([['Rare', '100010/100010']]);
    expect(calls).toBe(6); // 10,001 events, 2,000 per call
  });

  it('without types the default is unbounded (empty means the end), an explicit maxScan bounds it', async () => {
    const systemRun: LogEvent[] = [];
    for (let i = 1; i <= 6000; i++)
      systemRun.push({ streamId: '$stats', revision: BigInt(i), type: '$statistics-collected', position: pos(i) });
    systemRun.push({ streamId: 'a', revision: 0n, type: 'A', position: pos(7000) });
    const es = store(fakeClient(systemRun));
    expect((await es.readAll({ limit: 10 })).map((e) => e.position)).toEqual(['7000/7000']);
    const bounded = await es.scanAll({ limit: 10, maxScan: 100 });
    expect(bounded).toEqual({ events: [], scannedTo: '100/100', end: false });
  });

  it('without types still skips system events and reaches the limit', async () => {
    const client = fakeClient(log);
    const page = await store(client).scanAll({ limit: 5 });
    expect(page.events.map((e) => e.position)).toEqual(['10/10', '20/20', '40/40', '50/50', '70/70']);
    expect(page.scannedTo).toBe('70/70');
    expect(page.end).toBe(false);
  });
});

describe('EventStoreDB adapter: checkPosition and invalid positions', () => {
  const log: LogEvent[] = [
    { streamId: 'a', revision: 0n, type: 'A', position: pos(100) },
    { streamId: '$stats', revision: 0n, type: '$statistics-collected', position: pos(250) },
    { streamId: 'a', revision: 1n, type: 'B', position: { commit: 400n, prepare: 380n } },
  ];

  it('accepts the positions of events (system events too) and the start', async () => {
    const es = store(fakeClient(log));
    expect(await es.checkPosition('100/100')).toBe(true);
    expect(await es.checkPosition('250/250')).toBe(true); // a scannedTo may be a system event's
    expect(await es.checkPosition('400/380')).toBe(true);
    expect(await es.checkPosition('0')).toBe(true);
    expect(await es.checkPosition('0/0')).toBe(true);
  });

  it('refuses other forms without asking the server, and positions where no event starts', async () => {
    const client = fakeClient(log);
    const es = store(client);
    for (const bad of ['42', '', 'x/y', '1/2/3', '9223372036854775808/1', '-1/-1'])
      expect(await es.checkPosition(bad)).toBe(false);
    expect(client.calls.readAll).toBe(0);
    expect(await es.checkPosition('101/101')).toBe(false); // the next event is at 250
    expect(await es.checkPosition('400/400')).toBe(false); // commit matches, prepare does not
    expect(await es.checkPosition('500/500')).toBe(false); // beyond the end
  });

  it("treats the server's InvalidArgument as a refusal, and outages as StoreUnavailable", async () => {
    const client = fakeClient(log);
    const es = store(client);
    client.readAllError = invalidPositionError();
    expect(await es.checkPosition('123/123')).toBe(false);
    client.readAllError = new UnavailableError();
    await expect(es.checkPosition('100/100')).rejects.toBeInstanceOf(StoreUnavailable);
  });

  it('maps InvalidArgument "invalid position" to the non-retryable InvalidPosition', async () => {
    const error = invalidPositionError();
    expect(isInvalidPositionError(error)).toBe(true);
    const mapped = toPortError(error, 'read of $all', '42/42');
    expect(mapped).toBeInstanceOf(InvalidPosition);
    expect((mapped as InvalidPosition).position).toBe('42/42');
    // Other unknown errors pass through.
    expect(isInvalidPositionError(new UnknownError({ code: 2, message: '2 UNKNOWN: boom' }))).toBe(false);
    const client = fakeClient(log);
    client.readAllError = error;
    await expect(store(client).readAll({ after: '42/42', limit: 10 })).rejects.toBeInstanceOf(InvalidPosition);
  });

  it('validates the "commit/prepare" form', () => {
    expect(isEventStoreDbPosition('1/1')).toBe(true);
    expect(isEventStoreDbPosition('9223372036854775807/9223372036854775807')).toBe(true);
    expect(isEventStoreDbPosition('9223372036854775808/0')).toBe(false);
    expect(isEventStoreDbPosition('1')).toBe(false);
  });
});

/** What the client hands over for KurrentDB's RpcExceptions.InvalidPositionException. */
function invalidPositionError(): unknown {
  return new UnknownError({
    code: 3,
    message: '3 INVALID_ARGUMENT: Trying to read from an invalid position.',
    details: 'Trying to read from an invalid position.',
  });
}

// --- subscriptions with the client's own Subscription stream --------------------------------

function grpcEvent(e: LogEvent): unknown {
  const record = new streamsPb.ReadResp.ReadEvent.RecordedEvent();
  const id = new sharedPb.UUID();
  id.setString(randomUUID());
  record.setId(id);
  const stream = new sharedPb.StreamIdentifier();
  stream.setStreamName(Buffer.from(e.streamId, 'utf8'));
  record.setStreamIdentifier(stream);
  record.setStreamRevision(e.revision.toString());
  record.setCommitPosition(e.position.commit.toString());
  record.setPreparePosition(e.position.prepare.toString());
  record.getMetadataMap().set('type', e.type);
  record.getMetadataMap().set('content-type', 'application/json');
  record.getMetadataMap().set('created', '0');
  record.setData(Buffer.from(JSON.stringify(e.data ?? {}), 'utf8'));
  record.setCustomMetadata(Buffer.from(JSON.stringify({ hash: 'h' }), 'utf8'));
  const read = new streamsPb.ReadResp.ReadEvent();
  read.setEvent(record);
  const resp = new streamsPb.ReadResp();
  resp.setEvent(read);
  return resp;
}

function grpcCheckpoint(p: EsdbPosition): unknown {
  const checkpoint = new streamsPb.ReadResp.Checkpoint();
  checkpoint.setCommitPosition(p.commit.toString());
  checkpoint.setPreparePosition(p.prepare.toString());
  const resp = new streamsPb.ReadResp();
  resp.setCheckpoint(checkpoint);
  return resp;
}

/** subscribeToAll answering with the client's Subscription over a fake gRPC stream. */
function subscribingClient() {
  const client = fakeClient([]);
  const grpc = new PassThrough({ objectMode: true }) as PassThrough & { cancel(): void };
  grpc.cancel = () => grpc.end();
  const seen: { options?: { filter?: Record<string, unknown> } } = {};
  client.subscribeToAll = (options: { filter?: { checkpointReached?: unknown } }) => {
    seen.options = options;
    return new Subscription(() => Promise.resolve(grpc), convertGrpcEvent, {}, options.filter?.checkpointReached);
  };
  return { client, grpc, seen };
}

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

describe('EventStoreDB adapter: filtered subscription checkpoints', () => {
  it('delivers checkpoints to onCheckpoint in order with the events, behind a slow handler', async () => {
    const { client, grpc, seen } = subscribingClient();
    const es = store(client);
    const order: string[] = [];
    const subscription = es.subscribeAll(
      {
        types: ['Rare'],
        onCheckpoint: async (position) => {
          order.push(`checkpoint ${position}`);
        },
      },
      async (event) => {
        await tick(10); // slow: the transform runs ahead and buffers the next messages
        order.push(`event ${event.position}`);
      },
    );
    for (let i = 1; i <= 5; i++)
      grpc.write(grpcEvent({ streamId: 'plan', revision: BigInt(i), type: 'Rare', position: pos(i * 100) }));
    grpc.write(grpcCheckpoint(pos(5000)));
    grpc.write(grpcEvent({ streamId: 'plan', revision: 6n, type: 'Rare', position: pos(6000) }));
    grpc.write(grpcCheckpoint(pos(9000)));
    for (let i = 0; i < 100 && order.length < 8; i++) await tick(10);
    await subscription.stop();
    expect(order).toEqual([
      'event 100/100',
      'event 200/200',
      'event 300/300',
      'event 400/400',
      'event 500/500',
      'checkpoint 5000/5000',
      'event 6000/6000',
      'checkpoint 9000/9000',
    ]);
    // The server-side filter: exactly the types, with a checkpoint interval.
    const filter = seen.options!.filter!;
    expect(filter.regex).toBe('^(?:Rare)$');
    expect(filter.checkpointInterval).toBe(32);
    expect(typeof filter.checkpointReached).toBe('function');
  });

  it('without onCheckpoint, checkpoints are ignored and only events reach the handler', async () => {
    const { client, grpc, seen } = subscribingClient();
    const got: string[] = [];
    const subscription = store(client).subscribeAll({}, (event) => {
      got.push(event.position);
    });
    grpc.write(grpcCheckpoint(pos(50)));
    grpc.write(grpcEvent({ streamId: 'a', revision: 0n, type: 'A', position: pos(60) }));
    for (let i = 0; i < 50 && got.length < 1; i++) await tick(10);
    await subscription.stop();
    expect(got).toEqual(['60/60']);
    expect(seen.options!.filter!.regex).toBe('^[^$].*'); // excludeSystemEvents
    expect(seen.options!.filter!.checkpointReached).toBeUndefined();
  });

  it('an onCheckpoint failure ends the subscription like a handler failure', async () => {
    const { client, grpc } = subscribingClient();
    const subscription = store(client).subscribeAll(
      { onCheckpoint: () => Promise.reject(new Error('checkpoint write failed')) },
      () => undefined,
    );
    grpc.write(grpcCheckpoint(pos(50)));
    await expect(subscription.done).rejects.toThrow('checkpoint write failed');
  });

  it('ends with InvalidPosition when the server refuses the start position', async () => {
    const { client, grpc } = subscribingClient();
    const subscription = store(client).subscribeAll({ after: '42/42' }, () => undefined);
    await tick();
    grpc.emit(
      'error',
      Object.assign(new Error('3 INVALID_ARGUMENT: Trying to read from an invalid position.'), {
        code: 3,
        details: 'Trying to read from an invalid position.',
      }),
    );
    await expect(subscription.done).rejects.toBeInstanceOf(InvalidPosition);
  });
});
