import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { Projection } from './projection';
import { PROJECTIONS, ProjectionService } from './projection.service';

/** Runs the read models it is given (each feature owns its projection; app.module lists them). */
@Global()
@Module({})
export class ProjectionsModule {
  static forRoot(projections: readonly Projection[]): DynamicModule {
    return {
      module: ProjectionsModule,
      providers: [{ provide: PROJECTIONS, useValue: projections }, ProjectionService],
      exports: [ProjectionService],
    };
  }
}
