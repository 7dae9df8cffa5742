import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectDecider, projectStreamId, registrationOf, type ProjectEvent } from '../../src/domain';
import type { EventStore } from '../../src/event-store/event-store.port';
import { ProjectStreamCache } from '../../src/audit/stream-cache';
import { SqliteEventStore } from '../../src/event-store/sqlite-event-store';
import { pending } from '../event-store/event-store.contract';
import { H, PID, c, command, play } from '../domain/fixtures';

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value as object)) deepFreeze(member);
  }
  return value;
}

describe('project stream cache (history and point-in-time state)', () => {
  it('folds from snapshots to exactly the state a full fold gives, and picks up appended events', async () => {
    const store = SqliteEventStore.open(':memory:');
    // Compliance checks can be recorded again and again: 250 of them cross two snapshots.
    const checks = Array.from({ length: 250 }, (_, i) =>
      command('RecordCompliance', {
        sharesData: i % 3 !== 0,
        duplicateCollection: false,
        inCatalogue: true,
        cryptoAssessmentPassed: true,
        securityAssessmentPassed: i % 5 !== 0,
        majorSecurityHazard: false,
      }),
    );
    const events = play(checks, H.underConstruction());
    expect(events.length).toBeGreaterThan(250);
    const toPending = (list: ProjectEvent[]) => list.map((e) => pending(e.type, e.data as Record<string, unknown>));
    await store.append(projectStreamId(PID), toPending(events), 'no_stream');
    const cache = new ProjectStreamCache(store);
    const full = (n: number) => events.slice(0, n).reduce(projectDecider.evolve, projectDecider.initialState());
    for (const n of [1, 5, 99, 100, 101, 205, events.length]) {
      const state = await cache.stateAfter(PID, n);
      deepFreeze(state); // snapshots are shared: evolve must never mutate what it is given
      expect(state).toEqual(full(n));
    }
    // Folding on from frozen snapshots still works (evolve returns new objects).
    expect(await cache.stateAfter(PID, events.length)).toEqual(full(events.length));

    const more = play([c.order('r-9')], events).slice(events.length);
    await store.append(projectStreamId(PID), toPending(more), events.length - 1);
    expect((await cache.events(PID)).length).toBe(events.length + more.length);
    const history = JSON.parse((await cache.historyJson(PID)).json);
    expect(history.events).toHaveLength(events.length + more.length);
    expect(history.revision).toBe(events.length + more.length - 1);
    await store.close();
  });

  it('holds at most maxEvents events, dropping the least recently used stream first', async () => {
    const store = SqliteEventStore.open(':memory:');
    try {
      const events = play([], H.underConstruction());
      const n = events.length;
      for (const id of ['a', 'b', 'c', 'huge']) {
        const copies = id === 'huge' ? [...events, ...events, ...events] : events;
        await store.append(
          projectStreamId(id),
          copies.map((e) => pending(e.type, e.data as Record<string, unknown>)),
          'no_stream',
        );
      }
      const cache = new ProjectStreamCache(store, 2 * n);
      const reads = jest.spyOn(store, 'readStreamText');
      const readFrom = async (id: string) => {
        reads.mockClear();
        await cache.events(id);
        return (reads.mock.calls[0][1] as { fromRevision?: number }).fromRevision;
      };
      // A stream read from 0 was not cached; one read from n had only its new events read.
      expect([await readFrom('a'), await readFrom('b'), await readFrom('a')]).toEqual([0, 0, n]);
      expect(await readFrom('c')).toBe(0); // 3n events > 2n: b, the least recently used, goes
      expect([await readFrom('a'), await readFrom('c'), await readFrom('b')]).toEqual([n, n, 0]);
      // A stream longer than the whole budget is answered but not kept (and evicts nothing).
      expect([await readFrom('huge'), await readFrom('huge'), await readFrom('b')]).toEqual([0, 0, n]);
      reads.mockRestore();
    } finally {
      await store.close();
    }
  });

  it(
    'never answers from a cached event that is no longer what is stored, ' + 'with or without a storage version',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ordos-cache-'));
      const store = SqliteEventStore.open(join(dir, 'events.db'));
      try {
        const checks = Array.from({ length: 150 }, (_, i) =>
          command('RecordCompliance', {
            sharesData: true,
            duplicateCollection: false,
            inCatalogue: true,
            cryptoAssessmentPassed: true,
            securityAssessmentPassed: i % 2 === 0,
            majorSecurityHazard: false,
          }),
        );
        const events = play(checks, H.underConstruction());
        await store.append(
          projectStreamId(PID),
          events.map((e) => pending(e.type, e.data as Record<string, unknown>)),
          'no_stream',
        );
        // The SQLite adapter as is (storageVersion + text reads), and one offering neither (as an
        // adapter without them would): both must see the edit.
        const bare: EventStore = {
          ...store,
          readStream: store.readStream.bind(store),
          readStreamText: undefined,
          storageVersion: undefined,
        } as unknown as EventStore;
        const caches = [new ProjectStreamCache(store), new ProjectStreamCache(bare)];
        for (const cache of caches) {
          expect((await cache.events(PID))[0].data).toMatchObject({ projectId: PID });
          await cache.stateAfter(PID, events.length);
        }
        const raw = new Database(join(dir, 'events.db'));
        raw.exec('DROP TRIGGER events_no_update');
        raw.prepare("UPDATE events SET data = json_set(data, '$.name', '改过') WHERE revision = 0").run();
        raw.close();
        for (const cache of caches) {
          expect((await cache.events(PID))[0].data).toMatchObject({ name: '改过' });
          expect(JSON.parse((await cache.historyJson(PID)).json).events[0].data.name).toBe('改过');
          expect(registrationOf(await cache.stateAfter(PID, events.length))?.name).toBe('改过');
          expect(registrationOf(await cache.stateAfter(PID, 1))?.name).toBe('改过');
        }
      } finally {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
