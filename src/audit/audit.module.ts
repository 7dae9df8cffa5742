import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { SealScheduler } from './seal.scheduler';

/** 第二十八条 audit: history replay, the audit log, integrity verification and seals. */
@Module({ controllers: [AuditController], providers: [SealScheduler] })
export class AuditModule {}
