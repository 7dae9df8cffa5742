import { randomUUID } from 'node:crypto';
import { GENESIS_HASH, verifyChain, type PendingEvent } from '../../src/event-store/envelope';
import { RevisionConflict, type EventStore, type StoredEvent } from '../../src/event-store/event-store.port';
import { comparePositions, parsePosition } from '../../src/event-store/position';

export function pending(type: string, data: Record<string, unknown> = {}): PendingEvent {
  return {
    type,
    data,
    metadata: {
      eventId: randomUUID(),
      occurredAt: new Date().toISOString(),
      actor: { sub: 'u1', name: 'Tester', role: 'OFFICE' },
      correlationId: randomUUID(),
      causationId: randomUUID(),
      policy: 'ordos-2020',
      schemaVersion: 1,
    },
  };
}

async function eventually<T>(check: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * The behaviour every event-store adapter must show. Stream ids and event types are unique per
 * run, so the suite also runs against a shared EventStoreDB that cannot be wiped.
 */
export function eventStoreContract(name: string, make: () => Promise<EventStore>): void {
  describe(`EventStore contract: ${name}`, () => {
    let store: EventStore;
    const run = randomUUID().slice(0, 8);
    const stream = (label: string) => `test_${run}-${label}`;
    const type = (label: string) => `T${run}${label}`;

    beforeAll(async () => {
      store = await make();
    });
    afterAll(async () => {
      await store?.close();
    });

    it('appends to a new stream with no_stream and reads it back in order', async () => {
      const id = stream('a');
      const result = await store.append(id, [pending('Created', { n: 1 }), pending('Renamed', { n: 2 })], 'no_stream');
      expect(result.nextRevision).toBe(1);
      const events = await store.readStream(id);
      expect(events.map((e) => [e.revision, e.type, e.data.n])).toEqual([
        [0, 'Created', 1],
        [1, 'Renamed', 2],
      ]);
      expect(events[1].position).toBe(result.position);
      expect(comparePositions(events[0].position, events[1].position)).toBe(-1);
    });

    it("reads a stream's newest event alone, and nothing for an unknown stream", async () => {
      const id = stream('last');
      await store.append(id, [pending('Created', { n: 1 }), pending('Renamed', { n: 2 })], 'no_stream');
      const result = await store.append(id, [pending('Closed', { n: 3 })], 1);
      const last = await store.readLastEvent?.(id);
      expect(last).toMatchObject({
        streamId: id,
        revision: 2,
        type: 'Closed',
        data: { n: 3 },
        position: result.position,
      });
      expect(await store.readLastEvent?.(stream('never'))).toBeUndefined();
    });

    it('refuses no_stream on an existing stream with a typed RevisionConflict', async () => {
      const id = stream('b');
      await store.append(id, [pending('Created')], 'no_stream');
      await expect(store.append(id, [pending('Again')], 'no_stream')).rejects.toBeInstanceOf(RevisionConflict);
    });

    it('appends with an exact expected revision and refuses a stale one', async () => {
      const id = stream('c');
      await store.append(id, [pending('Created')], 'no_stream');
      const next = await store.append(id, [pending('Changed')], 0);
      expect(next.nextRevision).toBe(1);
      const conflict = await store.append(id, [pending('Stale')], 0).catch((e: unknown) => e);
      expect(conflict).toBeInstanceOf(RevisionConflict);
      expect((conflict as RevisionConflict).actual).toBe(1);
      expect((await store.readStream(id)).map((e) => e.type)).toEqual(['Created', 'Changed']);
    });

    it('refuses an exact revision on a stream that does not exist', async () => {
      await expect(store.append(stream('missing'), [pending('X')], 0)).rejects.toBeInstanceOf(RevisionConflict);
    });

    it('lets exactly one of many concurrent appends with the same expectation win', async () => {
      const id = stream('race');
      await store.append(id, [pending('Created')], 'no_stream');
      const outcomes = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) => store.append(id, [pending('Approved', { i })], 0)),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      for (const o of outcomes.filter((o) => o.status === 'rejected')) {
        expect((o as PromiseRejectedResult).reason).toBeInstanceOf(RevisionConflict);
      }
      expect(await store.readStream(id)).toHaveLength(2);
    });

    it("appends with 'any' whatever the head is", async () => {
      const id = stream('any');
      await store.append(id, [pending('One')], 'any');
      await store.append(id, [pending('Two')], 'any');
      expect((await store.readStream(id)).map((e) => e.revision)).toEqual([0, 1]);
    });

    it('reads a revision range and an unknown stream as empty', async () => {
      const id = stream('range');
      await store.append(
        id,
        ['A', 'B', 'C', 'D'].map((t) => pending(t)),
        'no_stream',
      );
      const middle = await store.readStream(id, { fromRevision: 1, toRevision: 2 });
      expect(middle.map((e) => e.type)).toEqual(['B', 'C']);
      expect(await store.readStream(stream('nothing'))).toEqual([]);
    });

    it('chains hashes across appends so the stream verifies, and detects tampering', async () => {
      const id = stream('chain');
      await store.append(id, [pending('A', { amountFen: 1 }), pending('B')], 'no_stream');
      await store.append(id, [pending('C', { text: '鄂尔多斯' })], 1);
      const events = await store.readStream(id);
      expect(events[0].metadata.prevHash).toBe(GENESIS_HASH);
      expect(events[1].metadata.prevHash).toBe(events[0].metadata.hash);
      expect(events[2].metadata.prevHash).toBe(events[1].metadata.hash);
      expect(verifyChain(events)).toEqual({ ok: true, checked: 3 });
      const tampered: StoredEvent[] = events.map((e) => ({ ...e }));
      tampered[1] = { ...tampered[1], data: { forged: true } };
      expect(verifyChain(tampered).brokenAt).toMatchObject({ revision: 1, reason: 'HASH_MISMATCH' });
      expect(verifyChain([events[0], { ...events[2], revision: 1 }]).ok).toBe(false);
    });

    it('reads all forward from a position with a limit and a type filter', async () => {
      const id = stream('all');
      const t1 = type('One');
      const t2 = type('Two');
      const first = await store.append(id, [pending(t1, { i: 0 })], 'no_stream');
      await store.append(id, [pending(t2, { i: 1 }), pending(t1, { i: 2 }), pending(t2, { i: 3 })], 0);
      const filtered = await store.readAll({ after: first.position, limit: 10, types: [t2] });
      expect(filtered.map((e) => e.data.i)).toEqual([1, 3]);
      const ours = (await store.readAll({ after: first.position, limit: 1000 })).filter((e) => e.streamId === id);
      expect(ours.map((e) => e.data.i)).toEqual([1, 2, 3]);
      const limited = await store.readAll({ after: first.position, limit: 1, types: [t1, t2] });
      expect(limited.map((e) => e.data.i)).toEqual([1]);
      const head = await store.headPosition();
      expect(head).toBeDefined();
      expect(comparePositions(head!, first.position)).toBeGreaterThan(0);
    });

    it('subscribes: catches up from a position, then receives live events in order, then stops', async () => {
      const id = stream('sub');
      const t = type('Sub');
      const start = await store.append(id, [pending(t, { i: 0 })], 'no_stream');
      await store.append(id, [pending(t, { i: 1 }), pending(t, { i: 2 })], 0);
      const seen: number[] = [];
      const subscription = store.subscribeAll({ after: start.position, types: [t] }, async (event) => {
        await new Promise((r) => setTimeout(r, 1)); // a slow handler must not reorder anything
        seen.push(event.data.i as number);
      });
      await eventually(() => (seen.length >= 2 ? true : undefined));
      await store.append(id, [pending(t, { i: 3 })], 2);
      await store.append(id, [pending(t, { i: 4 })], 3);
      await eventually(() => (seen.length >= 4 ? true : undefined));
      await subscription.stop();
      await store.append(id, [pending(t, { i: 5 })], 4);
      await new Promise((r) => setTimeout(r, 100));
      expect(seen).toEqual([1, 2, 3, 4]);
    });

    it('checkPosition accepts the positions it issued and the start, refuses others', async () => {
      const id = stream('pos');
      const first = await store.append(id, [pending('Created')], 'no_stream');
      const second = await store.append(id, [pending('Changed'), pending('Changed')], 0);
      const events = await store.readStream(id);
      for (const event of events) expect(await store.checkPosition(event.position)).toBe(true);
      expect(await store.checkPosition(first.position)).toBe(true);
      expect(await store.checkPosition(second.position)).toBe(true);
      expect(await store.checkPosition('0')).toBe(true); // the API's "from the beginning"
      // Malformed, and a well-formed position of the other store kind.
      for (const bad of ['', 'abc', '-1', '1/2/3', ' 1', '1e3']) expect(await store.checkPosition(bad)).toBe(false);
      const esdbKind = second.position.includes('/');
      expect(await store.checkPosition(esdbKind ? '42' : '42/42')).toBe(false);
      // Beyond the head: never issued.
      const { commit, prepare } = parsePosition(second.position);
      const beyond = esdbKind ? `${commit + 10n ** 12n}/${prepare + 10n ** 12n}` : String(commit + 10n ** 12n);
      expect(await store.checkPosition(beyond)).toBe(false);
      if (esdbKind) {
        // Inside the log but not where an event starts.
        expect(await store.checkPosition(`${commit + 1n}/${prepare + 1n}`)).toBe(false);
      }
    });

    it('scanAll pages a type filter to the end and says where it stopped', async () => {
      const id = stream('scan');
      const rare = type('Rare');
      const start = await store.append(
        id,
        [pending('Common'), pending(rare, { i: 1 }), pending('Common')],
        'no_stream',
      );
      await store.append(id, [pending('Common'), pending(rare, { i: 2 })], 2);
      const before = (await store.readStream(id))[0].position;
      const found: number[] = [];
      let after: string | undefined = before;
      for (let calls = 0; calls < 1000; calls++) {
        const page = await store.scanAll({ after, limit: 1, types: [rare], maxScan: 2 });
        found.push(...page.events.map((e) => e.data.i as number));
        if (page.end) break;
        expect(page.scannedTo).toBeDefined();
        expect(comparePositions(page.scannedTo!, after!)).toBeGreaterThan(0);
        after = page.scannedTo;
      }
      expect(found).toEqual([1, 2]);
      expect(start.nextRevision).toBe(2);
    });

    it('keeps stored data exactly, including Chinese text and large integers', async () => {
      const id = stream('data');
      const data = {
        name: '数字鄂尔多斯 政务云',
        amountFen: Number.MAX_SAFE_INTEGER,
        nested: { list: [1, 'a', null] },
      };
      await store.append(id, [pending('Stored', data)], 'no_stream');
      const [event] = await store.readStream(id);
      expect(event.data).toEqual(data);
      expect(event.metadata.actor).toEqual({ sub: 'u1', name: 'Tester', role: 'OFFICE' });
    });
  });
}
