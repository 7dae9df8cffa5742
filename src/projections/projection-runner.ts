import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { EventStore, Position, StoredEvent, Subscription } from '../event-store/event-store.port';
import { comparePositions, parsePosition } from '../event-store/position';
import { upcast } from '../event-store/upcasters';
import type { Doc, DocChange, ReadModelStore, StoredProjectionRegistry } from '../read-model/read-model.port';
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
  /** The generation this lane writes: its collection, and the name of its checkpoint. */
  generation: string;
  /** The collection readers use: the lane's own, or an older version's while this one builds. */
  reads: string;
  /** Building a generation not yet active (at start, or a rebuild's fresh lane). */
  building: boolean;
  /** Serialises generation switches of this lane. */
  switching: Promise<void>;
  subscription?: Subscription;
  pending: StoredEvent[];
  flushing: Promise<void>;
  flushTimer?: NodeJS.Timeout;
  /** Position applied in memory (no document changed) but not yet written as the checkpoint. */
  unsavedCheckpoint?: { position: Position; generation: string; timer: NodeJS.Timeout };
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
/** How often an instance looks for a generation activated elsewhere. */
const REGISTRY_POLL_MS = 1000;
/** A superseded generation is dropped this long after it was superseded (readers in flight). */
const RETIRED_GRACE_MS = 10 * 60_000;

export interface ProjectionRunnerOptions {
  onError?: (projection: string, error: unknown) => void;
  /** After each committed batch, with the batch (for per-event lag metrics). */
  onApplied?: (projection: string, batch: readonly StoredEvent[], committedAt: number) => void;
  /** Overrides for tests. */
  registryPollMs?: number;
  retiredGraceMs?: number;
}

/**
 * Feeds every projection from the event store: catch up from its checkpoint in batches, then
 * follow live.
 *
 * Generations: a projection's documents live in a generation-named collection (checkpoint of
 * the same name), and a registry per projection in the read-model store maps each projection
 * version to its active generation. Instances sharing the store follow the active generation of
 * their own version; a version with none builds one from zero (readers meanwhile use the newest
 * older version's) and activates it by compare-and-set once caught up. A rebuild is a fresh
 * generation built from the event store (so events applied elsewhere meanwhile are in it),
 * activated the same way; the loser of two rebuilds drops only its own generation. Nothing is
 * renamed and nothing active is ever dropped: superseded generations go after a grace period.
 * Each batch's documents and the checkpoint are committed together, so a crash at any moment
 * replays at most one batch, and replays change nothing (revision-guarded writes).
 * Several instances may run at once against MongoDB: guarded writes never move anything back.
 */
export class ProjectionRunner {
  private readonly lanes = new Map<string, Lane>();
  private readonly events = new EventEmitter();
  private stopped = false;
  /** Rebuilds running in the background: stop() waits for them to end. */
  private readonly rebuilding = new Set<Promise<void>>();
  private readonly indexing: Promise<void>[] = [];
  private readonly shadows = new Set<Lane>();
  private poller?: NodeJS.Timeout;
  private polling = false;

  constructor(
    private readonly eventStore: EventStore,
    private readonly readModels: ReadModelStore,
    projections: readonly Projection[],
    private readonly options: ProjectionRunnerOptions = {},
  ) {
    this.events.setMaxListeners(0);
    for (const projection of projections) this.lanes.set(projection.name, this.newLane(projection));
  }

  private newLane(projection: Projection, generation = projection.collection): Lane {
    return {
      projection,
      generation,
      reads: generation,
      building: false,
      switching: Promise.resolve(),
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
      const { projection } = lane;
      const registry = await this.registry(projection);
      const active = registry?.active[String(projection.version)];
      if (active) {
        lane.generation = lane.reads = active;
        lane.building = false;
        // Start-up never waits on (nor is failed by) an index build: on MongoDB a build over a
        // large collection runs in the background and is retried if it fails (issue 11 §5a).
        await this.readModels.ensureIndexes(active, projection.indexes, { background: true });
        await this.startLane(lane);
      } else {
        // No generation of this version yet (first start, or new code in a rolling deploy):
        // build one from zero; readers keep the newest older version's until it is caught up.
        lane.generation = this.newGenerationName(projection);
        lane.reads = newestOlder(registry, projection.version) ?? lane.generation;
        lane.building = true;
        await this.startLane(lane);
        this.indexing.push(this.activateWhenCaughtUp(lane));
      }
    }
    this.poller = setInterval(() => void this.poll(), this.options.registryPollMs ?? REGISTRY_POLL_MS);
    this.poller.unref();
  }

