import type {
  Checkpoint,
  Doc,
  DocChange,
  FieldCondition,
  IndexSpec,
  ReadModelStore,
} from '../../src/read-model/read-model.port';

/**
 * The behaviour every ReadModelStore adapter must share. Each test writes into its own
 * collection (and projection) named from `collectionPrefix`, so a suite can run against a
 * shared server that cannot be wiped; everything used is dropped again in afterAll.
 */
export interface ReadModelFixture {
  store: ReadModelStore;
  /** Unique per run; must start with a letter and contain only [A-Za-z0-9_]. */
  collectionPrefix: string;
}

export interface ReadModelContractOptions {
  /** The adapter commits documents and checkpoint in one transaction (SQLite). */
  atomicCommit?: boolean;
}

const PROJECTS: Doc[] = [
  {
    _id: 'p1',
    _v: 1,
    name: '鄂尔多斯市政务云平台建设项目',
    status: 'approved',
    budget: 120,
    owner: { org: 'Dongsheng', level: 2 },
    tags: ['cloud', 'gov'],
    active: true,
  },
  {
    _id: 'p2',
    _v: 1,
    name: 'Ordos Data Center',
    status: 'draft',
    budget: 80,
    owner: { org: 'Kangbashi', level: 1 },
    tags: ['data'],
    active: false,
  },
  {
    _id: 'p3',
    _v: 3,
    name: 'ORDOS smart city 鄂尔多斯',
    status: 'approved',
    budget: 300,
    owner: { org: 'Dongsheng', level: 1 },
    tags: [],
    note: null,
  },
  {
    _id: 'p4',
    _v: 2,
    name: '包头市项目',
    status: 'rejected',
    budget: 50,
    owner: { org: 'Baotou', level: 3 },
    tags: ['gov'],
  },
  {
    _id: 'p5',
    _v: 1,
    name: 'Archive (legacy) 50%_done.*',
    status: 'draft',
    budget: 0,
    owner: { org: 'Kangbashi', level: 2 },
    note: 'x',
  },
];

const ids = (docs: readonly Doc[]): string[] => docs.map((doc) => doc._id);
const sorted = (docs: readonly Doc[]): string[] => ids(docs).sort();
const at = (position: string): Checkpoint => ({ position, updatedAt: '2024-05-01T00:00:00.000Z' });

