import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '../config';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port';
import { EventStoreDbEventStore } from '../event-store/eventstoredb-event-store';
import { SqliteEventStore } from '../event-store/sqlite-event-store';
import { MongoReadModelStore } from '../read-model/mongodb-read-model.store';
import { READ_MODEL_STORE, type ReadModelStore } from '../read-model/read-model.port';
import { SqliteReadModelStore } from '../read-model/sqlite-read-model.store';
import { APP_CONFIG } from './tokens';

/**
 * Binds the two ports to their adapters from configuration. Nothing else in the service knows
 * which adapter runs.
 */
@Global()
@Module({
  providers: [
    {
      provide: EVENT_STORE,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig): Promise<EventStore> =>
        config.eventStore.kind === 'eventstoredb'
          ? EventStoreDbEventStore.connect(config.eventStore.connectionString)
          : SqliteEventStore.open(config.eventStore.file),
    },
    {
      provide: READ_MODEL_STORE,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig): Promise<ReadModelStore> =>
        config.readModels.kind === 'mongodb'
          ? MongoReadModelStore.connect(config.readModels.uri, config.readModels.dbName)
          : SqliteReadModelStore.open(config.readModels.file),
    },
  ],
  exports: [EVENT_STORE, READ_MODEL_STORE],
})
export class StoresModule implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
  ) {}

  /** Runs after every other shutdown hook (projections drain first), then closes the stores. */
  async onApplicationShutdown(): Promise<void> {
    await this.eventStore.close();
    await this.readModels.close();
  }
}
