/**
 * The MongoDB adapter's error classification and index builds, with the driver's own classes
 * (no server runs here: the driver is stubbed at Collection, below which nothing is reached).
 */
import {
  Collection,
  MongoBulkWriteError,
  MongoInvalidArgumentError,
  MongoNetworkError,
  MongoServerError,
  MongoServerSelectionError,
  MongoWriteConcernError,
  type BulkWriteResult,
  type TopologyDescription,
  type UpdateResult,
  type WriteConcernError as WriteConcernErrorInstance,
  type WriteConcernErrorData,
  type WriteConcernErrorResult,
  type WriteError,
} from 'mongodb';
import { StoreUnavailable } from '../../src/event-store/event-store.port';
import type { IndexSpec } from '../../src/read-model/read-model.port';
import { MongoReadModelStore, bulkWriteUnavailable, toStoreError } from '../../src/read-model/mongodb-read-model.store';

// Value classes the driver's index does not export (only their types): from the same module
// MongoBulkWriteError comes from.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const bulkCommon = require('mongodb/lib/bulk/common') as {
  BulkWriteResult: new (raw: unknown, ordered: boolean) => BulkWriteResult;
  WriteConcernError: new (error: WriteConcernErrorData) => WriteConcernErrorInstance;
};
const { WriteConcernError } = bulkCommon;

function bulkResult(overrides: Record<string, unknown> = {}): BulkWriteResult {
  const raw = {
    ok: 1,
    writeErrors: [],
    writeConcernErrors: [],
    insertedIds: [],
    nInserted: 0,
    nUpserted: 0,
    nMatched: 0,
    nModified: 0,
    nRemoved: 0,
    upserted: [],
    ...overrides,
  };
  // The constructor is internal to the driver, but it is what executeCommands builds.
  return new bulkCommon.BulkWriteResult(raw, false);
}

/** As bulk/common.js executeCommands wraps a driver error of a batch ("return early"). */
function wrappedDriverError(cause: Error): MongoBulkWriteError {
  return new MongoBulkWriteError(cause, bulkResult());
}

describe('MongoDB adapter: MongoBulkWriteError classification', () => {
  it('a network failure mid-batch (empty writeErrors) is unavailable, not a 500', () => {
    const error = wrappedDriverError(new MongoNetworkError('connection 3 to 10.0.0.5:27017 closed'));
    expect(error.writeErrors).toEqual([]);
    expect(bulkWriteUnavailable(error)).toBe(true);
    expect(toStoreError(error, 'commit')).toBeInstanceOf(StoreUnavailable);
  });

  it('a server-selection failure mid-batch is unavailable', () => {
    const cause = new MongoServerSelectionError('Server selection timed out after 5000 ms', {
      type: 'ReplicaSetNoPrimary',
      servers: new Map(),
    } as TopologyDescription);
    const error = wrappedDriverError(cause);
    expect(toStoreError(error, 'commit')).toBeInstanceOf(StoreUnavailable);
  });

  it('a write concern error (the MongoWriteConcernError path and the result path) is unavailable', () => {
    // executeCommands: a MongoWriteConcernError of a batch becomes { message, code } + result.
    const wce = new MongoWriteConcernError({
      writeConcernError: { code: 64, errmsg: 'waiting for replication timed out' },
    } as WriteConcernErrorResult);
    const viaThrown = new MongoBulkWriteError(
      { message: wce.message, code: 64 },
      bulkResult({
        writeConcernErrors: [new WriteConcernError({ code: 64, errmsg: 'waiting for replication timed out' })],
      }),
    );
    expect(toStoreError(viaThrown, 'commit')).toBeInstanceOf(StoreUnavailable);
    // handleWriteError: a WriteConcernError instance ends up in `err`.
    const viaResult = new MongoBulkWriteError(new WriteConcernError({ code: 100, errmsg: 'no quorum' }), bulkResult());
    expect(viaResult.err).toBeDefined();
    expect(toStoreError(viaResult, 'commit')).toBeInstanceOf(StoreUnavailable);
  });

  it('refused documents (writeErrors) and non-transient driver errors pass through', () => {
    const refused = new MongoBulkWriteError(
      {
        message: 'E11000 duplicate key',
        code: 11000,
        // Deliberately a plain object standing in for the driver's WriteError: only its presence counts.
        writeErrors: [{ index: 0, code: 11000, errmsg: 'E11000 duplicate key' } as unknown as WriteError],
      },
      bulkResult(),
    );
    expect(bulkWriteUnavailable(refused)).toBe(false);
    expect(toStoreError(refused, 'commit')).toBe(refused);
    const invalid = wrappedDriverError(
      new MongoInvalidArgumentError('Document is larger than the maximum size 16777216'),
    );
    expect(toStoreError(invalid, 'commit')).toBe(invalid);
  });

  it('commit answers StoreUnavailable when bulkWrite fails mid-batch', async () => {
    const store = new MongoReadModelStore('mongodb://127.0.0.1:1/?directConnection=true', 'ordos_test', {
      serverSelectionTimeoutMS: 200,
    });
    const spy = jest
      .spyOn(Collection.prototype, 'bulkWrite')
      .mockRejectedValue(wrappedDriverError(new MongoNetworkError('socket hang up')));
    try {
      await expect(
        store.commit('p', [{ op: 'upsert', collection: 'projects', doc: { _id: 'a', _v: 1 } }], {
          position: '1',
          updatedAt: '2026-01-01T00:00:00Z',
        }),
      ).rejects.toBeInstanceOf(StoreUnavailable);
    } finally {
      spy.mockRestore();
      await store.close();
    }
  });
});

