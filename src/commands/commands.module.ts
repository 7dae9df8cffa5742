import { Global, Module } from '@nestjs/common';
import { CommandDispatcher } from './command-dispatcher';
import { ExecuteCommandHandler } from './execute-command';
import { IdempotencyService } from './idempotency.service';

/** The command path: one dispatcher, one generic handler, idempotency keys. */
@Global()
@Module({
  providers: [IdempotencyService, CommandDispatcher, ExecuteCommandHandler],
  exports: [CommandDispatcher],
})
export class CommandsModule {}
