/**
 * The MongoDB lease adapter's compare-and-set, with the driver's own classes (no server: the
 * driver is stubbed at Collection). With MONGODB_URI set, the shared contract runs too.
 */
import { Collection, MongoNetworkError, MongoServerError } from 'mongodb';
import { MongoLeaseStore } from '../../src/leases/mongodb-lease.store';
import { leaseStoreContract } from './lease.contract';

describe('MongoLeaseStore without a server', () => {
  afterEach(() => jest.restoreAllMocks());

  it('upserts with a filter that matches only our own or an expired lease', async () => {
    const updateOne = jest.spyOn(Collection.prototype, 'updateOne').mockResolvedValue({
      acknowledged: true,
      matchedCount: 0,
      modifiedCount: 0,
      upsertedCount: 1,
      upsertedId: null,
    });
    const store = new MongoLeaseStore('mongodb://127.0.0.1:1', 'ordos');
    try {
      const before = Date.now();
      expect(await store.acquire('webhook:1', 'instance-a', 15_000)).toBe(true);
      const [filter, update, options] = updateOne.mock.calls[0] as unknown as [any, any, any];
      expect(filter._id).toBe('webhook:1');
      expect(filter.$or[0]).toEqual({ owner: 'instance-a' });
      expect(filter.$or[1].expiresAt.$lt).toBeInstanceOf(Date);
      expect(update.$set.owner).toBe('instance-a');
      expect(update.$set.expiresAt.getTime()).toBeGreaterThanOrEqual(before + 15_000);
      expect(options.upsert).toBe(true);
    } finally {
      await store.close();
    }
  });

  it(
    'treats E11000 from the upsert (held by another, or a racing insert) as "not acquired" ' +
      'and rethrows anything else',
    async () => {
      const store = new MongoLeaseStore('mongodb://127.0.0.1:1', 'ordos');
      try {
        jest.spyOn(Collection.prototype, 'updateOne').mockRejectedValueOnce(
          new MongoServerError({
            message: 'E11000 duplicate key error collection: ordos._leases index: _id_',
            code: 11000,
          }),
        );
        expect(await store.acquire('webhook:1', 'instance-b', 15_000)).toBe(false);
        jest.spyOn(Collection.prototype, 'updateOne').mockRejectedValueOnce(new MongoNetworkError('connection reset'));
        await expect(store.acquire('webhook:1', 'instance-b', 15_000)).rejects.toBeInstanceOf(MongoNetworkError);
      } finally {
        await store.close();
      }
    },
  );

  it('releases only its own lease', async () => {
    const deleteOne = jest
      .spyOn(Collection.prototype, 'deleteOne')
      .mockResolvedValue({ acknowledged: true, deletedCount: 1 });
    const store = new MongoLeaseStore('mongodb://127.0.0.1:1', 'ordos');
    try {
      await store.release('seal-scheduler', 'instance-a');
      expect(deleteOne.mock.calls[0][0]).toEqual({ _id: 'seal-scheduler', owner: 'instance-a' });
    } finally {
      await store.close();
    }
  });
});

const uri = process.env.MONGODB_URI;
if (uri) {
  leaseStoreContract('MongoDB', async () => {
    const dbName = `ordos_leases_${process.pid}_${Date.now()}`;
    const [a, b] = await Promise.all([MongoLeaseStore.connect(uri, dbName), MongoLeaseStore.connect(uri, dbName)]);
    const cleanup = async () => {
      const { MongoClient } = await import('mongodb');
      const client = new MongoClient(uri);
      await client.db(dbName).dropDatabase();
      await client.close();
    };
    return [a, b, cleanup];
  });
} else {
  describe.skip('LeaseStore contract: MongoDB (set MONGODB_URI)', () => it('runs with a server', () => undefined));
}