describe('MongoDB adapter: index builds', () => {
  const specs: IndexSpec[] = [{ fields: { status: 1 } }, { fields: { code: 1 }, unique: true }];

  function stubIndexes() {
    const create = jest.spyOn(Collection.prototype, 'createIndexes');
    return { create };
  }

  afterEach(() => jest.restoreAllMocks());

  it('creates the indexes with no maxTimeMS (an interrupted build is aborted by mongod)', async () => {
    const store = new MongoReadModelStore('mongodb://127.0.0.1:1/?directConnection=true', 'ordos_test');
    const { create } = stubIndexes();
    create.mockResolvedValue(['status_1', 'code_1']);
    await store.ensureIndexes('projects', specs);
    expect(create).toHaveBeenCalledTimes(1);
    const [descriptions, options] = create.mock.calls[0] as unknown as [unknown[], Record<string, unknown> | undefined];
    expect(descriptions).toEqual([{ key: { status: 1 } }, { key: { code: 1 }, unique: true }]);
    expect(options?.maxTimeMS).toBeUndefined();
    await store.close();
  });

  it('in the foreground a failure is reported to the caller as StoreUnavailable', async () => {
    const store = new MongoReadModelStore('mongodb://127.0.0.1:1/?directConnection=true', 'ordos_test');
    stubIndexes().create.mockRejectedValue(new MongoNetworkError('socket timed out'));
    await expect(store.ensureIndexes('projects', specs)).rejects.toBeInstanceOf(StoreUnavailable);
    await store.close();
  });

  it('in the background: returns at once, reports a failure and retries until it succeeds', async () => {
    const errors: unknown[] = [];
    const store = new MongoReadModelStore('mongodb://127.0.0.1:1/?directConnection=true', 'ordos_test', {
      indexRetryMs: 5,
      onIndexError: (_collection, error) => errors.push(error),
    });
    const { create } = stubIndexes();
    let release!: () => void;
    const built = new Promise<void>((resolve) => (release = resolve));
    create.mockRejectedValueOnce(new MongoNetworkError('socket timed out')).mockImplementationOnce(async () => {
      release();
      return ['status_1', 'code_1'];
    });
    const started = Date.now();
    await store.ensureIndexes('projects', specs, { background: true });
    expect(Date.now() - started).toBeLessThan(50);
    await built;
    expect(create).toHaveBeenCalledTimes(2);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(StoreUnavailable);
    await store.close();
  });

  it('stops retrying once closed', async () => {
    const errors: unknown[] = [];
    const store = new MongoReadModelStore('mongodb://127.0.0.1:1/?directConnection=true', 'ordos_test', {
      indexRetryMs: 20,
      onIndexError: (_c, e) => errors.push(e),
    });
    const { create } = stubIndexes();
    create.mockRejectedValue(new MongoNetworkError('down'));
    await store.ensureIndexes('projects', specs, { background: true });
    await new Promise((r) => setTimeout(r, 5));
    await store.close();
    const calls = create.mock.calls.length;
    await new Promise((r) => setTimeout(r, 80));
    expect(create.mock.calls.length).toBe(calls);
  });
});

