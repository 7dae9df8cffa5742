import { Injectable } from '@nestjs/common';
import type { Actor, InboxItem } from '../domain';

/**
 * One source of inbox items (GET /inbox): a feature that holds something a role must act on lists
 * it for the caller as of `now`. Each source scopes its own answer: a construction unit is shown
 * only what its own department acts on (第三条), and never learns of another department's records.
 */
export interface InboxSource {
  /** for errors and logs: which feature answered */
  readonly name: string;
  itemsFor(actor: Actor, now: string): Promise<InboxItem[]>;
}

/**
 * The sources the inbox merges. A feature module registers its source when it starts
 * (`onModuleInit`), so a new aggregate (existing systems, frameworks, …) adds its items without the
 * inbox importing it.
 */
@Injectable()
export class InboxSources {
  private readonly sources: InboxSource[] = [];

  register(source: InboxSource): void {
    if (!this.sources.some((s) => s.name === source.name)) this.sources.push(source);
  }

  all(): readonly InboxSource[] {
    return this.sources;
  }
}
