import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import {
  chainStep,
  MAX_LISTED_BREAKS,
  verifyChain,
  type ChainBreakReason,
  type ChainCheck,
  type ChainedStoredEvent,
  type ChainHead,
  type EventMetadata,
  type UnreadableEvent,
} from '../event-store/envelope';
import { StoreCorrupt, type EventStore, type Position, type StoredEventRaw } from '../event-store/event-store.port';
import { comparePositions } from '../event-store/position';

export const SEAL_STREAM = 'system-seals';
export const SEAL_EVENT = 'StoreSealed';

export interface StoreBreak {
  streamId: string;
  revision: number;
  eventId?: string;
  position?: string;
  reason: ChainBreakReason;
}

/** The storage itself is damaged: no chain can be checked, the file must be restored from backup. */
export interface CorruptCheck {
  ok: false;
  status: 'corrupt';
  checked: number;
  reason: string;
}

export interface StoreCheck {
  ok: boolean;
  checked: number;
  streams: number;
  /** The first broken event (kept for callers that read one). */
  brokenAt?: StoreBreak;
  /** Every broken event in log order, at most MAX_LISTED_BREAKS; all are counted in brokenCount. */
  broken?: StoreBreak[];
  brokenCount?: number;
  seal?: { checked: boolean; ok: boolean; sealedAt?: string; upToPosition?: string; reason?: string };
}

type Head = ChainHead;

const CORRUPT_REASON = 'the event store file is damaged; restore it from a backup';

function corrupt(checked: number): CorruptCheck {
  return { ok: false, status: 'corrupt', checked, reason: CORRUPT_REASON };
}

/**
 * One stream: recompute every hash and link from genesis, from the stored bytes (readStream reads
 * storage in every adapter), reporting every broken event.
 */
export async function verifyStream(eventStore: EventStore, streamId: string): Promise<ChainCheck | CorruptCheck> {
  try {
    return verifyChain(
      eventStore.readStreamText
        ? (await eventStore.readStreamText(streamId)).map(fromStoredText)
        : await eventStore.readStream(streamId),
    );
  } catch (error) {
    if (error instanceof StoreCorrupt) return corrupt(0);
    throw error;
  }
}

/**
 * Digest of every stream's head at a position: sha256 over sorted "stream revision hash" lines.
 * A seal stores it; re-computing it later detects a truncated tail, which the per-stream chain
 * alone cannot (the shortened stream is still a valid chain).
 */
export function headsDigest(heads: ReadonlyMap<string, Head>): string {
  const lines = [...heads.entries()]
    .filter(([stream]) => stream !== SEAL_STREAM)
    .map(([stream, head]) => `${stream} ${head.revision} ${head.hash}`)
    .sort();
  const hash = createHash('sha256');
  for (const line of lines) hash.update(line).update('\n');
  return hash.digest('hex');
}

export function sealSignature(
  key: string,
  data: { upToPosition: string; headsDigest: string; streams: number; events: number; sealedAt: string },
): string {
  return createHmac('sha256', key)
    .update(`${data.sealedAt}|${data.upToPosition}|${data.streams}|${data.events}|${data.headsDigest}`)
    .digest('hex');
}

/**
 * Checks the whole store in one pass over the global log: every stream's revisions run 0,1,2…
 * without gaps, every link and hash holds; then the newest seal's heads digest is recomputed
 * from the heads as of its position and its signature checked.
 */
export async function verifyStore(
  eventStore: EventStore,
  sealKey: string,
  onProgress?: (checked: number) => void,
): Promise<StoreCheck | CorruptCheck> {
  const progress = { checked: 0 };
  try {
    // Damaged pages outside the rows read below (an index, a free page) are found here.
    await eventStore.checkStorage?.();
    return await verifyStoredChains(eventStore, sealKey, progress, onProgress);
  } catch (error) {
    if (error instanceof StoreCorrupt) return corrupt(progress.checked);
    throw error;
  }
}

