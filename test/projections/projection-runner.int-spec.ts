import { randomUUID } from 'node:crypto';
import { SqliteEventStore } from '../../src/event-store/sqlite-event-store';
import { ProjectionRunner } from '../../src/projections/projection-runner';
import type { Projection } from '../../src/projections/projection';
import { SqliteReadModelStore } from '../../src/read-model/sqlite-read-model.store';
import { pending } from '../event-store/event-store.contract';

/** Counts events per stream: easy to compare with what a full rebuild produces. */
const counter: Projection = {
  name: 'counter',
  version: 1,
  collection: 'counters',
  indexes: [{ fields: { count: 1 } }],
  route: (event) => [event.streamId],
  evolve: (doc, event) => ({ count: ((doc?.count as number) ?? 0) + 1, lastType: event.type }),
};

async function setup() {
  const events = SqliteEventStore.open(':memory:');
  const readModels = SqliteReadModelStore.open(':memory:');
  for (let s = 0; s < 20; s++) {
    await events.append(
      `s-${s}`,
      Array.from({ length: 5 }, (_, i) => pending(`E${i}`)),
      'no_stream',
    );
  }
  return { events, readModels };
}

describe('projection runner', () => {
  it('catches up, follows live, and a replay from an older checkpoint changes nothing', async () => {
    const { events, readModels } = await setup();
    const runner = new ProjectionRunner(events, readModels, [counter]);
    await runner.start();
    expect(await runner.waitForPosition((await events.headPosition())!, 5000)).toBe(true);
    await runner.indexed();
    const coll = runner.collectionOf('counter');
    expect((await readModels.get(coll, 's-3'))?.count).toBe(5);
    const live = await events.append('s-3', [pending('Live')], 4);
    expect(await runner.waitForPosition(live.position, 5000)).toBe(true);
    expect(await readModels.get(coll, 's-3')).toMatchObject({ count: 6, _v: 5, lastType: 'Live' });
    await runner.stop();

    // Simulate a crash that lost the checkpoint but not the documents: everything is replayed.
    await readModels.deleteCheckpoint(coll);
    const again = new ProjectionRunner(events, readModels, [counter]);
    await again.start();
    expect(again.collectionOf('counter')).toBe(coll);
    expect(await again.waitForPosition(live.position, 5000)).toBe(true);
    expect(await readModels.get(coll, 's-3')).toMatchObject({ count: 6, _v: 5 });
    expect((await readModels.get(coll, 's-0'))?.count).toBe(5);
    await again.stop();
    await events.close();
    await readModels.close();
  });

  it('stop() ends a rebuild still running: it settles, activates nothing, and nothing hangs', async () => {
    const { events, readModels } = await setup();
    for (let s = 0; s < 100; s++) {
      await events.append(
        `big-${s}`,
        Array.from({ length: 100 }, (_, i) => pending(`E${i}`)),
        'no_stream',
      );
    }
    const runner = new ProjectionRunner(events, readModels, [counter]);
    await runner.start();
    expect(await runner.waitForPosition((await events.headPosition())!, 10_000)).toBe(true);
    await runner.indexed();
    const serving = runner.collectionOf('counter');
    const rebuild = runner.rebuild('counter');
    await runner.stop();
    // Before the fix the rebuild waited for its stopped subscription forever.
    await expect(rebuild).resolves.toBeUndefined();
    expect(runner.collectionOf('counter')).toBe(serving);
    expect((await readModels.getProjectionRegistry('counter'))?.active['1']).toBe(serving);
    await expect(runner.rebuild('counter')).resolves.toBeUndefined(); // after stop: nothing starts
    await events.close();
    await readModels.close();
  });

  it('rebuilds into a fresh collection while the old one keeps serving, then swaps', async () => {
    const { events, readModels } = await setup();
    const runner = new ProjectionRunner(events, readModels, [counter]);
    await runner.start();
    await runner.waitForPosition((await events.headPosition())!, 5000);
    await runner.indexed();
    const old = runner.collectionOf('counter');
    // Corrupt a document as a buggy old projection version might have left it.
    await readModels.commit(old, [{ op: 'upsert', collection: old, doc: { _id: 's-7', _v: 99, count: -1 } }], {
      position: (await events.headPosition())!,
      updatedAt: new Date().toISOString(),
    });
    let sawEmpty = false;
    let reading = true;
    const reader = (async () => {
      while (reading) {
        if ((await readModels.count(runner.collectionOf('counter'), {})) === 0) sawEmpty = true;
        await new Promise((r) => setImmediate(r));
      }
    })();
    const rebuilding = runner.rebuild('counter');
    await events.append(`s-${randomUUID()}`, [pending('DuringRebuild')], 'no_stream');
    await rebuilding;
    const head = (await events.headPosition())!;
    expect(await runner.waitForPosition(head, 5000)).toBe(true);
    reading = false;
    await reader;
    expect(sawEmpty).toBe(false);
    const fresh = runner.collectionOf('counter');
    expect(fresh).not.toBe(old);
    expect(await readModels.get(fresh, 's-7')).toMatchObject({ count: 5, _v: 4 });
    expect(await readModels.count(fresh, {})).toBe(21);
    expect((await runner.status())[0]).toMatchObject({ name: 'counter', state: 'running', lagEvents: 0 });
    await runner.stop();
    await events.close();
    await readModels.close();
  });
});