  /** Stops following, then drains what was already received so nothing is re-applied later. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.poller) clearInterval(this.poller);
    for (const shadow of this.shadows) await shadow.subscription?.stop();
    // A rebuild waiting to catch up wakes, sees the stop and ends without activating its generation.
    this.events.emit('committed', '');
    await Promise.allSettled([...this.rebuilding]);
    for (const lane of this.lanes.values()) {
      await lane.switching;
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
   * Rebuilds one projection from zero into a fresh generation while the active one keeps
   * serving reads and following live events; once caught up the fresh generation is activated
   * by compare-and-set in the shared registry and every instance of this version switches to it
   * (the others within a poll). Nobody ever sees an empty read model, and events applied live
   * anywhere meanwhile are in the fresh generation, read from the event store.
   */
  async rebuild(name: string): Promise<void> {
    const lane = this.lane(name);
    if (lane.state === 'rebuilding' || this.stopped) return;
    const run = this.rebuildLane(lane);
    this.rebuilding.add(run);
    try {
      await run;
    } catch (error) {
      // Stopped midway: nothing was activated, and the service is going away.
      if (!this.stopped) throw error;
    } finally {
      this.rebuilding.delete(run);
    }
  }

  private async rebuildLane(lane: Lane): Promise<void> {
    const name = lane.projection.name;
    const { projection } = lane;
    const previous = lane.building ? undefined : lane.generation;
    const shadow = this.newLane(projection, this.newGenerationName(projection));
    this.shadows.add(shadow);
    const wasState = lane.state;
    lane.state = 'rebuilding';
    let activated = false;
    try {
      await this.startLane(shadow, 'rebuilding');
      await this.catchUp(shadow);
      // Indexes in one bulk pass once the fresh collection holds (nearly) everything.
      await this.readModels.ensureIndexes(shadow.generation, projection.indexes);
      await this.catchUp(shadow);
      await shadow.subscription?.stop();
      await this.flush(shadow);
      await this.saveDeferredCheckpoint(shadow);
      const winner = await this.activate(projection, shadow.generation, previous);
      activated = winner === shadow.generation;
      lane.state = wasState;
      if (winner && winner !== lane.generation) await this.switchLane(lane, winner);
    } finally {
      // A failed fresh lane's retry would otherwise restart it after its generation is gone.
      if (shadow.retryTimer) clearTimeout(shadow.retryTimer);
      shadow.state = 'stopped';
      await shadow.subscription?.stop();
      this.shadows.delete(shadow);
      if ((lane.state as ProjectionStatus['state']) === 'rebuilding') lane.state = 'running';
      // A lost activation (another rebuild came first) drops only this rebuild's generation.
      if (!activated)
        await this.dropGeneration(shadow.generation).catch((e: unknown) => this.options.onError?.(name, e));
    }
  }

  /** The collection readers of a projection use now (it changes when a generation activates). */
  collectionOf(name: string): string {
    return this.lane(name).reads;
  }

  /** Resolves when read models built from zero at start have caught up and got their indexes. */
  async indexed(): Promise<void> {
    await Promise.all(this.indexing);
  }

  /** A lane building its version's first generation: activate it (or adopt the winner's). */
  private async activateWhenCaughtUp(lane: Lane): Promise<void> {
    const { projection } = lane;
    const own = lane.generation;
    try {
      await this.catchUp(lane);
      await this.readModels.ensureIndexes(own, projection.indexes);
      await this.catchUp(lane);
      const winner = await this.activate(projection, own, undefined);
      lane.building = false;
      if (winner === own) {
        lane.reads = own;
      } else if (winner) {
        await this.switchLane(lane, winner);
        await this.dropGeneration(own);
      }
    } catch (error) {
      if (!this.stopped) this.options.onError?.(projection.name, error);
      // Queries stay correct without indexes; the lane keeps following and a poll retries.
    }
  }

  /**
   * Makes `generation` the active one of the projection's version if the active one is still
   * `previous`; answers the active generation afterwards (another one when this lost).
   */
  private async activate(
    projection: Projection,
    generation: string,
    previous: string | undefined,
  ): Promise<string | undefined> {
    const version = String(projection.version);
    for (;;) {
      const registry = await this.readModels.getProjectionRegistry(projection.name);
      const current = registry?.active[version];
      if (current !== previous) return current;
      const retired = [...(registry?.retired ?? [])];
      if (previous) retired.push({ generation: previous, retiredAt: new Date().toISOString() });
      const next = { active: { ...(registry?.active ?? {}), [version]: generation }, retired };
      if (await this.readModels.putProjectionRegistry(projection.name, registry?.rev ?? 0, next)) return generation;
    }
  }

