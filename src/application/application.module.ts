import { Global, Module } from '@nestjs/common';
import { FrameworkMembers } from './framework-members';
import { ProjectRegistrations } from './project-registrations';

/** Application services shared by features: who a project belongs to, and which departments a framework lists. */
@Global()
@Module({ providers: [ProjectRegistrations, FrameworkMembers], exports: [ProjectRegistrations, FrameworkMembers] })
export class ApplicationModule {}
