import { MongoClient, MongoServerError, type Collection } from 'mongodb';
import type { LeaseStore } from './lease.port';

interface LeaseDoc {
  _id: string;
  owner: string;
  expiresAt: Date;
}

/** E11000: the unique _id index refused an insert. */
const DUPLICATE_KEY = 11000;

/**
 * Leases in the collection `_leases`. An acquire is one `updateOne` with upsert whose filter only
 * matches the lease if it is ours or expired: when it matches, the lease is (re)taken; when the
 * lease exists and is held by another, the filter matches nothing, the upsert tries to insert a
 * second document with the same `_id` and the server refuses it with E11000 — "not acquired".
 * Two instances racing for a free or expired lease: one update wins, the other's upsert meets
 * E11000 (single-document writes are atomic; MongoDB does not retry an upsert that fails on the
 * `_id` index when the filter is not an equality on `_id` alone).
 */
export class MongoLeaseStore implements LeaseStore {
  private readonly client: MongoClient;
  private readonly leases: Collection<LeaseDoc>;

  static async connect(uri: string, dbName: string): Promise<MongoLeaseStore> {
    const store = new MongoLeaseStore(uri, dbName);
    try {
      await store.client.db(dbName).command({ ping: 1 });
    } catch (error) {
      await store.close().catch(() => undefined);
      throw error;
    }
    return store;
  }

  constructor(uri: string, dbName: string) {
    this.client = new MongoClient(uri, {
      serverSelectionTimeoutMS: 5000,
      connectTimeoutMS: 5000,
      socketTimeoutMS: 10000,
      maxPoolSize: 4,
      appName: 'ordos-supervision-leases',
    });
    this.leases = this.client.db(dbName).collection<LeaseDoc>('_leases');
  }

  async acquire(name: string, owner: string, ttlMs: number): Promise<boolean> {
    const now = new Date();
    try {
      await this.leases.updateOne(
        { _id: name, $or: [{ owner }, { expiresAt: { $lt: now } }] },
        { $set: { owner, expiresAt: new Date(now.getTime() + ttlMs) } },
        { upsert: true, writeConcern: { w: 'majority' } },
      );
      // Matched (ours or expired) or inserted (free): either way we hold it now.
      return true;
    } catch (error) {
      if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) return false;
      throw error;
    }
  }

  async release(name: string, owner: string): Promise<void> {
    await this.leases.deleteOne({ _id: name, owner }, { writeConcern: { w: 'majority' } });
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
