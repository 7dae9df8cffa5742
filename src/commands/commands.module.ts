import { Global, Module } from '@nestjs/common';
import { Commands } from './commands';
import { IdempotencyService } from './idempotency.service';

/** The command path: one straight line per command, idempotency keys as its collaborator. */
@Global()
@Module({
  providers: [IdempotencyService, Commands],
  exports: [Commands],
})
export class CommandsModule {}
