import { EventEmitter } from 'node:events';
import type { EventStore, Position, StoredEvent, Subscription } from '../event-store/event-store.port';
import { comparePositions, parsePosition } from '../event-store/position';
import { upcast } from '../event-store/upcasters';
import type { Doc, DocChange, ReadModelStore } from '../read-model/read-model.port';
import type { Projection } from './projection';

export interface ProjectionStatus {
  name: string;
  version: number;
  collection: string;
  state: 'starting' | 'running' | 'rebuilding' | 'stopped' | 'failed';
  checkpoint: Position | null;
  head: Position | null;
  /** Events between the checkpoint and the head, where positions are countable (SQLite). */
  lagEvents: number | null;
  /** Milliseconds between the newest applied event's occurredAt and now, when behind. */
  lastAppliedAt: string | null;
  lastError: string | null;
}

interface Lane {
  projection: Projection;
  subscription?: Subscription;
  pending: StoredEvent[];
  flushing: Promise<void>;
  flushTimer?: NodeJS.Timeout;
  /** Position applied in memory (no document changed) but not yet written as the checkpoint. */
  unsavedCheckpoint?: { position: Position; timer: NodeJS.Timeout };
  checkpoint: Position | null;
  state: ProjectionStatus['state'];
  lastAppliedAt: string | null;
  lastError: string | null;
  retryTimer?: NodeJS.Timeout;
  retryDelayMs: number;
}

const BATCH = 2000;
const LIVE_BATCH_DELAY_MS = 5;
/** A batch that changed no document writes its checkpoint at most this often. */
const IDLE_CHECKPOINT_MS = 250;
const VERSION_KEY = (name: string) => `${name}@version`;

export interface ProjectionRunnerOptions {
  onError?: (projection: string, error: unknown) => void;
  /** After each committed batch, with the batch (for per-event lag metrics). */
  onApplied?: (projection: string, batch: readonly StoredEvent[], committedAt: number) => void;
}

/**
 * Feeds every projection from the event store: catch up from its checkpoint in batches, then
 * follow live. Each batch's documents and the checkpoint are committed together, so a crash at
 * any moment replays at most one batch, and replays change nothing (revision-guarded writes).
 * Several instances may run at once against MongoDB: guarded writes never move anything back.
 */
export class ProjectionRunner {
  private readonly lanes = new Map<string, Lane>();
  private readonly events = new EventEmitter();
  private stopped = false;
  private readonly indexing: Promise<void>[] = [];

  constructor(
    private readonly eventStore: EventStore,
    private readonly readModels: ReadModelStore,
    projections: readonly Projection[],
    private readonly options: ProjectionRunnerOptions = {},
  ) {
    this.events.setMaxListeners(0);
    for (const projection of projections) this.lanes.set(projection.name, this.newLane(projection));
  }

  private newLane(projection: Projection): Lane {
    return {
      projection,
      pending: [],
      flushing: Promise.resolve(),
      checkpoint: null,
      state: 'stopped',
      lastAppliedAt: null,
      lastError: null,
      retryDelayMs: 100,
    };
  }

  get projections(): Projection[] {
    return [...this.lanes.values()].map((lane) => lane.projection);
  }

  async start(): Promise<void> {
    this.stopped = false;
    for (const lane of this.lanes.values()) {
      await this.resetIfVersionChanged(lane);
      const fresh = (await this.readModels.getCheckpoint(lane.projection.name)) === null;
      if (!fresh) await this.readModels.ensureIndexes(lane.projection.collection, lane.projection.indexes);
      await this.startLane(lane);
      // Building a read model from zero: indexes are created once it has caught up, in one bulk
      // pass, instead of being updated on every one of a million writes.
      if (fresh) this.indexing.push(this.indexAfterCatchUp(lane));
    }
  }

