import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { SqliteEventStore } from '../src/event-store/sqlite-event-store';
import { pendingEvent } from './util';

/**
 * The same append-and-read-back workload on Emmett's SQLite event store and on ours: `streams`
 * streams, each receiving `appends` appends of 2 events with an exact expected version, from
 * `concurrency` concurrent callers; then every stream read back in full. Emmett is used as its
 * README shows (getSQLiteEventStore({ fileName }), appendToStream, readStream).
 */
export async function peerComparison(dir: string, streams: number, appends: number, concurrency: number) {
  const ours = await runOurs(join(dir, 'ours.db'), streams, appends, concurrency);
  const emmett = await runEmmett(join(dir, 'emmett.db'), streams, appends, concurrency);
  return {
    workload: { streams, appendsPerStream: appends, eventsPerAppend: 2, concurrency },
    ours,
    emmett,
    appendRatio: Math.round((ours.appendEventsPerSecond / emmett.appendEventsPerSecond) * 100) / 100,
    readRatio: Math.round((ours.readEventsPerSecond / emmett.readEventsPerSecond) * 100) / 100,
  };
}

async function drive(
  streams: string[],
  appends: number,
  concurrency: number,
  appendOne: (stream: string, revision: number) => Promise<unknown>,
) {
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= streams.length) return;
      for (let a = 0; a < appends; a++) await appendOne(streams[i], a);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

async function runOurs(file: string, count: number, appends: number, concurrency: number) {
  const store = SqliteEventStore.open(file);
  const streams = Array.from({ length: count }, () => `peer-${randomUUID()}`);
  let t = process.hrtime.bigint();
  await drive(streams, appends, concurrency, (stream, a) =>
    store.append(
      stream,
      [pendingEvent('ItemAdded', { a, n: 0 }), pendingEvent('ItemAdded', { a, n: 1 })],
      a === 0 ? 'no_stream' : a * 2 - 1,
    ),
  );
  const appendSeconds = Number(process.hrtime.bigint() - t) / 1e9;
  t = process.hrtime.bigint();
  let read = 0;
  for (const stream of streams) read += (await store.readStream(stream)).length;
  const readSeconds = Number(process.hrtime.bigint() - t) / 1e9;
  await store.close();
  const events = count * appends * 2;
  return {
    appendEventsPerSecond: Math.round(events / appendSeconds),
    readEventsPerSecond: Math.round(read / readSeconds),
    events,
    read,
  };
}

async function runEmmett(file: string, count: number, appends: number, concurrency: number) {
  // Loaded lazily: a dev dependency used by the benchmark only.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { getSQLiteEventStore } = require('@event-driven-io/emmett-sqlite') as {
    getSQLiteEventStore(options: { fileName: string }): {
      appendToStream(
        stream: string,
        events: Array<{ type: string; data: unknown }>,
        options?: { expectedStreamVersion?: bigint },
      ): Promise<unknown>;
      readStream(stream: string): Promise<{ events: unknown[] }>;
    };
  };
  const store = getSQLiteEventStore({ fileName: file });
  const streams = Array.from({ length: count }, () => `peer-${randomUUID()}`);
  // Emmett 0.38 intermittently answers SQLITE_BUSY ("SQL statements in progress") even to one
  // caller at a time; such calls are retried (and counted), their time included.
  let busyRetries = 0;
  const retryBusy = async <T>(call: () => Promise<T>): Promise<T> => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        if ((error as { code?: string }).code !== 'SQLITE_BUSY' || attempt >= 20) throw error;
        busyRetries++;
        await new Promise((r) => setTimeout(r, 1));
      }
    }
  };
  let t = process.hrtime.bigint();
  await drive(streams, appends, concurrency, (stream, a) =>
    retryBusy(() =>
      store.appendToStream(
        stream,
        [
          { type: 'ItemAdded', data: { a, n: 0 } },
          { type: 'ItemAdded', data: { a, n: 1 } },
        ],
        { expectedStreamVersion: BigInt(a * 2) },
      ),
    ),
  );
  const appendSeconds = Number(process.hrtime.bigint() - t) / 1e9;
  t = process.hrtime.bigint();
  let read = 0;
  for (const stream of streams) read += (await retryBusy(() => store.readStream(stream))).events.length;
  const readSeconds = Number(process.hrtime.bigint() - t) / 1e9;
  const events = count * appends * 2;
  return {
    appendEventsPerSecond: Math.round(events / appendSeconds),
    readEventsPerSecond: Math.round(read / readSeconds),
    events,
    read,
    busyRetries,
  };
}