describe('MongoDB adapter: a read whose collection vanished under it (issue 11 §5d)', () => {
  const killed = () =>
    new MongoServerError({
      code: 175,
      codeName: 'QueryPlanKilled',
      errmsg: 'collection dropped: ordos_test.projects_gx',
    });

  afterEach(() => jest.restoreAllMocks());

  it('is retried once and answers, instead of failing the request with a 500', async () => {
    const store = new MongoReadModelStore('mongodb://127.0.0.1:1/?directConnection=true', 'ordos_test');
    const doc = { _id: 'p1', _v: 3 };
    const spy = jest.spyOn(Collection.prototype, 'findOne').mockRejectedValueOnce(killed()).mockResolvedValueOnce(doc);
    await expect(store.get('projects_gx', 'p1')).resolves.toEqual(doc);
    expect(spy).toHaveBeenCalledTimes(2);
    await store.close();
  });

  it('is retried only once', async () => {
    const store = new MongoReadModelStore('mongodb://127.0.0.1:1/?directConnection=true', 'ordos_test');
    const spy = jest.spyOn(Collection.prototype, 'findOne').mockRejectedValue(killed());
    await expect(store.get('projects_gx', 'p1')).rejects.toBeInstanceOf(MongoServerError);
    expect(spy).toHaveBeenCalledTimes(2);
    await store.close();
  });
});

describe('MongoDB adapter: plain documents, checkpoint reset, pre-generation version (driver calls)', () => {
  afterEach(() => jest.restoreAllMocks());
  const open = () =>
    new MongoReadModelStore('mongodb://127.0.0.1:1/?directConnection=true', 'ordos_test', { maxTimeMS: 1234 });
  const acknowledged: UpdateResult = {
    acknowledged: true,
    matchedCount: 0,
    modifiedCount: 0,
    upsertedCount: 1,
    upsertedId: null,
  };

  it('putDocument replaces by _id with upsert, unguarded by _v', async () => {
    const store = open();
    const replace = jest.spyOn(Collection.prototype, 'replaceOne').mockResolvedValue(acknowledged);
    const doc = { _id: 's1', _v: 1, url: 'https://a.example' };
    await store.putDocument('webhook_subscriptions', doc);
    expect(replace).toHaveBeenCalledWith({ _id: 's1' }, doc, { upsert: true, maxTimeMS: 1234 });
    expect((replace.mock.contexts[0] as Collection).collectionName).toBe('webhook_subscriptions');
    await store.close();
  });

  it('deleteDocument deletes by _id alone', async () => {
    const store = open();
    const remove = jest
      .spyOn(Collection.prototype, 'deleteOne')
      .mockResolvedValue({ acknowledged: true, deletedCount: 1 });
    await store.deleteDocument('webhook_dead_letters', 's1:42');
    expect(remove).toHaveBeenCalledWith({ _id: 's1:42' }, { maxTimeMS: 1234 });
    await store.close();
  });

  it('resetCheckpoint replaces the checkpoint without a guard (the upsert takes _id from the filter)', async () => {
    const store = open();
    const replace = jest.spyOn(Collection.prototype, 'replaceOne').mockResolvedValue(acknowledged);
    await store.resetCheckpoint('webhook:s1', { position: '7', updatedAt: 't' });
    const [filter, replacement, options] = replace.mock.calls[0];
    expect(filter).toEqual({ _id: 'webhook:s1' });
    expect(replacement).toEqual({ position: '7', sortKey: expect.any(String), updatedAt: 't' });
    expect(options).toEqual({ upsert: true, maxTimeMS: 1234 });
    expect((replace.mock.contexts[0] as Collection).collectionName).toBe('_checkpoints');
    await store.close();
  });

  it('legacyProjectionVersion reads <projection>@version from _checkpoints', async () => {
    const store = open();
    const find = jest
      .spyOn(Collection.prototype, 'findOne')
      .mockResolvedValueOnce({ _id: 'projects@version', position: '3' });
    await expect(store.legacyProjectionVersion('projects')).resolves.toBe(3);
    expect(find).toHaveBeenCalledWith({ _id: 'projects@version' }, { maxTimeMS: 1234 });
    find.mockResolvedValueOnce(null);
    await expect(store.legacyProjectionVersion('projects')).resolves.toBeNull();
    await store.close();
  });
});