  /** Stops following, then drains what was already received so nothing is re-applied later. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const lane of this.lanes.values()) {
      if (lane.retryTimer) clearTimeout(lane.retryTimer);
      await lane.subscription?.stop();
      if (lane.flushTimer) clearTimeout(lane.flushTimer);
      lane.flushTimer = undefined;
      await this.flush(lane);
      await (lane.flushing = lane.flushing.then(() => this.saveDeferredCheckpoint(lane)));
      lane.state = 'stopped';
    }
  }

  /**
   * Rebuilds one projection from zero into a fresh collection while the current one keeps
   * serving reads and following live events; when the fresh one has caught up, the live lane
   * pauses, the fresh collection takes the old one's place atomically with its checkpoint, and
   * the lane resumes from there. Nobody ever sees an empty read model.
   */
  async rebuild(name: string): Promise<void> {
    const lane = this.lane(name);
    if (lane.state === 'rebuilding') return;
    const { projection } = lane;
    const shadow: Projection = { ...projection, name: `${projection.name}~rebuild`, collection: `${projection.collection}__rebuild` };
    const shadowLane = this.newLane(shadow);
    lane.state = 'rebuilding';
    try {
      await this.readModels.dropCollection(shadow.collection);
      await this.readModels.deleteCheckpoint(shadow.name);
      await this.startLane(shadowLane, 'rebuilding');
      await this.catchUp(shadowLane);
      // Indexes in one bulk pass once the fresh collection holds (nearly) everything.
      await this.readModels.ensureIndexes(shadow.collection, shadow.indexes);
      // Pause the live lane, let the shadow reach everything the live one had, then swap.
      await lane.subscription?.stop();
      await this.flush(lane);
      this.clearDeferredCheckpoint(lane);
      await this.catchUp(shadowLane);
      await shadowLane.subscription?.stop();
      await this.flush(shadowLane);
      await this.readModels.replaceCollection(projection.collection, shadow.collection);
      if (shadowLane.checkpoint !== null) {
        await this.readModels.commit(projection.name, [], { position: shadowLane.checkpoint, updatedAt: new Date().toISOString() });
      }
      await this.readModels.deleteCheckpoint(shadow.name);
    } finally {
      await shadowLane.subscription?.stop();
      lane.state = 'starting';
      await this.startLane(lane);
    }
  }

  /** Resolves when read models built from zero at start have caught up and got their indexes. */
  async indexed(): Promise<void> {
    await Promise.all(this.indexing);
  }

  private async indexAfterCatchUp(lane: Lane): Promise<void> {
    try {
      await this.catchUp(lane);
      await this.readModels.ensureIndexes(lane.projection.collection, lane.projection.indexes);
    } catch (error) {
      this.options.onError?.(lane.projection.name, error);
      // Queries stay correct without indexes; the next start creates them.
    }
  }

  /** Resolves once the lane has applied everything stored when it was called. */
  private async catchUp(lane: Lane): Promise<void> {
    const head = await this.eventStore.headPosition();
    if (head === undefined) return;
    for (;;) {
      if (await this.reached(lane, head)) return;
      if (lane.state === 'failed') throw new Error(`rebuild of ${lane.projection.name} failed: ${lane.lastError}`);
      await this.waitUntil(() => this.reached(lane, head), 1000);
    }
  }

  async status(): Promise<ProjectionStatus[]> {
    const head = (await this.eventStore.headPosition()) ?? null;
    const caughtUp = new Map<string, boolean>();
    for (const lane of this.lanes.values()) caughtUp.set(lane.projection.name, head === null || (await this.reached(lane, head)));
    return [...this.lanes.values()].map((lane) => ({
      name: lane.projection.name,
      version: lane.projection.version,
      collection: lane.projection.collection,
      state: lane.state,
      checkpoint: lane.checkpoint,
      head,
      lagEvents: caughtUp.get(lane.projection.name) ? 0 : lagBetween(lane.checkpoint, head),
      lastAppliedAt: lane.lastAppliedAt,
      lastError: lane.lastError,
    }));
  }

  /**
   * Resolves true once every projection (or the named one) has applied the event at `position`,
   * false after `timeoutMs`. Lets a client read its own write (`?minPosition=`).
   */
  async waitForPosition(position: Position, timeoutMs: number, name?: string): Promise<boolean> {
    const lanes = name ? [this.lane(name)] : [...this.lanes.values()];
    const reached = async () => {
      for (const lane of lanes) if (!(await this.reached(lane, position))) return false;
      return true;
    };
    return this.waitUntil(reached, timeoutMs);
  }

