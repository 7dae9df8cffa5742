import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyStream } from '../../src/audit/integrity';
import { SqliteEventStore } from '../../src/event-store/sqlite-event-store';
import {
  canonicalJson,
  chainEnvelopes,
  computeHash,
  GENESIS_HASH,
  verifyChain,
  type PendingEvent,
} from '../../src/event-store/envelope';

const pending = (n: number): PendingEvent => ({
  type: 'ProjectDrafted',
  data: { n },
  metadata: {
    eventId: `e${n}`,
    occurredAt: '2026-01-01T00:00:00.000Z',
    actor: { sub: 'u', name: 'u', role: 'PMO' },
    correlationId: 'c',
    causationId: 'c',
    schemaVersion: 1,
    policy: 'p',
  },
});

describe('per-event hash algorithm (hashAlg)', () => {
  it('an event without hashAlg is sha256, exactly as before the field existed', () => {
    const [event] = chainEnvelopes(GENESIS_HASH, [pending(0)]);
    expect(event.metadata.hashAlg).toBeUndefined();
    const { prevHash: _p, hash: _h, ...rest } = event.metadata;
    const body = canonicalJson({ type: event.type, data: event.data, metadata: rest });
    expect(event.metadata.hash).toBe(createHash('sha256').update(GENESIS_HASH).update(body).digest('hex'));
    expect(event.metadata.hash).not.toBe(
      computeHash(GENESIS_HASH, { ...event, metadata: { ...event.metadata, hashAlg: 'sm3' } }),
    );
  });

  it('a chain that switches from sha256 to sm3 verifies end to end; flipping hashAlg breaks it', () => {
    const first = chainEnvelopes(GENESIS_HASH, [pending(0), pending(1)]);
    const second = chainEnvelopes(first[1].metadata.hash, [pending(2), pending(3)], 'sm3');
    expect(second.map((e) => e.metadata.hashAlg)).toEqual(['sm3', 'sm3']);
    const stored = [...first, ...second].map((e, revision) => ({ revision, ...e }));
    expect(verifyChain(stored)).toEqual({ ok: true, checked: 4 });

    const flipped = stored.map((e) =>
      e.revision === 2 ? { ...e, metadata: { ...e.metadata, hashAlg: 'sha256' as const } } : e,
    );
    const check = verifyChain(flipped);
    expect(check.ok).toBe(false);
    expect(check.brokenAt).toMatchObject({ revision: 2, eventId: 'e2', reason: 'HASH_MISMATCH' });
  });

  it('sm3 events are hashed with SM3 over prevHash and the canonical body', () => {
    const [event] = chainEnvelopes(GENESIS_HASH, [pending(0)], 'sm3');
    const { prevHash: _p, hash: _h, ...rest } = event.metadata;
    const body = canonicalJson({ type: event.type, data: event.data, metadata: rest });
    expect(rest.hashAlg).toBe('sm3');
    expect(event.metadata.hash).toBe(createHash('sm3').update(GENESIS_HASH).update(body).digest('hex'));
    const changed = { ...event, data: { n: 1 } };
    expect(computeHash(GENESIS_HASH, changed)).not.toBe(event.metadata.hash);
  });
});

describe('SQLite store under CRYPTO_SUITE=gm (hashAlg sm3)', () => {
  it('records sm3 on new events, and a store switched from sha256 to sm3 verifies end to end', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ordos-hashalg-'));
    const file = join(dir, 'events.db');
    const international = SqliteEventStore.open(file);
    await international.append('project-1', [pending(0), pending(1)], 'any');
    await international.close();
    const gm = SqliteEventStore.open(file, { hashAlg: 'sm3' });
    await gm.append('project-1', [pending(2)], 'any');
    const events = await gm.readStream('project-1');
    expect(events.map((e) => e.metadata.hashAlg)).toEqual([undefined, undefined, 'sm3']);
    expect(await verifyStream(gm, 'project-1')).toEqual({ ok: true, checked: 3 });
    await gm.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
