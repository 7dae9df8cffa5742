import { Global, Module } from '@nestjs/common';
import { ProjectRegistrations } from './project-registrations';

/** Application services shared by features: who a project belongs to. */
@Global()
@Module({ providers: [ProjectRegistrations], exports: [ProjectRegistrations] })
export class ApplicationModule {}
