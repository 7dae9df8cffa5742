import { Module, type DynamicModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { PlatformController } from './platform.controller';
import { ProjectionsAdminController } from './projections-admin.controller';
import { TestClockController } from './test-clock.controller';

/** What operators use: health, metrics, projection status and rebuilds, the test clock. */
@Module({})
export class OperationsModule {
  static forRoot(options: { testClock: boolean }): DynamicModule {
    return {
      module: OperationsModule,
      imports: [TerminusModule],
      controllers: [
        PlatformController,
        ProjectionsAdminController,
        ...(options.testClock ? [TestClockController] : []),
      ],
    };
  }
}