  /** Moves a lane (and its readers) to another generation, from that generation's checkpoint. */
  private switchLane(lane: Lane, generation: string): Promise<void> {
    lane.switching = lane.switching.then(async () => {
      if (this.stopped || lane.generation === generation) return;
      await lane.subscription?.stop();
      if (lane.flushTimer) clearTimeout(lane.flushTimer);
      lane.flushTimer = undefined;
      await this.flush(lane);
      await (lane.flushing = lane.flushing.then(() => this.saveDeferredCheckpoint(lane)));
      lane.pending = [];
      lane.generation = lane.reads = generation;
      lane.building = false;
      await this.startLane(lane, lane.state === 'rebuilding' ? 'rebuilding' : 'starting');
    });
    return lane.switching;
  }

  private async dropGeneration(generation: string): Promise<void> {
    await this.readModels.dropCollection(generation);
    await this.readModels.deleteCheckpoint(generation);
  }

  /** Follows generations activated by other instances and drops long-superseded ones. */
  private async poll(): Promise<void> {
    if (this.polling || this.stopped) return;
    this.polling = true;
    try {
      for (const lane of this.lanes.values()) {
        const { projection } = lane;
        const registry = await this.readModels.getProjectionRegistry(projection.name);
        if (!registry) continue;
        const active = registry.active[String(projection.version)];
        if (lane.building) {
          lane.reads = newestOlder(registry, projection.version) ?? lane.generation;
        } else if (active && active !== lane.generation && lane.state !== 'rebuilding') {
          await this.switchLane(lane, active);
        }
        await this.collectRetired(projection.name, registry);
      }
    } catch (error) {
      for (const lane of this.lanes.values()) this.options.onError?.(lane.projection.name, error);
    } finally {
      this.polling = false;
    }
  }

  private async collectRetired(name: string, registry: StoredProjectionRegistry): Promise<void> {
    const grace = this.options.retiredGraceMs ?? RETIRED_GRACE_MS;
    const inUse = new Set(Object.values(registry.active));
    for (const lane of this.lanes.values()) inUse.add(lane.generation).add(lane.reads);
    const due = registry.retired.filter(
      (r) => Date.parse(r.retiredAt) + grace <= Date.now() && !inUse.has(r.generation),
    );
    if (due.length === 0) return;
    for (const r of due) await this.dropGeneration(r.generation);
    const dropped = new Set(due.map((r) => r.generation));
    // Lost to a concurrent change: the next poll tries again (dropping twice is harmless).
    await this.readModels.putProjectionRegistry(name, registry.rev, {
      active: registry.active,
      retired: registry.retired.filter((r) => !dropped.has(r.generation)),
    });
  }

  /**
   * The registry, adopting a store written before generations: its collection (named after the
   * projection's collection) becomes the active generation of the version it was built with.
   */
  private async registry(projection: Projection): Promise<StoredProjectionRegistry | null> {
    const registry = await this.readModels.getProjectionRegistry(projection.name);
    if (registry) return registry;
    const version = await this.readModels.legacyProjectionVersion(projection.name);
    const checkpoint = await this.readModels.getCheckpoint(projection.name);
    if (version === null || !checkpoint) return null;
    // Generations name their checkpoint after their collection; the old one was named after the
    // projection. The old pseudo-checkpoint stays: a rollback to the old release still finds it.
    const generation = projection.collection;
    await this.readModels.commit(generation, [], checkpoint);
    const adopted = { active: { [String(version)]: generation }, retired: [] };
    await this.readModels.putProjectionRegistry(projection.name, 0, adopted);
    return this.readModels.getProjectionRegistry(projection.name);
  }

