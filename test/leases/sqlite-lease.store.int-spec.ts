import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteLeaseStore } from '../../src/leases/sqlite-lease.store';
import { SqliteReadModelStore } from '../../src/read-model/sqlite-read-model.store';
import { leaseStoreContract } from './lease.contract';

// Two connections to one read-models.db stand for two processes over one DATA_DIR.
leaseStoreContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ordos-leases-'));
  const file = join(dir, 'read-models.db');
  return [
    SqliteLeaseStore.open(file),
    SqliteLeaseStore.open(file),
    async () => rmSync(dir, { recursive: true, force: true }),
  ];
});

describe('SqliteLeaseStore beside the read models', () => {
  it('shares the read-model file with the read-model store without disturbing it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ordos-leases-'));
    const file = join(dir, 'read-models.db');
    const readModels = SqliteReadModelStore.open(file);
    const leases = SqliteLeaseStore.open(file);
    try {
      await readModels.commit('test', [{ op: 'upsert', collection: 'things', doc: { _id: 'x', _v: 1 } }], {
        position: '1',
        updatedAt: new Date().toISOString(),
      });
      expect(await leases.acquire('webhook:x', 'me', 1000)).toBe(true);
      expect(await readModels.get('things', 'x')).toMatchObject({ _id: 'x' });
    } finally {
      await leases.close();
      await readModels.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