async function verifyStoredChains(
  eventStore: EventStore,
  sealKey: string,
  progress: { checked: number },
  onProgress?: (checked: number) => void,
): Promise<StoreCheck> {
  const seals = await eventStore.readStream(SEAL_STREAM);
  const seal = seals[seals.length - 1];
  const sealData = seal?.data as { upToPosition?: string } | undefined;
  const heads = new Map<string, Head>();
  const sealedHeads = new Map<string, Head>();
  let sealedEvents = 0;
  let checked = 0;
  const broken: StoreBreak[] = [];
  let brokenCount = 0;
  let after: Position | undefined;
  for (;;) {
    // The stored bytes, never an adapter's in-memory copy of recent events; as texts where the
    // adapter can, so an event that no longer parses is reported, not a failed read.
    const batch: Array<{ streamId: string; position: Position; event: ChainedStoredEvent | UnreadableEvent }> =
      eventStore.readAllRaw
        ? (await eventStore.readAllRaw({ after, limit: 2000, fromStorage: true })).map((raw) => ({
            streamId: raw.streamId,
            position: raw.position,
            event: fromStoredText(raw),
          }))
        : (await eventStore.readAll({ after, limit: 2000, fromStorage: true })).map((event) => ({
            streamId: event.streamId,
            position: event.position,
            event,
          }));
    if (batch.length === 0) break;
    for (const { streamId, position, event } of batch) {
      // Re-anchors on the event as stored, so one edited event is reported once (see chainStep).
      const { reason, head } = chainStep(heads.get(streamId), event);
      if (reason) {
        brokenCount++;
        if (broken.length < MAX_LISTED_BREAKS) {
          const eventId = 'unreadable' in event ? event.eventId : event.metadata?.eventId;
          broken.push({ streamId, revision: event.revision, eventId, position, reason });
        }
      }
      heads.set(streamId, head);
      if (sealData?.upToPosition && comparePositions(position, sealData.upToPosition) <= 0) {
        sealedHeads.set(streamId, head);
        if (streamId !== SEAL_STREAM) sealedEvents++;
      }
      checked++;
    }
    progress.checked = checked;
    after = batch[batch.length - 1].position;
    onProgress?.(checked);
  }
  const result: StoreCheck =
    brokenCount === 0
      ? { ok: true, checked, streams: heads.size }
      : { ok: false, checked, streams: heads.size, brokenAt: broken[0], broken, brokenCount };
  if (!seal) {
    result.seal = { checked: false, ok: true, reason: 'no seal yet' };
    return result;
  }
  const data = seal.data as {
    upToPosition: string;
    headsDigest: string;
    streams: number;
    events: number;
    sealedAt: string;
    signature: string;
  };
  const expectedSignature = sealSignature(sealKey, data);
  const signatureOk =
    typeof data.signature === 'string' &&
    data.signature.length === expectedSignature.length &&
    timingSafeEqual(Buffer.from(data.signature), Buffer.from(expectedSignature));
  const digestOk = headsDigest(sealedHeads) === data.headsDigest && sealedEvents === data.events;
  const sealChain = verifyChain(seals);
  const sealOk = signatureOk && digestOk && sealChain.ok;
  result.seal = {
    checked: true,
    ok: sealOk,
    sealedAt: data.sealedAt,
    upToPosition: data.upToPosition,
    ...(sealOk
      ? {}
      : {
          reason: !signatureOk
            ? 'SEAL_SIGNATURE_INVALID'
            : !sealChain.ok
              ? 'SEAL_CHAIN_BROKEN'
              : 'STREAM_HEADS_CHANGED_SINCE_SEAL',
        }),
  };
  result.ok = result.ok && sealOk;
  return result;
}

/** A stored event for the chain walk: parsed, or UNREADABLE when its texts are no longer JSON. */
function fromStoredText(raw: StoredEventRaw): ChainedStoredEvent | UnreadableEvent {
  let metadata: EventMetadata | undefined;
  try {
    metadata = JSON.parse(raw.metadataJson) as EventMetadata;
    return { revision: raw.revision, type: raw.type, data: JSON.parse(raw.dataJson) as unknown, metadata };
  } catch {
    const readable = metadata && typeof metadata === 'object';
    return {
      revision: raw.revision,
      unreadable: true,
      eventId: readable ? metadata?.eventId : undefined,
      hash: readable ? metadata?.hash : undefined,
    };
  }
}

/** Appends a signed seal of every stream head as of the current end of the log. */
export async function sealStore(eventStore: EventStore, sealKey: string, now: Date): Promise<Record<string, unknown>> {
  const heads = new Map<string, Head>();
  let events = 0;
  let after: Position | undefined;
  let upToPosition: Position = '0';
  for (;;) {
    const batch = await eventStore.readAll({ after, limit: 5000 });
    if (batch.length === 0) break;
    for (const event of batch) {
      heads.set(event.streamId, { revision: event.revision, hash: event.metadata.hash });
      if (event.streamId !== SEAL_STREAM) events++;
      upToPosition = event.position;
    }
    after = upToPosition;
  }
  const streams = [...heads.keys()].filter((s) => s !== SEAL_STREAM).length;
  const sealedAt = now.toISOString();
  const body = { upToPosition, headsDigest: headsDigest(heads), streams, events, sealedAt };
  const data = { ...body, signature: sealSignature(sealKey, body) };
  await eventStore.append(
    SEAL_STREAM,
    [
      {
        type: SEAL_EVENT,
        data,
        metadata: {
          eventId: randomUUID(),
          occurredAt: sealedAt,
          actor: { sub: 'integrity-seal', name: '完整性封存', role: 'SYSTEM' },
          correlationId: randomUUID(),
          causationId: randomUUID(),
          policy: 'n/a',
          schemaVersion: 1,
        },
      },
    ],
    'any',
  );
  return data;
}
