import { Global, Module } from '@nestjs/common';
import { CONSTRUCTION_BAN } from '../application/construction-ban';
import { ConstructionBanService } from './construction-ban.service';
import { SystemsController } from './systems.controller';
import { SystemsInboxSource } from './systems-inbox';
import { GetSystemHandler, ListSystemsHandler } from './systems.queries';

/**
 * 第二十四条 existing systems and the department's systems read model; provides the construction
 * ban to the command path (global: the command path sits below the features).
 */
@Global()
@Module({
  controllers: [SystemsController],
  providers: [
    ListSystemsHandler,
    GetSystemHandler,
    ConstructionBanService,
    SystemsInboxSource,
    { provide: CONSTRUCTION_BAN, useExisting: ConstructionBanService },
  ],
  exports: [CONSTRUCTION_BAN],
})
export class SystemsModule {}
