import { Global, Module } from '@nestjs/common';
import { FrameworkMembers } from './framework-members';
import { InboxSources } from './inbox-sources';
import { ProjectRegistrations } from './project-registrations';

/**
 * Application services shared by features: who a project belongs to, which departments a
 * framework lists, the inbox's sources.
 */
@Global()
@Module({
  providers: [ProjectRegistrations, FrameworkMembers, InboxSources],
  exports: [ProjectRegistrations, FrameworkMembers, InboxSources],
})
export class ApplicationModule {}
