import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '../../src/event-store/sqlite-event-store';
import { StoreUnavailable } from '../../src/event-store/event-store.port';
import { eventStoreContract, pending } from './event-store.contract';

const dir = mkdtempSync(join(tmpdir(), 'ordos-es-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

eventStoreContract('SQLite in memory', async () => SqliteEventStore.open(':memory:'));
eventStoreContract('SQLite file (WAL)', async () => SqliteEventStore.open(join(dir, 'contract.db')));

describe('SQLite event store specifics', () => {
  it('keeps every appended event across a reopen of the file', async () => {
    const file = join(dir, 'reopen.db');
    const first = SqliteEventStore.open(file);
    await first.append('project-1', [pending('A'), pending('B')], 'no_stream');
    await first.close();
    const second = SqliteEventStore.open(file);
    expect((await second.readStream('project-1')).map((e) => e.type)).toEqual(['A', 'B']);
    await second.append('project-1', [pending('C')], 1);
    await second.close();
  });

  it('refuses updates and deletes of stored events at the database level', async () => {
    const file = join(dir, 'immutable.db');
    const store = SqliteEventStore.open(file);
    await store.append('project-2', [pending('A')], 'no_stream');
    await store.close();
    const raw = new Database(file);
    expect(() => raw.prepare("UPDATE events SET data = '{}'").run()).toThrow(/immutable/);
    expect(() => raw.prepare('DELETE FROM events').run()).toThrow(/immutable/);
    raw.close();
  });

  it('notices events appended by another process (another connection) while idle', async () => {
    const file = join(dir, 'foreign.db');
    const reader = SqliteEventStore.open(file, { crossProcessPollMs: 20 });
    const writer = SqliteEventStore.open(file);
    const seen: string[] = [];
    const subscription = reader.subscribeAll({}, (event) => {
      seen.push(event.type);
    });
    await writer.append('project-3', [pending('FromElsewhere')], 'no_stream');
    for (let i = 0; i < 200 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    await subscription.stop();
    expect(seen).toEqual(['FromElsewhere']);
    await writer.close();
    await reader.close();
  });

  it('group-commits concurrent appends to different streams, each with its own check', async () => {
    const store = SqliteEventStore.open(':memory:');
    const results = await Promise.allSettled([
      ...Array.from({ length: 50 }, (_, i) => store.append(`s-${i}`, [pending('A')], 'no_stream')),
      store.append('s-0', [pending('Dup')], 'no_stream'),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(50);
    expect(results[50].status).toBe('rejected');
    expect(await store.readStream('s-0')).toHaveLength(1);
    await store.close();
  });

  it('answers StoreUnavailable after close instead of a driver error', async () => {
    const store = SqliteEventStore.open(':memory:');
    await store.close();
    await expect(store.append('x', [pending('A')], 'any')).rejects.toBeInstanceOf(StoreUnavailable);
    await expect(store.readStream('x')).rejects.toBeInstanceOf(StoreUnavailable);
  });
});
