import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/event-store/sqlite-event-store';
import type { Projection } from '../../src/projections/projection';
import { ProjectionRunner } from '../../src/projections/projection-runner';
import { SqliteReadModelStore } from '../../src/read-model/sqlite-read-model.store';
import { pending } from '../event-store/event-store.contract';

/**
 * Issue 11: several instances share one DATA_DIR. Each "instance" here has its own store
 * objects on the same files, as separate processes do.
 */
const counter: Projection = {
  name: 'counter',
  version: 1,
  collection: 'counters',
  indexes: [{ fields: { count: 1 } }],
  route: (event) => [event.streamId],
  evolve: (doc, event) => ({ count: ((doc?.count as number) ?? 0) + 1, lastType: event.type }),
};

const FAST = { registryPollMs: 20 };

describe('projection generations shared by several instances', () => {
  let dir: string;
  const closers: Array<() => Promise<void>> = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'generations-'));
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  function instance(projection: Projection = counter, options = {}) {
    const events = SqliteEventStore.open(join(dir, 'events.db'));
    const readModels = SqliteReadModelStore.open(join(dir, 'read-models.db'));
    const runner = new ProjectionRunner(events, readModels, [projection], { ...FAST, ...options });
    closers.push(async () => {
      await runner.stop();
      await events.close();
      await readModels.close();
    });
    return { events, readModels, runner };
  }

  async function seed(events: SqliteEventStore, streams = 20) {
    for (let s = 0; s < streams; s++)
      await events.append(
        `s-${s}`,
        Array.from({ length: 5 }, (_, i) => pending(`E${i}`)),
        'no_stream',
      );
  }

  /** Every stream's document counts exactly its events. */
  async function expectFolded(inst: ReturnType<typeof instance>, expected: Map<string, number>) {
    const coll = inst.runner.collectionOf('counter');
    for (const [stream, count] of expected)
      expect({ stream, count: (await inst.readModels.get(coll, stream))?.count }).toEqual({ stream, count });
  }

  async function counts(events: SqliteEventStore) {
    const all = await events.readAll({ limit: 100_000 });
    const map = new Map<string, number>();
    for (const e of all) map.set(e.streamId, (map.get(e.streamId) ?? 0) + 1);
    return map;
  }

  async function settle(...instances: Array<ReturnType<typeof instance>>) {
    const head = (await instances[0].events.headPosition())!;
    // Wait for a poll to move every instance to the active generation, then for the head.
    await new Promise((r) => setTimeout(r, 150));
    for (const inst of instances) expect(await inst.runner.waitForPosition(head, 10_000)).toBe(true);
  }

  it('a rebuild on A while B keeps applying live events loses none of them', async () => {
    const a = instance();
    const b = instance();
    await seed(a.events);
    await a.runner.start();
    await a.runner.indexed();
    await b.runner.start();
    await b.runner.indexed();
    expect(b.runner.collectionOf('counter')).toBe(a.runner.collectionOf('counter'));
    let writing = true;
    let n = 0;
    const writer = (async () => {
      while (writing) {
        const stream = `s-${n % 20}`;
        const current = await b.events.readStream(stream);
        await b.events.append(stream, [pending('Live')], current.length - 1);
        n++;
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    await new Promise((r) => setTimeout(r, 30));
    await a.runner.rebuild('counter');
    await new Promise((r) => setTimeout(r, 100));
    writing = false;
    await writer;
    expect(n).toBeGreaterThan(0);
    await settle(a, b);
    expect(b.runner.collectionOf('counter')).toBe(a.runner.collectionOf('counter'));
    const expected = await counts(a.events);
    if (process.env.DEBUG_GEN) {
      const reg = await a.readModels.getProjectionRegistry('counter');
      const gens = [reg!.active['1'], ...reg!.retired.map((r) => r.generation)];
      for (const g of gens) console.log(g, await a.readModels.get(g, 's-0'), await a.readModels.getCheckpoint(g));
      console.log(
        'head',
        await a.events.headPosition(),
        expected.get('s-0'),
        (await a.events.readStream('s-0')).map((e) => [e.revision, e.position]),
      );
      console.log(await a.runner.status(), await b.runner.status());
    }
    await expectFolded(a, expected);
    await expectFolded(b, expected);
  });

  it('two rebuilds at once keep one active generation and never drop it', async () => {
    const a = instance();
    const b = instance();
    await seed(a.events);
    await a.runner.start();
    await a.runner.indexed();
    await b.runner.start();
    await b.runner.indexed();
    let sawEmpty = false;
    let reading = true;
    const reader = (async () => {
      while (reading) {
        for (const inst of [a, b])
          if ((await inst.readModels.count(inst.runner.collectionOf('counter'), {})) !== 20) sawEmpty = true;
        await new Promise((r) => setImmediate(r));
      }
    })();
    await Promise.all([a.runner.rebuild('counter'), b.runner.rebuild('counter')]);
    await settle(a, b);
    reading = false;
    await reader;
    expect(sawEmpty).toBe(false);
    const registry = await a.readModels.getProjectionRegistry('counter');
    const active = registry!.active['1'];
    expect(a.runner.collectionOf('counter')).toBe(active);
    expect(b.runner.collectionOf('counter')).toBe(active);
    await expectFolded(a, await counts(a.events));
    // The loser's own generation is gone; the winner's and the superseded one remain.
    const tables = (a.readModels as unknown as { db: { prepare(sql: string): { all(): Array<{ name: string }> } } }).db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'rm_counters%'`)
      .all()
      .map((t) => t.name.slice(3));
    expect(tables.sort()).toEqual([active, ...registry!.retired.map((r) => r.generation)].sort());
  });

  it('a version bump in a rolling deploy: old and new code each keep a complete read model', async () => {
    const old = instance();
    await seed(old.events);
    await old.runner.start();
    await old.runner.indexed();
    const oldGeneration = old.runner.collectionOf('counter');
    const doubled: Projection = {
      ...counter,
      version: 2,
      evolve: (doc, event) => ({ count: ((doc?.count as number) ?? 0) + 2, lastType: event.type }),
    };
    const next = instance(doubled);
    await next.runner.start();
    // While version 2 builds, its readers use version 1's active generation (never empty).
    expect([oldGeneration, next.runner.collectionOf('counter')]).toContain(next.runner.collectionOf('counter'));
    // The old code keeps writing meanwhile.
    for (let s = 0; s < 20; s++) await old.events.append(`s-${s}`, [pending('Live')], 4);
    await next.runner.indexed();
    await settle(old, next);
    const registry = await old.readModels.getProjectionRegistry('counter');
    expect(registry!.active['1']).toBe(oldGeneration);
    expect(registry!.active['2']).toBe(next.runner.collectionOf('counter'));
    expect(old.runner.collectionOf('counter')).toBe(oldGeneration);
    for (let s = 0; s < 20; s++) {
      expect((await old.readModels.get(oldGeneration, `s-${s}`))?.count).toBe(6);
      expect((await next.readModels.get(next.runner.collectionOf('counter'), `s-${s}`))?.count).toBe(12);
    }
  });

  it('drops a superseded generation only after the grace period, never the active one', async () => {
    const a = instance(counter, { retiredGraceMs: 200 });
    await seed(a.events);
    await a.runner.start();
    await a.runner.indexed();
    const first = a.runner.collectionOf('counter');
    await a.runner.rebuild('counter');
    const second = a.runner.collectionOf('counter');
    expect(second).not.toBe(first);
    await new Promise((r) => setTimeout(r, 50));
    expect(await a.readModels.count(first, {})).toBe(20);
    await new Promise((r) => setTimeout(r, 400));
    expect(await a.readModels.count(first, {})).toBe(0);
    expect(await a.readModels.count(second, {})).toBe(20);
    expect((await a.readModels.getProjectionRegistry('counter'))!.retired).toEqual([]);
  });

  it('a projection of rare types reaches the head through onCheckpoint, without scanning the log itself', async () => {
    const a = instance({ ...counter, types: ['Rare'] });
    await seed(a.events);
    await a.runner.start();
    const readAll = jest.spyOn(a.events, 'readAll');
    const head = (await a.events.append('other', [pending('Common')], 'no_stream')).position;
    expect(await a.runner.waitForPosition(head, 5000)).toBe(true);
    const byRunner = readAll.mock.calls.filter(([options]) => options.limit === 1);
    expect(byRunner).toEqual([]);
    expect((await a.runner.status())[0].checkpoint).toBe(head);
  });

  it('adopts a store written before generations without rebuilding', async () => {
    const a = instance();
    await seed(a.events);
    const head = (await a.events.headPosition())!;
    await a.readModels.commit(
      'counter',
      [{ op: 'upsert', collection: 'counters', doc: { _id: 'legacy', _v: 0, count: 42 } }],
      {
        position: head,
        updatedAt: new Date().toISOString(),
      },
    );
    await a.readModels.commit('counter@version', [], { position: '1', updatedAt: new Date().toISOString() });
    await a.runner.start();
    expect(a.runner.collectionOf('counter')).toBe('counters');
    // The version is now the registry's: version 1 → the old collection, its checkpoint copied.
    const registry = await a.readModels.getProjectionRegistry('counter');
    expect(registry).toEqual({ rev: 1, active: { '1': 'counters' }, retired: [] });
    expect((await a.readModels.getCheckpoint('counters'))?.position).toBe(head);
    expect((await a.readModels.get('counters', 'legacy'))?.count).toBe(42);
    expect(await a.runner.waitForPosition(head, 1000)).toBe(true);
  });
});