export function readModelContract(
  name: string,
  make: () => Promise<ReadModelFixture>,
  teardown?: (fixture: ReadModelFixture) => Promise<void>,
  options: ReadModelContractOptions = {},
): void {
  describe(`ReadModelStore contract: ${name}`, () => {
    let fixture: ReadModelFixture;
    let store: ReadModelStore;
    const usedCollections = new Set<string>();
    const usedProjections = new Set<string>();
    let counter = 0;

    /** A fresh collection (and projection) name for one test. */
    const fresh = (): { coll: string; proj: string } => {
      counter += 1;
      const coll = `${fixture.collectionPrefix}c${counter}`;
      const proj = `${fixture.collectionPrefix}proj${counter}`;
      usedCollections.add(coll);
      usedProjections.add(proj);
      return { coll, proj };
    };

    let position = 0;
    const upserts = (collection: string, docs: readonly Doc[]): DocChange[] =>
      docs.map((doc) => ({ op: 'upsert', collection, doc }));
    const write = async (proj: string, changes: readonly DocChange[]): Promise<void> => {
      position += 1;
      await store.commit(proj, changes, at(String(position)));
    };
    const seed = async (): Promise<{ coll: string; proj: string }> => {
      const names = fresh();
      await write(names.proj, upserts(names.coll, PROJECTS));
      return names;
    };

    beforeAll(async () => {
      fixture = await make();
      store = fixture.store;
    });

    afterAll(async () => {
      if (!fixture) return;
      for (const coll of usedCollections) await store.dropCollection(coll).catch(() => undefined);
      for (const proj of usedProjections) await store.deleteCheckpoint(proj).catch(() => undefined);
      if (teardown) await teardown(fixture);
      else await store.close();
    });

    test('ping answers', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    describe('documents', () => {
      test('get returns the stored document, null when absent; unknown collections read as empty', async () => {
        const { coll } = await seed();
        expect(await store.get(coll, 'p1')).toEqual(PROJECTS[0]);
        expect(await store.get(coll, 'nope')).toBeNull();
        const { coll: empty } = fresh();
        expect(await store.get(empty, 'p1')).toBeNull();
        expect(await store.find(empty, {})).toEqual([]);
        expect(await store.count(empty, {})).toBe(0);
        expect(await store.group(empty, {}, 'status', [])).toEqual([]);
        expect(await store.getMany(empty, ['p1'])).toEqual([]);
      });

      test('getMany returns found documents in the order asked, skipping missing ids', async () => {
        const { coll } = await seed();
        expect(ids(await store.getMany(coll, ['p3', 'missing', 'p1', 'p3']))).toEqual(['p3', 'p1']);
        expect(await store.getMany(coll, [])).toEqual([]);
      });

      test('upsert replaces the whole document with a higher _v', async () => {
        const { coll, proj } = await seed();
        await write(proj, upserts(coll, [{ _id: 'p1', _v: 2, name: 'renamed' }]));
        expect(await store.get(coll, 'p1')).toEqual({ _id: 'p1', _v: 2, name: 'renamed' });
      });

      test('delete removes a document when its _v is higher than the stored one', async () => {
        const { coll, proj } = await seed();
        await write(proj, [{ op: 'delete', collection: coll, id: 'p2', _v: 2 }]);
        expect(await store.get(coll, 'p2')).toBeNull();
        expect(await store.count(coll, {})).toBe(4);
        // Deleting what is not there is a no-op.
        await write(proj, [{ op: 'delete', collection: coll, id: 'ghost', _v: 9 }]);
      });

      test('one commit can write several collections', async () => {
        const a = fresh();
        const b = fresh();
        await write(a.proj, [...upserts(a.coll, [PROJECTS[0]]), ...upserts(b.coll, [PROJECTS[1]])]);
        expect(ids(await store.find(a.coll, {}))).toEqual(['p1']);
        expect(ids(await store.find(b.coll, {}))).toEqual(['p2']);
      });
    });

    describe('filters', () => {
      let coll: string;
      beforeAll(async () => {
        ({ coll } = await seed());
      });

      test('empty filter matches everything', async () => {
        expect(sorted(await store.find(coll, {}))).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']);
      });

      test('equality on a scalar, a dotted path, a boolean and _id', async () => {
        expect(sorted(await store.find(coll, { status: 'approved' }))).toEqual(['p1', 'p3']);
        expect(sorted(await store.find(coll, { 'owner.org': 'Kangbashi' }))).toEqual(['p2', 'p5']);
        expect(sorted(await store.find(coll, { 'owner.level': 1 }))).toEqual(['p2', 'p3']);
        expect(sorted(await store.find(coll, { active: true }))).toEqual(['p1']);
        expect(sorted(await store.find(coll, { _id: 'p4' }))).toEqual(['p4']);
        expect(sorted(await store.find(coll, { status: 'approved', 'owner.level': 2 }))).toEqual(['p1']);
      });

      test('equality on an array field means "contains this element"', async () => {
        expect(sorted(await store.find(coll, { tags: 'gov' }))).toEqual(['p1', 'p4']);
        expect(sorted(await store.find(coll, { tags: { $eq: 'data' } }))).toEqual(['p2']);
        expect(await store.find(coll, { tags: 'none' })).toEqual([]);
      });

      test('equality with null matches absent and null fields', async () => {
        expect(sorted(await store.find(coll, { note: null }))).toEqual(['p1', 'p2', 'p3', 'p4']);
      });

      test('$ne also matches documents without the field', async () => {
        expect(sorted(await store.find(coll, { status: { $ne: 'approved' } }))).toEqual(['p2', 'p4', 'p5']);
        expect(sorted(await store.find(coll, { note: { $ne: 'x' } }))).toEqual(['p1', 'p2', 'p3', 'p4']);
        expect(sorted(await store.find(coll, { note: { $ne: null } }))).toEqual(['p5']);
        expect(sorted(await store.find(coll, { tags: { $ne: 'gov' } }))).toEqual(['p2', 'p3', 'p5']);
      });

      test('$gt $gte $lt $lte on numbers, dotted paths and strings', async () => {
        expect(sorted(await store.find(coll, { budget: { $gt: 80 } }))).toEqual(['p1', 'p3']);
        expect(sorted(await store.find(coll, { budget: { $gte: 80 } }))).toEqual(['p1', 'p2', 'p3']);
        expect(sorted(await store.find(coll, { budget: { $lt: 50 } }))).toEqual(['p5']);
        expect(sorted(await store.find(coll, { budget: { $lte: 50 } }))).toEqual(['p4', 'p5']);
        expect(sorted(await store.find(coll, { budget: { $gte: 50, $lte: 120 } }))).toEqual(['p1', 'p2', 'p4']);
        expect(sorted(await store.find(coll, { 'owner.level': { $gte: 2 } }))).toEqual(['p1', 'p4', 'p5']);
        expect(sorted(await store.find(coll, { status: { $gt: 'draft' } }))).toEqual(['p4']);
        expect(sorted(await store.find(coll, { status: { $lte: 'draft' } }))).toEqual(['p1', 'p2', 'p3', 'p5']);
      });

      test('range operators compare only values of the bound’s type', async () => {
        const { coll: mixed, proj } = fresh();
        await write(
          proj,
          upserts(mixed, [
            { _id: 'n', _v: 1, x: 5 },
            { _id: 's', _v: 1, x: 'abc' },
            { _id: 'z', _v: 1 },
          ]),
        );
        expect(ids(await store.find(mixed, { x: { $gt: 1 } }))).toEqual(['n']);
        expect(ids(await store.find(mixed, { x: { $lt: 100 } }))).toEqual(['n']);
        expect(ids(await store.find(mixed, { x: { $gte: 'a' } }))).toEqual(['s']);
        expect(ids(await store.find(mixed, { x: { $lt: 'zzz' } }))).toEqual(['s']);
      });

      test('$in on scalars, arrays and null', async () => {
        expect(sorted(await store.find(coll, { status: { $in: ['draft', 'rejected'] } }))).toEqual(['p2', 'p4', 'p5']);
        expect(sorted(await store.find(coll, { tags: { $in: ['cloud', 'data'] } }))).toEqual(['p1', 'p2']);
        expect(sorted(await store.find(coll, { budget: { $in: [0, 300] } }))).toEqual(['p3', 'p5']);
        expect(sorted(await store.find(coll, { note: { $in: ['x', null] } }))).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']);
        expect(await store.find(coll, { status: { $in: [] } })).toEqual([]);
      });

      test('$contains is a case-insensitive substring match, Chinese included', async () => {
        expect(sorted(await store.find(coll, { name: { $contains: '鄂尔多斯' } }))).toEqual(['p1', 'p3']);
        expect(sorted(await store.find(coll, { name: { $contains: '政务云' } }))).toEqual(['p1']);
        expect(sorted(await store.find(coll, { name: { $contains: 'ordos' } }))).toEqual(['p2', 'p3']);
        expect(sorted(await store.find(coll, { name: { $contains: 'DATA cen' } }))).toEqual(['p2']);
        // Wildcards of LIKE and regular expressions are literals.
        expect(sorted(await store.find(coll, { name: { $contains: '(legacy) 50%_done.*' } }))).toEqual(['p5']);
        expect(await store.find(coll, { name: { $contains: '%' } })).toHaveLength(1);
        expect(await store.find(coll, { name: { $contains: '.+' } })).toEqual([]);
        expect(await store.find(coll, { name: { $contains: 'Ordos_' } })).toEqual([]);
        // Numbers are not text.
        expect(await store.find(coll, { budget: { $contains: '12' } })).toEqual([]);
        expect(sorted(await store.find(coll, { 'owner.org': { $contains: 'SHENG' } }))).toEqual(['p1', 'p3']);
      });

      test('$contains folds case beyond ASCII', async () => {
        const { coll: intl, proj } = fresh();
        await write(
          proj,
          upserts(intl, [
            { _id: 'fr', _v: 1, name: 'ÉCOLE numérique' },
            { _id: 'gr', _v: 1, name: 'Αθήνα ΠΌΛΗ' },
            { _id: 'mix', _v: 1, name: 'Ordos鄂尔多斯' },
          ]),
        );
        expect(ids(await store.find(intl, { name: { $contains: 'école' } }))).toEqual(['fr']);
        expect(ids(await store.find(intl, { name: { $contains: 'NUMÉRIQUE' } }))).toEqual(['fr']);
        expect(ids(await store.find(intl, { name: { $contains: 'πόλη' } }))).toEqual(['gr']);
        expect(ids(await store.find(intl, { name: { $contains: 'ordos鄂' } }))).toEqual(['mix']);
        expect(ids(await store.find(intl, { name: { $contains: '多斯' } }))).toEqual(['mix']);
      });

      test('$exists: true means present and not null; false absent or null', async () => {
        expect(sorted(await store.find(coll, { note: { $exists: true } }))).toEqual(['p5']);
        expect(sorted(await store.find(coll, { note: { $exists: false } }))).toEqual(['p1', 'p2', 'p3', 'p4']);
        expect(sorted(await store.find(coll, { tags: { $exists: false } }))).toEqual(['p5']);
        expect(sorted(await store.find(coll, { 'owner.level': { $exists: true } }))).toHaveLength(5);
      });

      test('several operators on one field are ANDed', async () => {
        expect(sorted(await store.find(coll, { budget: { $gt: 0, $ne: 80 } }))).toEqual(['p1', 'p3', 'p4']);
        expect(sorted(await store.find(coll, { note: { $exists: true, $ne: 'y' } }))).toEqual(['p5']);
        expect(sorted(await store.find(coll, { name: { $contains: 'ordos', $ne: 'Ordos Data Center' } }))).toEqual([
          'p3',
        ]);
      });
    });

    describe('sorting, paging, counting, grouping', () => {
      let coll: string;
      beforeAll(async () => {
        ({ coll } = await seed());
      });

      test('sort ascending and descending by two fields', async () => {
        expect(ids(await store.find(coll, {}, { sort: { status: 1, budget: -1 } }))).toEqual([
          'p3',
          'p1',
          'p2',
          'p5',
          'p4',
        ]);
        expect(ids(await store.find(coll, {}, { sort: { status: -1, budget: 1 } }))).toEqual([
          'p4',
          'p5',
          'p2',
          'p1',
          'p3',
        ]);
        // Strings compare by code point (binary): 'A…' < '鄂…', 'ORDOS' < 'Ordos'.
        expect(ids(await store.find(coll, {}, { sort: { 'owner.level': -1, name: 1 } }))).toEqual([
          'p4',
          'p5',
          'p1',
          'p3',
          'p2',
        ]);
        expect(ids(await store.find(coll, { status: 'approved' }, { sort: { budget: 1 } }))).toEqual(['p1', 'p3']);
      });

      test('skip and limit page through the sorted result', async () => {
        expect(ids(await store.find(coll, {}, { sort: { budget: 1 }, skip: 1, limit: 2 }))).toEqual(['p4', 'p2']);
        expect(ids(await store.find(coll, {}, { sort: { budget: 1 }, limit: 1 }))).toEqual(['p5']);
        expect(ids(await store.find(coll, {}, { sort: { budget: 1 }, skip: 4 }))).toEqual(['p3']);
        expect(await store.find(coll, {}, { sort: { budget: 1 }, skip: 10 })).toEqual([]);
        expect(await store.find(coll, {}, { limit: 0 })).toEqual([]);
      });

      test('paging over equal sort keys is stable (ties broken by _id)', async () => {
        const pages: string[] = [];
        for (let skip = 0; skip < 5; skip += 2) {
          pages.push(...ids(await store.find(coll, {}, { sort: { 'owner.org': 1 }, skip, limit: 2 })));
        }
        expect(pages).toEqual(['p4', 'p1', 'p3', 'p2', 'p5']);
      });

      test('count applies the filter', async () => {
        expect(await store.count(coll, {})).toBe(5);
        expect(await store.count(coll, { status: 'draft' })).toBe(2);
        expect(await store.count(coll, { tags: 'gov', budget: { $gte: 100 } })).toBe(1);
        expect(await store.count(coll, { name: { $contains: '鄂尔多斯' } })).toBe(2);
      });

      test('group counts and sums per key, ordered by key', async () => {
        expect(await store.group(coll, {}, 'status', ['budget', 'owner.level'])).toEqual([
          { key: 'approved', count: 2, sums: { budget: 420, 'owner.level': 3 } },
          { key: 'draft', count: 2, sums: { budget: 80, 'owner.level': 3 } },
          { key: 'rejected', count: 1, sums: { budget: 50, 'owner.level': 3 } },
        ]);
        expect(await store.group(coll, { budget: { $gt: 0 } }, 'owner.org', ['budget'])).toEqual([
          { key: 'Baotou', count: 1, sums: { budget: 50 } },
          { key: 'Dongsheng', count: 2, sums: { budget: 420 } },
          { key: 'Kangbashi', count: 1, sums: { budget: 80 } },
        ]);
      });

      test('group puts absent/null keys under null and ignores non-numbers in sums', async () => {
        expect(await store.group(coll, {}, 'note', ['name', 'budget'])).toEqual([
          { key: null, count: 4, sums: { name: 0, budget: 550 } },
          { key: 'x', count: 1, sums: { name: 0, budget: 0 } },
        ]);
        expect(await store.group(coll, { status: 'nothing' }, 'status', ['budget'])).toEqual([]);
        expect(await store.group(coll, {}, 'active', [])).toEqual([
          { key: null, count: 3, sums: {} },
          { key: false, count: 1, sums: {} },
          { key: true, count: 1, sums: {} },
        ]);
      });
    });

    describe('revision guard and checkpoints', () => {
      test('an older or equal _v never overwrites a newer document', async () => {
        const { coll, proj } = await seed();
        await write(proj, upserts(coll, [{ _id: 'p3', _v: 2, name: 'older' }]));
        await write(proj, upserts(coll, [{ _id: 'p3', _v: 3, name: 'same version' }]));
        expect(await store.get(coll, 'p3')).toEqual(PROJECTS[2]);
        await write(proj, [{ op: 'delete', collection: coll, id: 'p3', _v: 3 }]);
        expect(await store.get(coll, 'p3')).toEqual(PROJECTS[2]);
        await write(proj, [{ op: 'delete', collection: coll, id: 'p3', _v: 1 }]);
        expect(await store.get(coll, 'p3')).toEqual(PROJECTS[2]);
      });

      test('several versions of one document in a batch end at the highest', async () => {
        const { coll, proj } = fresh();
        await write(proj, [
          { op: 'upsert', collection: coll, doc: { _id: 'a', _v: 1, n: 1 } },
          { op: 'upsert', collection: coll, doc: { _id: 'a', _v: 2, n: 2 } },
          { op: 'upsert', collection: coll, doc: { _id: 'b', _v: 1, n: 1 } },
          { op: 'delete', collection: coll, id: 'b', _v: 2 },
          { op: 'upsert', collection: coll, doc: { _id: 'c', _v: 5, n: 5 } },
          { op: 'upsert', collection: coll, doc: { _id: 'c', _v: 4, n: 4 } },
        ]);
        expect(await store.find(coll, {}, { sort: { _id: 1 } })).toEqual([
          { _id: 'a', _v: 2, n: 2 },
          { _id: 'c', _v: 5, n: 5 },
        ]);
      });

      test('replaying the same batch changes nothing', async () => {
        const { coll, proj } = fresh();
        const batch: DocChange[] = [
          ...upserts(coll, PROJECTS),
          { op: 'upsert', collection: coll, doc: { ...PROJECTS[0], _v: 2, status: 'closed' } },
          { op: 'delete', collection: coll, id: 'p2', _v: 5 },
        ];
        await store.commit(proj, batch, at('42'));
        const before = await store.find(coll, {}, { sort: { _id: 1 } });
        const checkpoint = await store.getCheckpoint(proj);
        await store.commit(proj, batch, at('42'));
        await store.commit(proj, batch, at('41'));
        expect(await store.find(coll, {}, { sort: { _id: 1 } })).toEqual(before);
        expect(await store.getCheckpoint(proj)).toEqual(checkpoint);
        expect(ids(before)).toEqual(['p1', 'p3', 'p4', 'p5']);
        expect(before[0]).toMatchObject({ _v: 2, status: 'closed' });
      });

      test('the checkpoint only moves forward (positions compare as numbers)', async () => {
        const { proj } = fresh();
        expect(await store.getCheckpoint(proj)).toBeNull();
        await store.commit(proj, [], { position: '9', updatedAt: 't1' });
        expect(await store.getCheckpoint(proj)).toEqual({ position: '9', updatedAt: 't1' });
        await store.commit(proj, [], { position: '10', updatedAt: 't2' });
        expect(await store.getCheckpoint(proj)).toEqual({ position: '10', updatedAt: 't2' });
        await store.commit(proj, [], { position: '3', updatedAt: 't3' });
        await store.commit(proj, [], { position: '10', updatedAt: 't4' });
        expect(await store.getCheckpoint(proj)).toEqual({ position: '10', updatedAt: 't2' });

        const { proj: esdb } = fresh();
        await store.commit(esdb, [], { position: '100/90', updatedAt: 'a' });
        await store.commit(esdb, [], { position: '100/80', updatedAt: 'b' });
        expect((await store.getCheckpoint(esdb))?.position).toBe('100/90');
        await store.commit(esdb, [], { position: '18446744073709551615/1', updatedAt: 'c' });
        expect((await store.getCheckpoint(esdb))?.position).toBe('18446744073709551615/1');
      });

      test('an invalid position is rejected before anything is written', async () => {
        const { coll, proj } = fresh();
        await expect(store.commit(proj, upserts(coll, [PROJECTS[0]]), at('not-a-position'))).rejects.toThrow();
        expect(await store.get(coll, 'p1')).toBeNull();
        expect(await store.getCheckpoint(proj)).toBeNull();
      });

      test('deleteCheckpoint lets a projection start again from zero', async () => {
        const { proj } = fresh();
        await store.commit(proj, [], at('50'));
        await store.deleteCheckpoint(proj);
        expect(await store.getCheckpoint(proj)).toBeNull();
        await store.commit(proj, [], at('1'));
        expect((await store.getCheckpoint(proj))?.position).toBe('1');
        await store.deleteCheckpoint(`${proj}_never_written`);
      });

      (options.atomicCommit ? test : test.skip)(
        'a failing change leaves neither documents nor checkpoint',
        async () => {
          const { coll, proj } = await seed();
          const checkpoint = await store.getCheckpoint(proj);
          const poisoned: DocChange[] = [
            { op: 'upsert', collection: coll, doc: { _id: 'p1', _v: 9, name: 'must not stay' } },
            { op: 'upsert', collection: coll, doc: { _id: 'new', _v: 1 } },
            // BigInt cannot be serialised to JSON: the adapter throws mid-batch.
            { op: 'upsert', collection: coll, doc: { _id: 'bad', _v: 1, amount: BigInt(1) } },
            { op: 'delete', collection: coll, id: 'p2', _v: 9 },
          ];
          const { coll: other } = fresh();
          poisoned.unshift({ op: 'upsert', collection: other, doc: { _id: 'x', _v: 1 } });
          await expect(store.commit(proj, poisoned, at('999999'))).rejects.toThrow();
          expect(await store.get(coll, 'p1')).toEqual(PROJECTS[0]);
          expect(await store.get(coll, 'new')).toBeNull();
          expect(await store.get(coll, 'p2')).toEqual(PROJECTS[1]);
          expect(await store.get(other, 'x')).toBeNull();
          expect(await store.getCheckpoint(proj)).toEqual(checkpoint);
          // The store still works afterwards.
          await write(proj, upserts(coll, [{ _id: 'new', _v: 1 }]));
          expect(await store.get(coll, 'new')).toEqual({ _id: 'new', _v: 1 });
          await write(proj, upserts(other, [{ _id: 'x', _v: 1 }]));
          expect(await store.get(other, 'x')).toEqual({ _id: 'x', _v: 1 });
        },
      );
    });

    describe('collections and indexes', () => {
      test('ensureIndexes in the background returns, and queries answer meanwhile', async () => {
        const { coll, proj } = fresh();
        await write(proj, upserts(coll, PROJECTS));
        await store.ensureIndexes(coll, [{ fields: { status: 1, budget: -1 } }], { background: true });
        expect(ids(await store.find(coll, { status: 'approved' }, { sort: { budget: -1 } }))).toEqual(['p3', 'p1']);
        // A foreground call afterwards waits for (or finds) the same index.
        await store.ensureIndexes(coll, [{ fields: { status: 1, budget: -1 } }]);
        expect(await store.count(coll, { status: 'approved' })).toBe(2);
      });

      test('ensureIndexes is idempotent and queries still answer', async () => {
        const { coll, proj } = fresh();
        const indexes: IndexSpec[] = [
          { fields: { status: 1, budget: -1 } },
          { fields: { 'owner.org': 1 } },
          { fields: { tags: 1 } },
          { fields: { name: 1 } },
          // Covers "group by status summing budget" in SQLite.
          { fields: { status: 1, budget: 1 } },
        ];
        await store.ensureIndexes(coll, indexes);
        await store.ensureIndexes(coll, indexes);
        await write(proj, upserts(coll, PROJECTS));
        await store.ensureIndexes(coll, indexes);
        expect(ids(await store.find(coll, { status: 'approved' }, { sort: { budget: -1 } }))).toEqual(['p3', 'p1']);
        expect(sorted(await store.find(coll, { tags: 'gov' }))).toEqual(['p1', 'p4']);
        expect(sorted(await store.find(coll, { 'owner.org': { $in: ['Baotou', 'Kangbashi'] } }))).toEqual([
          'p2',
          'p4',
          'p5',
        ]);
        expect(sorted(await store.find(coll, { name: { $contains: '鄂尔多斯' } }))).toEqual(['p1', 'p3']);
        expect(await store.count(coll, { status: 'draft' })).toBe(2);
        expect(await store.group(coll, {}, 'status', ['budget'])).toEqual([
          { key: 'approved', count: 2, sums: { budget: 420 } },
          { key: 'draft', count: 2, sums: { budget: 80 } },
          { key: 'rejected', count: 1, sums: { budget: 50 } },
        ]);
      });

      test('a unique index rejects a second document with the same value', async () => {
        const { coll, proj } = fresh();
        await store.ensureIndexes(coll, [{ fields: { code: 1 }, unique: true }]);
        await store.ensureIndexes(coll, [{ fields: { code: 1 }, unique: true }]);
        await write(proj, upserts(coll, [{ _id: 'a', _v: 1, code: 'EEDS-1' }]));
        // Not toThrow(): better-sqlite3's native addon keeps the error class of the first test file
        // that loaded it, so in a later file of the same Jest worker the rejection is an Error of
        // another realm. Any rejection proves the refusal.
        await expect(write(proj, upserts(coll, [{ _id: 'b', _v: 1, code: 'EEDS-1' }]))).rejects.toBeTruthy();
        expect(await store.get(coll, 'b')).toBeNull();
        // Updating the holder of the value itself is fine.
        await write(proj, upserts(coll, [{ _id: 'a', _v: 2, code: 'EEDS-1', x: 1 }]));
        expect(await store.get(coll, 'a')).toEqual({ _id: 'a', _v: 2, code: 'EEDS-1', x: 1 });
      });

      test('dropCollection removes all documents; the name can be written again', async () => {
        const { coll, proj } = await seed();
        await store.ensureIndexes(coll, [{ fields: { status: 1 } }]);
        await store.dropCollection(coll);
        expect(await store.get(coll, 'p1')).toBeNull();
        expect(await store.find(coll, { status: 'approved' })).toEqual([]);
        expect(await store.count(coll, {})).toBe(0);
        await store.dropCollection(coll);
        await store.ensureIndexes(coll, [{ fields: { status: 1 } }]);
        await write(proj, upserts(coll, [{ ...PROJECTS[0], _v: 1 }]));
        expect(ids(await store.find(coll, { status: 'approved' }))).toEqual(['p1']);
        // The old versions are gone: a rebuild may start again at low _v.
        expect(await store.get(coll, 'p3')).toBeNull();
      });

      test(
        'replaceCollection puts a rebuilt collection in place, indexes included; ' +
          'an absent source is refused and never drops the target',
        async () => {
          const live = await seed();
          const fresh2 = fresh();
          await store.ensureIndexes(live.coll, [{ fields: { status: 1 } }]);
          await write(fresh2.proj, upserts(fresh2.coll, [{ ...PROJECTS[0], _v: 7, status: 'rebuilt' }]));
          await store.ensureIndexes(fresh2.coll, [{ fields: { status: 1 } }]);
          await store.replaceCollection(live.coll, fresh2.coll);
          expect(ids(await store.find(live.coll, {}))).toEqual(['p1']);
          expect(await store.get(live.coll, 'p1')).toMatchObject({ _v: 7, status: 'rebuilt' });
          expect(await store.count(fresh2.coll, {})).toBe(0);
          // ensureIndexes on the new holder of the name is idempotent and queries still work.
          await store.ensureIndexes(live.coll, [{ fields: { status: 1 } }]);
          expect(ids(await store.find(live.coll, { status: 'rebuilt' }))).toEqual(['p1']);
          // Issue 11 §3b: the loser of two rebuilds finds no source; the live collection stays.
          await expect(store.replaceCollection(live.coll, fresh().coll)).rejects.toThrow(/does not exist/);
          expect(ids(await store.find(live.coll, {}))).toEqual(['p1']);
        },
      );
    });

    describe('plain documents: putDocument / deleteDocument (no guard, no checkpoint)', () => {
      test('put stores the document as given and replaces it whatever its _v', async () => {
        const { coll, proj } = fresh();
        await store.putDocument(coll, { _id: 's1', _v: 5, url: 'https://a.example', types: ['X'] });
        expect(await store.get(coll, 's1')).toEqual({ _id: 's1', _v: 5, url: 'https://a.example', types: ['X'] });
        await store.putDocument(coll, { _id: 's1', _v: 1, url: 'https://b.example', types: [] });
        expect(await store.get(coll, 's1')).toEqual({ _id: 's1', _v: 1, url: 'https://b.example', types: [] });
        await store.putDocument(coll, { _id: 's2', _v: 1, url: 'https://c.example', types: ['Y'] });
        expect(ids(await store.find(coll, { types: 'Y' }))).toEqual(['s2']);
        expect(await store.count(coll, {})).toBe(2);
        // Nothing was committed: no checkpoint under any of the names involved.
        expect(await store.getCheckpoint(coll)).toBeNull();
        expect(await store.getCheckpoint(proj)).toBeNull();
      });

      test('concurrent puts of one new id leave exactly one document', async () => {
        const { coll } = fresh();
        await Promise.all(Array.from({ length: 8 }, (_, i) => store.putDocument(coll, { _id: 'race', _v: 1, n: i })));
        const docs = await store.find(coll, {});
        expect(ids(docs)).toEqual(['race']);
      });

      test('delete removes the document whatever its _v; absent ids and unknown collections are no-ops', async () => {
        const { coll } = fresh();
        await store.putDocument(coll, { _id: 'd1', _v: Number.MAX_SAFE_INTEGER });
        await store.putDocument(coll, { _id: 'd2', _v: 0 });
        await store.deleteDocument(coll, 'd1');
        expect(await store.get(coll, 'd1')).toBeNull();
        expect(ids(await store.find(coll, {}))).toEqual(['d2']);
        await store.deleteDocument(coll, 'd1');
        await store.deleteDocument(fresh().coll, 'never');
      });

      test('documents committed by older releases (pseudo-checkpoint) are read, replaced, deleted', async () => {
        const { coll, proj } = fresh();
        // How subscriptions used to be written: commit under a fixed name at position 0.
        const doc = { _id: 'old', _v: 3, url: 'https://old.example' };
        await store.commit(proj, [{ op: 'upsert', collection: coll, doc }], at('0'));
        expect(await store.get(coll, 'old')).toEqual({ _id: 'old', _v: 3, url: 'https://old.example' });
        await store.putDocument(coll, { _id: 'old', _v: 1, url: 'https://new.example' });
        expect((await store.get(coll, 'old'))?.url).toBe('https://new.example');
        await store.deleteDocument(coll, 'old');
        expect(await store.get(coll, 'old')).toBeNull();
      });

      test('invalid ids, collections and unserialisable documents are refused and write nothing', async () => {
        const { coll } = fresh();
        await expect(store.putDocument(coll, { _id: '', _v: 1 })).rejects.toThrow();
        await expect(store.putDocument('bad name"; --', { _id: 'x', _v: 1 })).rejects.toThrow();
        // Deliberately not a number: a non-numeric _v must be refused.
        await expect(store.putDocument(coll, { _id: 'x', _v: 'one' as unknown as number })).rejects.toThrow();
        await expect(store.deleteDocument(coll, '')).rejects.toThrow();
        expect(await store.count(coll, {})).toBe(0);
      });
    });

    describe('checkpoints set on purpose and the pre-generation version', () => {
      test('resetCheckpoint sets the position exactly, also backwards; commit moves forward from it', async () => {
        const { proj } = fresh();
        await store.resetCheckpoint(proj, { position: '40', updatedAt: 't1' });
        expect(await store.getCheckpoint(proj)).toEqual({ position: '40', updatedAt: 't1' });
        await store.resetCheckpoint(proj, { position: '7', updatedAt: 't2' });
        expect(await store.getCheckpoint(proj)).toEqual({ position: '7', updatedAt: 't2' });
        await store.commit(proj, [], { position: '5', updatedAt: 't3' });
        expect((await store.getCheckpoint(proj))?.position).toBe('7');
        await store.commit(proj, [], { position: '8', updatedAt: 't4' });
        expect(await store.getCheckpoint(proj)).toEqual({ position: '8', updatedAt: 't4' });
        await expect(store.resetCheckpoint(proj, { position: 'nope', updatedAt: 't5' })).rejects.toThrow();
        expect((await store.getCheckpoint(proj))?.position).toBe('8');
      });

      test('legacyProjectionVersion reads the <projection>@version pseudo-checkpoint of old releases', async () => {
        const { proj } = fresh();
        const { proj: odd } = fresh();
        usedProjections.add(`${proj}@version`).add(`${odd}@version`);
        expect(await store.legacyProjectionVersion(proj)).toBeNull();
        await store.commit(`${proj}@version`, [], at('3'));
        expect(await store.legacyProjectionVersion(proj)).toBe(3);
        // An EventStoreDB-style position was never a version.
        await store.commit(`${odd}@version`, [], at('12/10'));
        expect(await store.legacyProjectionVersion(odd)).toBeNull();
      });
    });

    describe('projection registry (generations, issue 11)', () => {
      test('versions are decimal integers; anything else is refused', async () => {
        const { proj } = fresh();
        for (const version of ['v1', '1.5', '', '01', '-1']) {
          const registry = { active: { [version]: 'gen_a' }, retired: [] };
          await expect(store.putProjectionRegistry(proj, 0, registry)).rejects.toThrow();
        }
        expect(await store.getProjectionRegistry(proj)).toBeNull();
      });

      test('absent until written; the first put wins with expectedRev 0, a second one loses', async () => {
        const { proj } = fresh();
        expect(await store.getProjectionRegistry(proj)).toBeNull();
        expect(await store.putProjectionRegistry(proj, 0, { active: { '1': 'gen_a' }, retired: [] })).toBe(true);
        expect(await store.putProjectionRegistry(proj, 0, { active: { '1': 'gen_b' }, retired: [] })).toBe(false);
        expect(await store.getProjectionRegistry(proj)).toEqual({ rev: 1, active: { '1': 'gen_a' }, retired: [] });
      });

      test('compare-and-set on rev: a stale writer changes nothing, the current one moves rev by one', async () => {
        const { proj } = fresh();
        await store.putProjectionRegistry(proj, 0, { active: { '1': 'gen_a' }, retired: [] });
        const next = {
          active: { '1': 'gen_b', '2': 'gen_c' },
          retired: [{ generation: 'gen_a', retiredAt: '2026-01-01T00:00:00.000Z' }],
        };
        expect(await store.putProjectionRegistry(proj, 1, next)).toBe(true);
        expect(await store.putProjectionRegistry(proj, 1, { active: { '1': 'gen_loser' }, retired: [] })).toBe(false);
        expect(await store.putProjectionRegistry(proj, 7, { active: { '1': 'gen_loser' }, retired: [] })).toBe(false);
        expect(await store.getProjectionRegistry(proj)).toEqual({ rev: 2, ...next });
      });

      test('concurrent puts on one rev: exactly one wins', async () => {
        const { proj } = fresh();
        await store.putProjectionRegistry(proj, 0, { active: {}, retired: [] });
        const results = await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            store.putProjectionRegistry(proj, 1, { active: { '1': `gen_${i}` }, retired: [] }),
          ),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        const winner = results.indexOf(true);
        expect(await store.getProjectionRegistry(proj)).toEqual({
          rev: 2,
          active: { '1': `gen_${winner}` },
          retired: [],
        });
      });
    });

    describe('untrusted input', () => {
      let coll: string;
      beforeAll(async () => {
        ({ coll } = await seed());
      });

      const hostileFields = [
        "name') OR 1=1 --",
        'name" OR "1"="1',
        "status'",
        '$where',
        'a.$gt',
        'a..b',
        '',
        '1abc',
        'owner.org; DROP TABLE x',
        'name\u0000',
      ];

      test.each(hostileFields)('field name %j is rejected in filter, sort, group and index', async (field) => {
        await expect(store.find(coll, { [field]: 'x' })).rejects.toThrow();
        await expect(store.count(coll, { [field]: { $exists: true } })).rejects.toThrow();
        await expect(store.find(coll, {}, { sort: { [field]: 1 } })).rejects.toThrow();
        await expect(store.group(coll, {}, field, [])).rejects.toThrow();
        await expect(store.group(coll, {}, 'status', [field])).rejects.toThrow();
        await expect(store.ensureIndexes(coll, [{ fields: { [field]: 1 } }])).rejects.toThrow();
        expect(await store.count(coll, {})).toBe(5);
      });

      test('unknown operators and bad collection names are rejected', async () => {
        // Deliberately not FieldConditions: operators outside the subset both adapters implement.
        await expect(
          store.find(coll, { name: { $where: 'sleep(1000)' } as unknown as FieldCondition }),
        ).rejects.toThrow();
        await expect(store.find(coll, { name: { $regex: '.*' } as unknown as FieldCondition })).rejects.toThrow();
        await expect(store.find('bad name"; --', {})).rejects.toThrow();
        await expect(store.get('x.y', 'p1')).rejects.toThrow();
      });

      test('values are data, never code', async () => {
        expect(await store.find(coll, { name: "x' OR '1'='1" })).toEqual([]);
        expect(await store.find(coll, { name: { $contains: "') OR 1=1 --" } })).toEqual([]);
        expect(await store.find(coll, { status: { $in: ["approved' OR 1=1 --"] } })).toEqual([]);
        expect(await store.count(coll, {})).toBe(5);
      });
    });
  });
}