  /**
   * Whether a lane has applied everything up to `position`. A lane that reads only some event
   * types has also reached it when none of its types was stored after its checkpoint.
   */
  private async reached(lane: Lane, position: Position): Promise<boolean> {
    if (lane.checkpoint !== null && comparePositions(lane.checkpoint, position) >= 0) return true;
    const types = lane.projection.types;
    if (!types || lane.pending.length > 0) return false;
    const [next] = await this.eventStore.readAll({ after: lane.checkpoint ?? undefined, limit: 1, types });
    return next === undefined || comparePositions(next.position, position) > 0;
  }

  /** Resolves true when `check` holds after some batch was committed (or already now). */
  async waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
    if (await check()) return true;
    return new Promise<boolean>((resolve) => {
      let settled = false;
      const finish = (value: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.events.off('committed', onCommit);
        resolve(value);
      };
      const onCommit = async () => {
        if (await check()) finish(true);
      };
      const timer = setTimeout(async () => finish(await check()), timeoutMs);
      this.events.on('committed', onCommit);
    });
  }

  /** The position a projection has applied (in memory; cheap). */
  checkpointOf(name: string): Position | null {
    return this.lane(name).checkpoint;
  }

  has(name: string): boolean {
    return this.lanes.has(name);
  }

  private lane(name: string): Lane {
    const lane = this.lanes.get(name);
    if (!lane) throw new UnknownProjection(name);
    return lane;
  }

  private async resetIfVersionChanged(lane: Lane): Promise<void> {
    const { projection } = lane;
    // The projection's version is stored as a pseudo-checkpoint beside its real one.
    const stored = await this.readModels.getCheckpoint(VERSION_KEY(projection.name));
    const current = String(projection.version);
    if (stored && stored.position === current) return;
    if (stored || (await this.readModels.getCheckpoint(projection.name))) {
      await this.readModels.dropCollection(projection.collection);
      await this.readModels.deleteCheckpoint(projection.name);
    }
    await this.readModels.deleteCheckpoint(VERSION_KEY(projection.name));
    await this.readModels.commit(VERSION_KEY(projection.name), [], { position: current, updatedAt: new Date().toISOString() });
  }

  private async startLane(lane: Lane, state: ProjectionStatus['state'] = 'starting'): Promise<void> {
    if (this.stopped) return;
    const checkpoint = await this.readModels.getCheckpoint(lane.projection.name);
    lane.checkpoint = checkpoint?.position ?? null;
    lane.state = state === 'starting' ? 'running' : state;
    const subscription = this.eventStore.subscribeAll({ after: lane.checkpoint ?? undefined, types: lane.projection.types }, (event) =>
      this.receive(lane, event),
    );
    lane.subscription = subscription;
    subscription.done.then(
      () => undefined,
      (error: unknown) => this.fail(lane, error),
    );
  }

  private async receive(lane: Lane, event: StoredEvent): Promise<void> {
    lane.pending.push(upcast(event));
    if (lane.pending.length >= BATCH) {
      await this.flush(lane);
    } else if (!lane.flushTimer) {
      // Live events arrive one by one: gather what arrives within a few milliseconds into one
      // transaction (far cheaper than one per event; the lag target is hundreds of ms).
      lane.flushTimer = setTimeout(() => {
        lane.flushTimer = undefined;
        this.flush(lane).catch((error: unknown) => this.fail(lane, error));
      }, LIVE_BATCH_DELAY_MS);
    }
  }

  private flush(lane: Lane): Promise<void> {
    lane.flushing = lane.flushing.then(async () => {
      if (lane.pending.length === 0) return;
      const batch = lane.pending.splice(0, lane.pending.length);
      await this.apply(lane, batch);
    });
    return lane.flushing;
  }

  private async apply(lane: Lane, batch: StoredEvent[]): Promise<void> {
    const { projection } = lane;
    const routes = batch.map((event) => projection.route(event));
    const ids = [...new Set(routes.flat())];
    const docs = new Map<string, Doc | null>(ids.map((id) => [id, null]));
    if (ids.length > 0) {
      for (const doc of await this.readModels.getMany(projection.collection, ids)) docs.set(doc._id, doc);
    }
    const changed = new Map<string, DocChange>();
    batch.forEach((event, i) => {
      for (const id of routes[i]) {
        const doc = docs.get(id) ?? null;
        if (doc && doc._v >= event.revision) continue; // already applied: replay changes nothing
        const body = projection.evolve(doc, event, id);
        if (body === null) {
          docs.set(id, null);
          changed.set(id, { op: 'delete', collection: projection.collection, id, _v: event.revision });
        } else {
          const next = { ...body, _id: id, _v: event.revision } as Doc;
          docs.set(id, next);
          changed.set(id, { op: 'upsert', collection: projection.collection, doc: next });
        }
      }
    });
    if (projection.finalize) {
      for (const change of changed.values()) {
        if (change.op === 'upsert') {
          const { _id, _v, ...body } = change.doc;
          change.doc = { ...projection.finalize(body), _id, _v } as Doc;
        }
      }
    }
    const last = batch[batch.length - 1];
    if (changed.size === 0 && lane.state !== 'rebuilding') {
      // Nothing to write but the position: keep it in memory and save it shortly (a crash
      // before that only replays events that change nothing).
      this.deferCheckpoint(lane, last.position);
    } else {
      this.clearDeferredCheckpoint(lane);
      await this.readModels.commit(projection.name, [...changed.values()], { position: last.position, updatedAt: new Date().toISOString() });
    }
    lane.checkpoint = last.position;
    lane.lastAppliedAt = last.metadata.occurredAt;
    lane.lastError = null;
    lane.retryDelayMs = 100;
    if (lane.state !== 'rebuilding') lane.state = 'running';
    this.options.onApplied?.(projection.name, batch, Date.now());
    this.events.emit('committed', projection.name);
  }

  private deferCheckpoint(lane: Lane, position: Position): void {
    if (lane.unsavedCheckpoint) {
      lane.unsavedCheckpoint.position = position;
      return;
    }
    const timer = setTimeout(() => {
      lane.flushing = lane.flushing.then(() => this.saveDeferredCheckpoint(lane)).catch((error: unknown) => this.fail(lane, error));
    }, IDLE_CHECKPOINT_MS);
    timer.unref();
    lane.unsavedCheckpoint = { position, timer };
  }

  private clearDeferredCheckpoint(lane: Lane): void {
    if (lane.unsavedCheckpoint) clearTimeout(lane.unsavedCheckpoint.timer);
    lane.unsavedCheckpoint = undefined;
  }

  private async saveDeferredCheckpoint(lane: Lane): Promise<void> {
    const pending = lane.unsavedCheckpoint;
    if (!pending) return;
    this.clearDeferredCheckpoint(lane);
    await this.readModels.commit(lane.projection.name, [], { position: pending.position, updatedAt: new Date().toISOString() });
  }

  /** A failing lane restarts from its checkpoint with back-off; the others keep running. */
  private fail(lane: Lane, error: unknown): void {
    if (this.stopped || lane.state === 'failed') return;
    lane.state = 'failed';
    lane.lastError = error instanceof Error ? error.message : String(error);
    lane.pending = [];
    this.options.onError?.(lane.projection.name, error);
    void lane.subscription?.stop();
    const delay = lane.retryDelayMs;
    lane.retryDelayMs = Math.min(lane.retryDelayMs * 2, 30_000);
    lane.retryTimer = setTimeout(() => {
      lane.flushing = Promise.resolve();
      void this.startLane(lane).catch((e: unknown) => this.fail(lane, e));
    }, delay);
    lane.retryTimer.unref();
  }
}

export class UnknownProjection extends Error {
  constructor(readonly projection: string) {
    super(`unknown projection ${projection}`);
    this.name = 'UnknownProjection';
  }
}

function lagBetween(checkpoint: Position | null, head: Position | null): number | null {
  if (head === null) return 0;
  try {
    const h = parsePosition(head);
    if (head.includes('/')) return null; // EventStoreDB log positions are bytes, not event counts
    const c = checkpoint === null ? 0n : parsePosition(checkpoint).commit;
    return Number(h.commit - c > 0n ? h.commit - c : 0n);
  } catch {
    return null;
  }
}
