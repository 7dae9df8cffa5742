import { Module } from '@nestjs/common';
import { GetFrameworkHandler, ListFrameworksHandler } from './framework.queries';
import { FrameworkVisibilityGuard } from './framework-visibility';
import { FrameworksController } from './frameworks.controller';
import { FrameworksInboxSource } from './frameworks-inbox';

/** 第七条 cross-department frameworks: their commands, their read model and their visibility. */
@Module({
  controllers: [FrameworksController],
  providers: [GetFrameworkHandler, ListFrameworksHandler, FrameworkVisibilityGuard, FrameworksInboxSource],
})
export class FrameworksModule {}