  private newGenerationName(projection: Projection): string {
    return `${projection.collection}_g${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  }

  /** Resolves once the lane has applied everything stored when it was called. */
  private async catchUp(lane: Lane): Promise<void> {
    const head = await this.eventStore.headPosition();
    if (head === undefined) return;
    for (;;) {
      if (await this.reached(lane, head)) return;
      if (this.stopped) throw new Error(`the projections stopped before ${lane.projection.name} caught up`);
      if (lane.state === 'failed') throw new Error(`rebuild of ${lane.projection.name} failed: ${lane.lastError}`);
      await this.waitUntil(() => this.reached(lane, head), 1000);
    }
  }

  async status(): Promise<ProjectionStatus[]> {
    const head = (await this.eventStore.headPosition()) ?? null;
    const caughtUp = new Map<string, boolean>();
    for (const lane of this.lanes.values())
      caughtUp.set(lane.projection.name, head === null || (await this.reached(lane, head)));
    return [...this.lanes.values()].map((lane) => ({
      name: lane.projection.name,
      version: lane.projection.version,
      collection: lane.reads,
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
   * false after `timeoutMs`. The CLI's rebuild waits with it for the store's head.
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
    // The subscription's onCheckpoint moves the checkpoint past events of other types.
    return lane.checkpoint !== null && comparePositions(lane.checkpoint, position) >= 0;
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

  private async startLane(lane: Lane, state: ProjectionStatus['state'] = 'starting'): Promise<void> {
    if (this.stopped) return;
    const checkpoint = await this.readModels.getCheckpoint(lane.generation);
    lane.checkpoint = checkpoint?.position ?? null;
    lane.state = state === 'starting' ? 'running' : state;
    const subscription = this.eventStore.subscribeAll(
      {
        after: lane.checkpoint ?? undefined,
        types: lane.projection.types,
        onCheckpoint: (position) => this.scanned(lane, position),
      },
      (event) => this.receive(lane, event),
    );
    lane.subscription = subscription;
    subscription.done.then(
      () => undefined,
      (error: unknown) => this.fail(lane, error),
    );
  }

  /** The subscription looked up to `position`: nothing for this lane until there. */
  private async scanned(lane: Lane, position: Position): Promise<void> {
    await this.flush(lane);
    if (lane.checkpoint !== null && comparePositions(lane.checkpoint, position) >= 0) return;
    lane.checkpoint = position;
    this.deferCheckpoint(lane, position);
    this.events.emit('committed', lane.projection.name);
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
    const collection = lane.generation;
    if (ids.length > 0) {
      for (const doc of await this.readModels.getMany(collection, ids)) docs.set(doc._id, doc);
    }
    const changed = new Map<string, DocChange>();
    batch.forEach((event, i) => {
      for (const id of routes[i]) {
        const doc = docs.get(id) ?? null;
        if (doc && doc._v >= event.revision) continue; // already applied: replay changes nothing
        const body = projection.evolve(doc, event, id);
        if (body === null) {
          docs.set(id, null);
          changed.set(id, { op: 'delete', collection, id, _v: event.revision });
        } else {
          const next = { ...body, _id: id, _v: event.revision } as Doc;
          docs.set(id, next);
          changed.set(id, { op: 'upsert', collection, doc: next });
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
      await this.readModels.commit(lane.generation, [...changed.values()], {
        position: last.position,
        updatedAt: new Date().toISOString(),
      });
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
    if (lane.unsavedCheckpoint && lane.unsavedCheckpoint.generation !== lane.generation) {
      // Never save one generation's position as another's checkpoint.
      this.clearDeferredCheckpoint(lane);
    }
    if (lane.unsavedCheckpoint) {
      lane.unsavedCheckpoint.position = position;
      return;
    }
    const timer = setTimeout(() => {
      lane.flushing = lane.flushing
        .then(() => this.saveDeferredCheckpoint(lane))
        .catch((error: unknown) => this.fail(lane, error));
    }, IDLE_CHECKPOINT_MS);
    timer.unref();
    lane.unsavedCheckpoint = { position, generation: lane.generation, timer };
  }

  private clearDeferredCheckpoint(lane: Lane): void {
    if (lane.unsavedCheckpoint) clearTimeout(lane.unsavedCheckpoint.timer);
    lane.unsavedCheckpoint = undefined;
  }

  private async saveDeferredCheckpoint(lane: Lane): Promise<void> {
    const pending = lane.unsavedCheckpoint;
    if (!pending) return;
    this.clearDeferredCheckpoint(lane);
    await this.readModels.commit(pending.generation, [], {
      position: pending.position,
      updatedAt: new Date().toISOString(),
    });
  }

  /** A failing lane restarts from its checkpoint with back-off; the others keep running. */
  private fail(lane: Lane, error: unknown): void {
    if (this.stopped || lane.state === 'failed' || lane.state === 'stopped') return;
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

/** Readers of a version still building use the active generation of the newest older version. */
function newestOlder(registry: StoredProjectionRegistry | null, version: number): string | undefined {
  if (!registry) return undefined;
  const older = Object.keys(registry.active)
    .map(Number)
    .filter((v) => v < version)
    .sort((a, b) => b - a);
  return older.length > 0 ? registry.active[String(older[0])] : undefined;
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
