import { Module } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port';
import type { AppConfig } from '../infrastructure/config';
import { APP_CONFIG } from '../infrastructure/tokens';
import {
  AuditDepartments,
  ExportAuditLogHandler,
  ExportAuditWorkbookHandler,
  ListAuditEventsHandler,
} from './audit-log.queries';
import { AuditController } from './audit.controller';
import { GetProjectArchiveHandler, GetProjectHistoryHandler, GetProjectStateAsOfHandler } from './history.queries';
import { SealStoreHandler, VerifyIntegrityHandler } from './integrity.handlers';
import { SEAL_KEY, sealKeyFrom } from './seal-key';
import { SealScheduler } from './seal.scheduler';
import { ProjectStreamCache } from './stream-cache';

/** 第二十八条 audit: history replay, the audit log, integrity verification and seals. */
@Module({
  controllers: [AuditController],
  providers: [
    { provide: SEAL_KEY, useFactory: (config: AppConfig) => sealKeyFrom(config), inject: [APP_CONFIG] },
    // One cache for history and state: both replay the same streams.
    {
      provide: ProjectStreamCache,
      useFactory: (store: EventStore) => new ProjectStreamCache(store),
      inject: [EVENT_STORE],
    },
    AuditDepartments,
    GetProjectHistoryHandler,
    GetProjectStateAsOfHandler,
    ListAuditEventsHandler,
    ExportAuditLogHandler,
    ExportAuditWorkbookHandler,
    GetProjectArchiveHandler,
    VerifyIntegrityHandler,
    SealStoreHandler,
    SealScheduler,
  ],
})
export class AuditModule {}
