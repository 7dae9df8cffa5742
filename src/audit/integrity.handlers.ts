import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler, type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { projectStreamId } from '../domain';
import { ProblemError } from '../application/errors';
import type { ChainCheck } from '../event-store/envelope';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port';
import { CLOCK, type Clock } from '../infrastructure/clock';
import { sealStore, verifyStore, verifyStream, type CorruptCheck, type StoreCheck } from './integrity';
import { SEAL_KEY } from './seal-key';

export type IntegrityReport = StoreCheck | CorruptCheck | ({ projectId: string } & (ChainCheck | CorruptCheck));

/** Recompute the hash chain of one project, or of the whole store with the latest seal. */
export class VerifyIntegrity extends Query<IntegrityReport> {
  constructor(readonly projectId?: string) {
    super();
  }
}

@QueryHandler(VerifyIntegrity)
export class VerifyIntegrityHandler implements IQueryHandler<VerifyIntegrity> {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(SEAL_KEY) private readonly sealKey: string,
  ) {}

  async execute({ projectId }: VerifyIntegrity): Promise<IntegrityReport> {
    if (!projectId) return verifyStore(this.eventStore, this.sealKey);
    const check = await verifyStream(this.eventStore, projectStreamId(projectId));
    if (check.checked === 0 && check.ok) {
      throw new ProblemError(404, 'PROJECT_NOT_FOUND', 'Not found', `No project ${projectId}.`);
    }
    return { projectId, ...check };
  }
}

/** Append a signed seal of every stream head (detects a later tail truncation). */
export class SealStore extends Command<Record<string, unknown>> {}

@CommandHandler(SealStore)
export class SealStoreHandler implements ICommandHandler<SealStore> {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(SEAL_KEY) private readonly sealKey: string,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute(): Promise<Record<string, unknown>> {
    return sealStore(this.eventStore, this.sealKey, this.clock.now());
  }
}
