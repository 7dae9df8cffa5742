import { LRUCache } from 'lru-cache';
import { fold, projectDecider, projectStreamId, type ProjectState } from '../domain';
import type { EventMetadata } from '../event-store/envelope';
import type { EventStore, StoredEvent, StoredEventRaw } from '../event-store/event-store.port';
import { upcast } from '../event-store/upcasters';
import { asProjectEvents, toHistoryEntry } from './project-history';

const SNAPSHOT_EVERY = 100;

interface CachedStream {
  /** The events as stored: what every answer is proven against. */
  stored: StoredEventRaw[];
  /** stored[i], parsed and upcast. */
  events: StoredEvent[];
  /** State after events[0..k*SNAPSHOT_EVERY-1], for k = 1, 2, … */
  snapshots: ProjectState[];
  /** The serialised history answer for exactly these events. */
  historyJson?: string;
  /** The store's storageVersion when `stored` was last read in full and compared. */
  version?: string;
}

/** One stream as stored right now; answers come from it and never from an older reading. */
export interface StreamView {
  events: StoredEvent[];
  historyJson(): string;
  stateAfter(count: number): ProjectState;
}

/**
 * Auditors replay the same long streams again and again, so parsed events, the serialised history
 * and a state snapshot every 100 events are kept. Kept, not trusted: the cached work is reused
 * only for the prefix of the stream proven byte-equal to storage. The proof is either the store's
 * storageVersion unchanged since the stream was last compared (nothing but this instance's own
 * appends touched the file: only the new events are read), or, when it moved or the adapter has
 * none, a fresh read of the stream's stored texts compared with the cached ones. A byte changed in
 * the file behind the service's back therefore shows in the very next history or state answer,
 * as it does in verify; an auditor is never shown an event that is no longer what is stored.
 */
export class ProjectStreamCache {
  /**
   * Bounded by the events held, not the streams: least recently used streams go first once the
   * cached events exceed the budget, and a stream longer than the whole budget is not kept.
   */
  private readonly streams: LRUCache<string, CachedStream>;

  constructor(
    private readonly eventStore: EventStore,
    maxEvents = 200_000,
  ) {
    this.streams = new LRUCache<string, CachedStream>({
      maxSize: maxEvents,
      sizeCalculation: (entry) => entry.events.length,
    });
  }

  /** The stream as stored now, with the cached work that still holds for it. */
  async view(projectId: string): Promise<StreamView> {
    const entry = await this.load(projectId);
    return {
      events: entry.events,
      historyJson: () =>
        (entry.historyJson ??= JSON.stringify({
          projectId,
          revision: entry.events.length - 1,
          events: entry.events.map(toHistoryEntry),
        })),
      stateAfter: (count) => stateAfter(entry, count),
    };
  }

  /** Every event of the project, as stored now. */
  async events(projectId: string): Promise<StoredEvent[]> {
    return (await this.view(projectId)).events;
  }

  /** The history answer as JSON text, serialised once per stored content. */
  async historyJson(projectId: string): Promise<{ json: string; count: number }> {
    const view = await this.view(projectId);
    return { json: view.historyJson(), count: view.events.length };
  }

  /** The state after the first `count` events, folded from the nearest snapshot. */
  async stateAfter(projectId: string, count: number): Promise<ProjectState> {
    return (await this.view(projectId)).stateAfter(count);
  }

  private async load(projectId: string): Promise<CachedStream> {
    const streamId = projectStreamId(projectId);
    const cached = this.streams.get(streamId);
    // Read before the stream: a change committed in between moves it again for the next call.
    const version = await this.eventStore.storageVersion?.();
    const stored =
      cached && version !== undefined && cached.version === version
        ? cached.stored.concat(await this.readStored(streamId, nextRevision(cached.stored)))
        : await this.readStored(streamId);
    let same = 0;
    if (cached) {
      const n = Math.min(cached.stored.length, stored.length);
      while (same < n && sameStored(cached.stored[same], stored[same])) same++;
    }
    let entry: CachedStream;
    if (cached && same === cached.stored.length && same === stored.length) {
      entry = cached;
      entry.version = version;
    } else {
      // Only the byte-equal prefix is reused; everything from the first difference (an appended
      // event, or one changed in the file) is parsed again from what is stored.
      const keep = cached ? cached.events.slice(0, same) : [];
      entry = {
        stored,
        events: keep.concat(stored.slice(same).map(parseStored).map(upcast)),
        snapshots: cached ? cached.snapshots.slice(0, Math.floor(same / SNAPSHOT_EVERY)) : [],
        version,
      };
      extendSnapshots(entry);
    }
    if (entry.events.length > 0) this.streams.set(streamId, entry);
    else this.streams.delete(streamId);
    return entry;
  }

  /** The stored texts; an adapter without a text read is read in full and re-serialised. */
  private async readStored(streamId: string, fromRevision = 0): Promise<StoredEventRaw[]> {
    if (this.eventStore.readStreamText) return this.eventStore.readStreamText(streamId, { fromRevision });
    return (await this.eventStore.readStream(streamId, { fromRevision })).map((event) => ({
      streamId: event.streamId,
      revision: event.revision,
      position: event.position,
      type: event.type,
      dataJson: JSON.stringify(event.data),
      metadataJson: JSON.stringify(event.metadata),
    }));
  }
}

/** The revision after the last one held (a stream with a removed event has gaps). */
function nextRevision(stored: readonly StoredEventRaw[]): number {
  return stored.length === 0 ? 0 : stored[stored.length - 1].revision + 1;
}

function sameStored(a: StoredEventRaw, b: StoredEventRaw): boolean {
  return (
    a.position === b.position &&
    a.revision === b.revision &&
    a.type === b.type &&
    a.dataJson === b.dataJson &&
    a.metadataJson === b.metadataJson
  );
}

function parseStored(raw: StoredEventRaw): StoredEvent {
  return {
    streamId: raw.streamId,
    revision: raw.revision,
    position: raw.position,
    type: raw.type,
    data: JSON.parse(raw.dataJson) as Record<string, unknown>,
    metadata: JSON.parse(raw.metadataJson) as EventMetadata,
  };
}

/** Folded from the nearest snapshot. Snapshots are never mutated: evolve returns new objects. */
function stateAfter(entry: CachedStream, count: number): ProjectState {
  count = Math.min(count, entry.events.length);
  const k = Math.min(Math.floor(count / SNAPSHOT_EVERY), entry.snapshots.length);
  const from = k === 0 ? undefined : entry.snapshots[k - 1];
  return fold(projectDecider, asProjectEvents(entry.events, k * SNAPSHOT_EVERY, count), from);
}

function extendSnapshots(entry: CachedStream): void {
  let k = entry.snapshots.length;
  let state = k === 0 ? undefined : entry.snapshots[k - 1];
  while ((k + 1) * SNAPSHOT_EVERY <= entry.events.length) {
    // Each snapshot folds on from the one before: a long stream is replayed once, not per snapshot.
    state = fold(projectDecider, asProjectEvents(entry.events, k * SNAPSHOT_EVERY, (k + 1) * SNAPSHOT_EVERY), state);
    entry.snapshots.push(state);
    k++;
  }
}
