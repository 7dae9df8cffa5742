import { initialProjectState, projectDecider, projectStreamId, type ProjectEvent, type ProjectState } from '../domain';
import type { EventStore, StoredEvent } from '../event-store/event-store.port';
import { upcast } from '../event-store/upcasters';
import { toHistoryEntry } from './project-history';

const SNAPSHOT_EVERY = 100;

interface CachedStream {
  events: StoredEvent[];
  /** State after events[0..k*SNAPSHOT_EVERY-1], for k = 1, 2, … */
  snapshots: ProjectState[];
  /** The serialised history answer for the current length. */
  historyJson?: string;
}

/**
 * Auditors replay the same long streams again and again. A stream's past never changes (events
 * are immutable), so its parsed events, the serialised history and a state snapshot every 100
 * events are kept and only extended with what was appended since: a replay then folds at most
 * 99 events instead of the whole stream.
 */
export class ProjectStreamCache {
  private readonly streams = new Map<string, CachedStream>();

  constructor(
    private readonly eventStore: EventStore,
    private readonly maxEvents = 200_000,
  ) {}

  /** Every event of the project, current up to the store's head. */
  async events(projectId: string): Promise<StoredEvent[]> {
    return (await this.load(projectId)).events;
  }

  /** The history answer as JSON text, serialised once per stream length. */
  async historyJson(projectId: string): Promise<{ json: string; count: number }> {
    const entry = await this.load(projectId);
    entry.historyJson ??= JSON.stringify({
      projectId,
      revision: entry.events.length - 1,
      events: entry.events.map(toHistoryEntry),
    });
    return { json: entry.historyJson, count: entry.events.length };
  }

  /**
   * The state after the first `count` events, folded from the nearest snapshot. Snapshots are
   * never mutated: evolve returns new state objects.
   */
  async stateAfter(projectId: string, count: number): Promise<ProjectState> {
    const entry = await this.load(projectId);
    count = Math.min(count, entry.events.length);
    const k = Math.min(Math.floor(count / SNAPSHOT_EVERY), entry.snapshots.length);
    let state = k === 0 ? initialProjectState() : entry.snapshots[k - 1];
    for (let i = k * SNAPSHOT_EVERY; i < count; i++) {
      state = projectDecider.evolve(state, { type: entry.events[i].type, data: entry.events[i].data } as ProjectEvent);
    }
    return state;
  }

  private async load(projectId: string): Promise<CachedStream> {
    const streamId = projectStreamId(projectId);
    let entry = this.streams.get(streamId);
    const from = entry?.events.length ?? 0;
    const fresh = (await this.eventStore.readStream(streamId, { fromRevision: from })).map(upcast);
    if (!entry) entry = { events: [], snapshots: [] };
    if (fresh.length > 0) {
      entry = { events: [...entry.events, ...fresh], snapshots: entry.snapshots };
      this.extendSnapshots(entry);
    }
    this.streams.delete(streamId);
    if (entry.events.length > 0) this.streams.set(streamId, entry);
    this.evict();
    return entry;
  }

  private extendSnapshots(entry: CachedStream): void {
    let k = entry.snapshots.length;
    let state = k === 0 ? initialProjectState() : entry.snapshots[k - 1];
    while ((k + 1) * SNAPSHOT_EVERY <= entry.events.length) {
      for (let i = k * SNAPSHOT_EVERY; i < (k + 1) * SNAPSHOT_EVERY; i++) {
        state = projectDecider.evolve(state, { type: entry.events[i].type, data: entry.events[i].data } as ProjectEvent);
      }
      entry.snapshots.push(state);
      k++;
    }
  }

  /** Least recently used streams go first once the cached events exceed the budget. */
  private evict(): void {
    let total = 0;
    for (const entry of this.streams.values()) total += entry.events.length;
    for (const [streamId, entry] of this.streams) {
      if (total <= this.maxEvents) break;
      total -= entry.events.length;
      this.streams.delete(streamId);
    }
  }
}
