import { Global, Module } from '@nestjs/common';
import { InboxSources } from './inbox-sources';
import { ProjectRegistrations } from './project-registrations';

/** Application services shared by features: who a project belongs to; the inbox's sources. */
@Global()
@Module({ providers: [ProjectRegistrations, InboxSources], exports: [ProjectRegistrations, InboxSources] })
export class ApplicationModule {}
