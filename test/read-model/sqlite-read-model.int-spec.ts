import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteReadModelStore } from '../../src/read-model/sqlite-read-model.store';
import type { Doc, DocChange } from '../../src/read-model/read-model.port';
import { readModelContract } from './read-model.contract';

const prefix = (): string => `t${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}_`;

readModelContract(
  'SQLite :memory:',
  async () => ({ store: SqliteReadModelStore.open(':memory:'), collectionPrefix: prefix() }),
  undefined,
  { atomicCommit: true },
);

let dir: string | undefined;
readModelContract(
  'SQLite file (WAL)',
  async () => {
    dir = mkdtempSync(join(tmpdir(), 'read-model-'));
    return { store: SqliteReadModelStore.open(join(dir, 'read-model.sqlite')), collectionPrefix: prefix() };
  },
  async ({ store }) => {
    await store.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  },
  { atomicCommit: true },
);

describe('SqliteReadModelStore specifics', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'read-model-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('a file store runs in WAL mode and keeps data and checkpoints across reopen', async () => {
    const path = join(dir, 'reopen.sqlite');
    const store = SqliteReadModelStore.open(path);
    await store.commit(
      'projects',
      [{ op: 'upsert', collection: 'projects', doc: { _id: 'a', _v: 1, name: '鄂尔多斯' } }],
      {
        position: '7',
        updatedAt: 'now',
      },
    );
    await store.close();
    await store.close(); // idempotent
    await expect(store.get('projects', 'a')).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });

    const reopened = new SqliteReadModelStore(path);
    expect(await reopened.get('projects', 'a')).toEqual({ _id: 'a', _v: 1, name: '鄂尔多斯' });
    expect((await reopened.getCheckpoint('projects'))?.position).toBe('7');
    // journal_mode is persistent in the file.
    const Database = (await import('better-sqlite3')).default;
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
    await reopened.close();
  });

  test('an unopenable path maps to StoreUnavailable', () => {
    expect(() => SqliteReadModelStore.open(join(dir, 'missing-dir', 'x.sqlite'))).toThrow(
      expect.objectContaining({ code: 'STORE_UNAVAILABLE' }),
    );
  });

  describe('query plans use the json_extract expression indexes', () => {
    const store = SqliteReadModelStore.open(':memory:');
    beforeAll(async () => {
      await store.ensureIndexes('projects', [
        { fields: { status: 1, updatedAt: -1 } },
        { fields: { 'owner.org': 1 } },
        { fields: { budget: 1 } },
        { fields: { tags: 1 } },
        { fields: { district: 1, status: 1, budget: 1 } },
      ]);
      const docs: Doc[] = Array.from({ length: 200 }, (_, i) => ({
        _id: `p${i}`,
        _v: 1,
        status: ['draft', 'approved', 'rejected'][i % 3],
        updatedAt: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(),
        owner: { org: `org${i % 7}` },
        budget: i * 10,
        tags: i % 2 ? ['gov'] : ['cloud'],
        district: `d${i % 4}`,
      }));
      const changes: DocChange[] = docs.map((doc) => ({ op: 'upsert', collection: 'projects', doc }));
      await store.commit('projects', changes, { position: '1', updatedAt: 'now' });
    });
    afterAll(() => store.close());

    const plan = (
      filter: Parameters<SqliteReadModelStore['explainFind']>[1],
      options?: Parameters<SqliteReadModelStore['explainFind']>[2],
    ) => store.explainFind('projects', filter, options).join(' | ');

    test('equality + sort + limit walks the index in order (no sort step)', () => {
      const p = plan({ status: 'approved' }, { sort: { updatedAt: -1 }, limit: 20 });
      expect(p).toContain('USING INDEX rmix_projects__status_1__updatedAt_-1');
      expect(p).not.toContain('TEMP B-TREE');
    });

    test('dotted paths, ranges and $in are index searches', () => {
      expect(plan({ 'owner.org': 'org3' })).toMatch(/SEARCH rm_projects USING INDEX rmix_projects__owner\.org_1/);
      expect(plan({ budget: { $gte: 100, $lt: 500 } })).toMatch(
        /SEARCH rm_projects USING INDEX rmix_projects__budget_1/,
      );
      expect(plan({ status: { $in: ['draft', 'rejected'] } })).toMatch(
        /SEARCH rm_projects USING INDEX rmix_projects__status_1/,
      );
    });

    test('array fields stay indexable (multi-index OR over the same index)', () => {
      expect(plan({ tags: 'gov' })).toMatch(/SEARCH rm_projects USING INDEX rmix_projects__tags_1/);
      expect(plan({ tags: 'gov' })).not.toMatch(/SCAN rm_projects\b/);
    });

    test('group-by with sums walks an index on (filter, by, sums) without a sort step', () => {
      // SQLite does not print COVERING for expression indexes, but it reads only the index
      // here (measured: ~1 ms instead of ~30 ms at 100k documents).
      const p = store.explainGroup('projects', { district: 'd1' }, 'status', ['budget']).join(' | ');
      expect(p).toContain('SEARCH rm_projects USING INDEX rmix_projects__district_1__status_1__budget_1');
      expect(p).not.toContain('TEMP B-TREE');
    });

    test('sorting on an indexed pair needs no sort step', () => {
      expect(plan({}, { sort: { status: 1, updatedAt: -1 } })).not.toContain('TEMP B-TREE');
    });
  });
});
