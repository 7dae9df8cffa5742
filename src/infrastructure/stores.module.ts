import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from './config';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port';
import { EventStoreDbEventStore } from '../event-store/eventstoredb-event-store';
import { SqliteEventStore } from '../event-store/sqlite-event-store';
import { MongoReadModelStore } from '../read-model/mongodb-read-model.store';
import { READ_MODEL_STORE, type ReadModelStore } from '../read-model/read-model.port';
import { SqliteReadModelStore } from '../read-model/sqlite-read-model.store';
import { randomUUID } from 'node:crypto';
import { INSTANCE_ID, LEASE_STORE, type LeaseStore } from '../leases/lease.port';
import { MongoLeaseStore } from '../leases/mongodb-lease.store';
import { SqliteLeaseStore } from '../leases/sqlite-lease.store';
import { APP_CONFIG } from './tokens';
import { HASH_ALG, type HashAlg } from './crypto-suite';
import { DOCUMENT_STORE, type DocumentStore } from '../document-store/document-store.port';
import { FileDocumentStore } from '../document-store/file-document.store';
import { GridFsDocumentStore } from '../document-store/gridfs-document.store';

/** The chain hash new events record: none under `international` (sha256, today's bytes), sm3 under `gm`. */
function suiteHashAlg(config: AppConfig): HashAlg | undefined {
  return config.cryptoSuite === 'gm' ? HASH_ALG.gm : undefined;
}

/**
 * Binds the ports (event store, read models, leases) to their adapters from configuration.
 * Nothing else in the service knows which adapter runs.
 */
@Global()
@Module({
  providers: [
    {
      provide: EVENT_STORE,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig): Promise<EventStore> =>
        config.eventStore.kind === 'eventstoredb'
          ? EventStoreDbEventStore.connect(config.eventStore.connectionString, { hashAlg: suiteHashAlg(config) })
          : SqliteEventStore.open(config.eventStore.file, { hashAlg: suiteHashAlg(config) }),
    },
    {
      provide: READ_MODEL_STORE,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig): Promise<ReadModelStore> =>
        config.readModels.kind === 'mongodb'
          ? MongoReadModelStore.connect(config.readModels.uri, config.readModels.dbName)
          : SqliteReadModelStore.open(config.readModels.file),
    },
    {
      // Beside the read models: every instance over one read-model store shares its leases.
      provide: LEASE_STORE,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig): Promise<LeaseStore> =>
        config.readModels.kind === 'mongodb'
          ? MongoLeaseStore.connect(config.readModels.uri, config.readModels.dbName)
          : SqliteLeaseStore.open(config.readModels.file),
    },
    { provide: INSTANCE_ID, useFactory: (): string => randomUUID() },
    {
      provide: DOCUMENT_STORE,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig): Promise<DocumentStore> =>
        config.documentStore.kind === 'gridfs'
          ? GridFsDocumentStore.connect(config.documentStore.uri, config.documentStore.dbName)
          : FileDocumentStore.open(config.documentStore.dir),
    },
  ],
  exports: [EVENT_STORE, READ_MODEL_STORE, LEASE_STORE, INSTANCE_ID, DOCUMENT_STORE],
})
export class StoresModule implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    @Inject(LEASE_STORE) private readonly leases: LeaseStore,
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
  ) {}

  /** Runs after every other shutdown hook (projections drain first), then closes the stores. */
  async onApplicationShutdown(): Promise<void> {
    await this.eventStore.close();
    await this.readModels.close();
    await this.leases.close();
    await this.documents.close();
  }
}
