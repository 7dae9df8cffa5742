import { MongoReadModelStore, toMongoFilter } from '../../src/read-model/mongodb-read-model.store';
import type { FieldCondition } from '../../src/read-model/read-model.port';
import { readModelContract } from './read-model.contract';

const uri = process.env.MONGODB_URI;
const dbName = process.env.MONGODB_READ_MODEL_DB ?? 'ordos_read_model_test';

// The server may be shared and cannot be wiped: every run writes under its own prefix and the
// contract drops what it created.
const prefix = (): string => `t${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}_`;

if (uri) {
  readModelContract('MongoDB', async () => ({
    store: await MongoReadModelStore.connect(uri, dbName, { serverSelectionTimeoutMS: 5000 }),
    collectionPrefix: prefix(),
  }));
} else {
  console.log('skipped: set MONGODB_URI to run the MongoDB read-model contract suite');
  describe.skip('ReadModelStore contract: MongoDB (set MONGODB_URI)', () => {
    test('contract suite', () => undefined);
  });
}

// No server needed: the translation and the failure mapping.
describe('MongoReadModelStore without a server', () => {
  test('filters translate 1:1, $contains is an escaped case-insensitive regex, $exists means not null', () => {
    expect(
      toMongoFilter({
        status: 'approved',
        'owner.org': { $in: ['Baotou', null] },
        budget: { $gte: 10, $lt: 100 },
        name: { $contains: '鄂尔多斯 (a.b)*' },
        note: { $exists: true, $ne: 'x' },
        deletedAt: { $exists: false },
      }),
    ).toEqual({
      status: { $eq: 'approved' },
      'owner.org': { $in: ['Baotou', null] },
      budget: { $gte: 10, $lt: 100 },
      name: { $regex: '鄂尔多斯 \\(a\\.b\\)\\*', $options: 'i' },
      note: { $ne: null },
      deletedAt: { $eq: null },
      $and: [{ note: { $ne: 'x' } }],
    });
  });

  test('operator injection through field names or operators is rejected', () => {
    expect(() => toMongoFilter({ $where: 'sleep(100)' })).toThrow();
    expect(() => toMongoFilter({ 'a.$ne': 1 })).toThrow();
    // Deliberately not a FieldCondition: an operator outside the subset, an operator inside $in.
    expect(() => toMongoFilter({ name: { $regex: '.*' } as unknown as FieldCondition })).toThrow();
    expect(() => toMongoFilter({ name: { $in: [{ $gt: '' }] } as unknown as FieldCondition })).toThrow();
  });

  test('an unreachable server surfaces as StoreUnavailable within the selection timeout', async () => {
    const store = new MongoReadModelStore('mongodb://127.0.0.1:9/?directConnection=true', 'none', {
      serverSelectionTimeoutMS: 300,
      connectTimeoutMS: 300,
    });
    const started = Date.now();
    await expect(store.ping()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    await expect(store.get('projects', 'a')).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    await expect(
      MongoReadModelStore.connect('mongodb://127.0.0.1:9/?directConnection=true', 'none', {
        serverSelectionTimeoutMS: 300,
      }),
    ).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(Date.now() - started).toBeLessThan(5000);
    await store.close();
    await expect(store.ping()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
  });
});
