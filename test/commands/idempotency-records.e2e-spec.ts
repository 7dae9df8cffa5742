/**
 * Idempotency-Key records are the store's own records (SystemRecordMetadata): written without the
 * policy a domain event carries, while records written before (with `policy: 'n/a'`) still replay
 * and still verify.
 */
import { createHash, randomUUID } from 'node:crypto';
import { verifyChain } from '../../src/event-store/envelope';
import { EVENT_STORE, type EventStore } from '../../src/event-store/event-store.port';
import { IDEMPOTENCY_CLAIM, IDEMPOTENCY_RECORD } from '../../src/commands/idempotency.service';
import { startHarness, type Harness } from '../support/harness';
import { driveTo } from '../support/fixtures';

describe('Idempotency-Key records', () => {
  let h: Harness;
  let store: EventStore;
  beforeAll(async () => {
    h = await startHarness();
    store = h.app.get(EVENT_STORE);
  });
  afterAll(async () => {
    await h.close();
  });

  /** The key's own stream, named by the digest of user and key. */
  const keyStream = (user: string, key: string) =>
    `idempotency-${createHash('sha256').update(`${user}\n${key}`).digest('hex')}`;

  it('are written without policy or article, and verify', async () => {
    const p = await driveTo(h, 'UNDER_CONSTRUCTION');
    const body = { reason: '滞后', basis: { violation: 'WASTE' } };
    const headers = { 'idempotency-key': 'shape-1' };
    const token = h.token('OFFICE');
    expect((await h.request('POST', `/projects/${p.id}/criticize`, { token, body, headers })).status).toBe(200);
    const records = await store.readStream(keyStream('office-x', 'shape-1'));
    expect(records.map((r) => r.type)).toEqual([IDEMPOTENCY_CLAIM, IDEMPOTENCY_RECORD]);
    for (const record of records) {
      expect(record.metadata).not.toHaveProperty('policy');
      expect(record.metadata).not.toHaveProperty('article');
      expect(record.metadata).toMatchObject({ idempotencyKey: 'shape-1', actor: { sub: 'office-x', role: 'SYSTEM' } });
    }
    expect(verifyChain(records).ok).toBe(true);
    // The command's own events are domain events: they still name their policy.
    const events = await store.readStream(`project-${p.id}`);
    expect(events[events.length - 1].metadata).toMatchObject({ policy: expect.any(String), idempotencyKey: 'shape-1' });
  });

  it('written with policy n/a (before SystemRecordMetadata) are replayed as before, and verify', async () => {
    const p = await driveTo(h, 'UNDER_CONSTRUCTION');
    const send = () =>
      h.request('POST', `/projects/${p.id}/criticize`, {
        token: h.token('OFFICE'),
        body: { reason: '滞后', basis: { violation: 'WASTE' } },
        headers: { 'idempotency-key': 'shape-2' },
      });
    const first = await send();
    expect(first.status).toBe(200);
    const streamId = keyStream('office-x', 'shape-2');
    const [, answer] = await store.readStream(streamId);
    // The same answer again, as the previous release wrote it: metadata with policy 'n/a'.
    const { prevHash: _prevHash, hash: _hash, ...metadata } = answer.metadata;
    const old = { ...metadata, eventId: randomUUID(), policy: 'n/a' };
    await store.append(streamId, [{ type: IDEMPOTENCY_RECORD, data: answer.data, metadata: old }], answer.revision);
    const replay = await send();
    expect({ status: replay.status, body: replay.body }).toEqual({ status: 200, body: first.body });
    const records = await store.readStream(streamId);
    expect(records[records.length - 1].metadata).toMatchObject({ policy: 'n/a' });
    expect(verifyChain(records).ok).toBe(true);
    expect((await store.readStream(`project-${p.id}`)).filter((e) => e.type === 'ProjectCriticized')).toHaveLength(1);
  });
});
