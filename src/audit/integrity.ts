import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { computeHash, GENESIS_HASH, verifyChain, type ChainCheck } from '../event-store/envelope';
import type { EventStore, Position, StoredEvent } from '../event-store/event-store.port';
import { comparePositions } from '../event-store/position';

export const SEAL_STREAM = 'system-seals';
export const SEAL_EVENT = 'StoreSealed';

export interface StoreCheck {
  ok: boolean;
  checked: number;
  streams: number;
  brokenAt?: { streamId: string; revision: number; eventId?: string; position?: string; reason: string };
  seal?: { checked: boolean; ok: boolean; sealedAt?: string; upToPosition?: string; reason?: string };
}

interface Head {
  revision: number;
  hash: string;
}

/** One stream: recompute every hash and link from genesis. */
export async function verifyStream(eventStore: EventStore, streamId: string): Promise<ChainCheck> {
  return verifyChain(await eventStore.readStream(streamId));
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

export function sealSignature(key: string, data: { upToPosition: string; headsDigest: string; streams: number; events: number; sealedAt: string }): string {
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
): Promise<StoreCheck> {
  const seals = await eventStore.readStream(SEAL_STREAM);
  const seal = seals[seals.length - 1];
  const sealData = seal?.data as { upToPosition?: string } | undefined;
  const heads = new Map<string, Head>();
  const sealedHeads = new Map<string, Head>();
  let sealedEvents = 0;
  let checked = 0;
  let after: Position | undefined;
  for (;;) {
    const batch = await eventStore.readAll({ after, limit: 2000 });
    if (batch.length === 0) break;
    for (const event of batch) {
      const broken = checkLink(heads.get(event.streamId), event);
      if (broken) {
        return { ok: false, checked, streams: heads.size, brokenAt: { streamId: event.streamId, revision: event.revision, eventId: event.metadata?.eventId, position: event.position, reason: broken } };
      }
      const head = { revision: event.revision, hash: event.metadata.hash };
      heads.set(event.streamId, head);
      if (sealData?.upToPosition && comparePositions(event.position, sealData.upToPosition) <= 0) {
        sealedHeads.set(event.streamId, head);
        if (event.streamId !== SEAL_STREAM) sealedEvents++;
      }
      checked++;
    }
    after = batch[batch.length - 1].position;
    onProgress?.(checked);
  }
  const result: StoreCheck = { ok: true, checked, streams: heads.size };
  if (!seal) {
    result.seal = { checked: false, ok: true, reason: 'no seal yet' };
    return result;
  }
  const data = seal.data as { upToPosition: string; headsDigest: string; streams: number; events: number; sealedAt: string; signature: string };
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
    ...(sealOk ? {} : { reason: !signatureOk ? 'SEAL_SIGNATURE_INVALID' : !sealChain.ok ? 'SEAL_CHAIN_BROKEN' : 'STREAM_HEADS_CHANGED_SINCE_SEAL' }),
  };
  result.ok = sealOk;
  return result;
}

function checkLink(previous: Head | undefined, event: StoredEvent): string | undefined {
  const expectedRevision = previous ? previous.revision + 1 : 0;
  if (event.revision !== expectedRevision) return 'REVISION_GAP';
  const prevHash = previous ? previous.hash : GENESIS_HASH;
  if (event.metadata?.prevHash !== prevHash) return 'LINK_MISMATCH';
  if (computeHash(prevHash, event) !== event.metadata.hash) return 'HASH_MISMATCH';
  return undefined;
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
