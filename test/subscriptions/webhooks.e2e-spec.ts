import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVENT_STORE, type EventStore } from '../../src/event-store/event-store.port';
import { comparePositions, positionSortKey } from '../../src/event-store/position';
import { READ_MODEL_STORE, type ReadModelStore } from '../../src/read-model/read-model.port';
import { SqliteReadModelStore } from '../../src/read-model/sqlite-read-model.store';
import { resolveTypes } from '../../src/subscriptions/event-envelope';
import { SecretBox, verifySignature } from '../../src/subscriptions/signature';
import { startHarness, SECRET, type Harness } from '../support/harness';
import { approveProject, startReceiver, waitFor } from './helpers';

const ENV = {
  WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
  WEBHOOK_BACKOFF_BASE_MS: '10',
  WEBHOOK_BACKOFF_CAP_MS: '80',
  WEBHOOK_MAX_ATTEMPTS: '4',
  WEBHOOK_TIMEOUT_MS: '2000',
};

describe('webhooks /subscriptions', () => {
  let h: Harness;
  let office: string;
  beforeAll(async () => {
    h = await startHarness({ env: ENV });
    office = h.token('OFFICE');
  });
  afterAll(async () => {
    await h.close();
  });

  const approvalEvents = async () =>
    h.app.get<EventStore>(EVENT_STORE).readAll({ limit: 10_000, types: resolveTypes(undefined, ['批复']) });

  it('validates the target against SSRF and the body, and is for OFFICE only', async () => {
    const secret = 'a-long-enough-secret-1';
    for (const url of [
      'http://10.0.0.1/hook',
      'http://localhost:9/hook',
      'http://169.254.169.254/',
      'ftp://127.0.0.1/x',
      'http://[::1]/',
    ]) {
      const res = await h.request('POST', '/subscriptions', { token: office, body: { url, secret } });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'url' })]);
    }
    const bad = await h.request('POST', '/subscriptions', {
      token: office,
      body: { url: 'http://127.0.0.1:1/x', secret: 'short', families: ['无'], types: ['Nope'] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['families', 'secret', 'types']);
    const unit = await h.request('POST', '/subscriptions', {
      token: h.token('CONSTRUCTION_UNIT', 'D01'),
      body: { url: 'http://127.0.0.1:1/x', secret },
    });
    expect(unit.status).toBe(403);
    expect((await h.request('GET', '/subscriptions', { token: h.token('AUDIT') })).status).toBe(403);
    expect((await h.request('GET', '/subscriptions')).status).toBe(401);
  });

  it('creates, lists, shows and deletes a subscription without ever returning the secret', async () => {
    const created = await h.request('POST', '/subscriptions', {
      token: office,
      body: { url: 'http://127.0.0.1:9/never', families: ['验收'], secret: 'top-secret-value-123' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      url: 'http://127.0.0.1:9/never',
      types: [],
      families: ['验收'],
      createdAt: expect.any(String),
    });
    const list = await h.request('GET', '/subscriptions', { token: office });
    expect(list.body.items.map((s: { id: string }) => s.id)).toContain(created.body.id);
    expect(JSON.stringify(list.body)).not.toContain('top-secret');
    const one = await h.request('GET', `/subscriptions/${created.body.id}`, { token: office });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id: created.body.id, failures: 0, deadLetterCount: 0, deadLetters: [] });
    expect(JSON.stringify(one.body)).not.toContain('top-secret');
    expect((await h.request('DELETE', `/subscriptions/${created.body.id}`, { token: office })).status).toBe(204);
    expect((await h.request('GET', `/subscriptions/${created.body.id}`, { token: office })).status).toBe(404);
    expect((await h.request('GET', '/subscriptions/not-a-uuid', { token: office })).status).toBe(400);
  });

  it(
    'delivers every approval event once, in order, signed — ' + 'also after the receiver was down for a while',
    async () => {
      const secret = 'receiver-secret-approvals';
      // Down for three attempts; the fourth (the last WEBHOOK_MAX_ATTEMPTS allows) is held until the
      // failure has been observed, so the check cannot race the retry.
      let refused = 0;
      let comeBack!: () => void;
      const back = new Promise<void>((resolve) => (comeBack = resolve));
      const receiver = await startReceiver(async () => {
        if (refused < 3) return (refused++, 503);
        await back;
        return 204;
      });
      try {
        const created = await h.request('POST', '/subscriptions', {
          token: office,
          body: { url: receiver.url, families: ['批复'], secret },
        });
        expect(created.status).toBe(201);
        const before = (await approvalEvents()).length;

        const first = await approveProject(h, 'D01');
        // Down: the first event is retried with back-off; nothing later overtakes it.
        await waitFor(() => receiver.all.length >= 3, 5000, 'three refused attempts');
        expect(new Set(receiver.all.map((d) => d.headers['x-event-id'])).size).toBe(1);
        const status = await h.request('GET', `/subscriptions/${created.body.id}`, { token: office });
        expect(status.body.failures).toBeGreaterThan(0);
        expect(status.body.lastError).toBe('HTTP 503');
        comeBack();
        const second = await approveProject(h, 'D02');

        const expected = (await approvalEvents()).slice(before);
        expect(expected).toHaveLength(10); // two projects × 5 approval-family events (第二十四条 review included)
        await waitFor(() => receiver.accepted().length >= expected.length, 10_000, 'all approvals delivered');
        await new Promise((r) => setTimeout(r, 100)); // nothing more arrives
        const accepted = receiver.accepted();
        expect(accepted.map((d) => d.headers['x-event-id'])).toEqual(expected.map((e) => e.metadata.eventId));
        expect(accepted.map((d) => d.json.position)).toEqual(expected.map((e) => e.position));
        for (let i = 1; i < accepted.length; i++)
          expect(comparePositions(accepted[i - 1].json.position, accepted[i].json.position)).toBe(-1);
        expect(accepted.map((d) => d.json.type)).toEqual([
          'ProposalApproved',
          'SharingReviewed',
          'FeasibilityApproved',
          'PreliminaryDesignReviewed',
          'PreliminaryDesignApproved',
          'ProposalApproved',
          'SharingReviewed',
          'FeasibilityApproved',
          'PreliminaryDesignReviewed',
          'PreliminaryDesignApproved',
        ]);
        expect(accepted.slice(0, 5).every((d) => d.json.streamId === `project-${first}`)).toBe(true);
        expect(accepted.slice(5).every((d) => d.json.streamId === `project-${second}`)).toBe(true);
        for (const d of receiver.all) {
          expect(
            verifySignature(secret, d.headers['x-signature'] as string, d.headers['x-timestamp'] as string, d.body),
          ).toBe(true);
          expect(
            verifySignature(
              'wrong-secret-0000000',
              d.headers['x-signature'] as string,
              d.headers['x-timestamp'] as string,
              d.body,
            ),
          ).toBe(false);
          expect(d.headers['x-event-type']).toBe(d.json.type);
          expect(d.json).toMatchObject({
            family: '批复',
            label: expect.any(String),
            revision: expect.any(Number),
            metadata: { eventId: d.headers['x-event-id'] },
          });
        }
        const after = await h.request('GET', `/subscriptions/${created.body.id}`, { token: office });
        expect(after.body).toMatchObject({
          checkpoint: expected[expected.length - 1].position,
          failures: 0,
          deadLetterCount: 0,
        });
        await h.request('DELETE', `/subscriptions/${created.body.id}`, { token: office });
      } finally {
        await receiver.close();
      }
    },
  );

  it('a redelivery request lets the delivery on the wire finish: an accepted event is not sent twice', async () => {
    const seen: string[] = [];
    // The receiver takes the event at once and answers 200 only after 400 ms.
    const receiver = await startReceiver(async (d) => {
      seen.push(String(d.headers['x-event-id']));
      await new Promise((r) => setTimeout(r, 400));
      return 200;
    });
    try {
      const created = await h.request('POST', '/subscriptions', {
        token: office,
        body: { url: receiver.url, types: ['ProposalApproved'], secret: 'receiver-secret-in-flight' },
      });
      await approveProject(h, 'D07');
      await waitFor(() => seen.length >= 1, 10_000, 'the delivery on the wire');
      // Asked while the receiver holds the answer: the worker restarts only after it.
      const redeliver = await h.request('POST', `/subscriptions/${created.body.id}/redeliver`, { token: office });
      expect(redeliver.status).toBe(202);
      await waitFor(() => receiver.accepted().length >= 1, 5000, 'the answer');
      await new Promise((r) => setTimeout(r, 600)); // time enough for a second delivery, were one sent
      expect(seen).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });

  it(
    'dead-letters an event after N failures, moves on, and redelivers it on request; ' + 'replays from a position',
    async () => {
      const secret = 'receiver-secret-deadletter';
      let refuse = 'FeasibilityApproved';
      const receiver = await startReceiver((d) => (d.json.type === refuse ? 500 : 200));
      try {
        const created = await h.request('POST', '/subscriptions', {
          token: office,
          body: {
            url: receiver.url,
            types: ['ProposalApproved', 'FeasibilityApproved', 'PreliminaryDesignApproved'],
            secret,
          },
        });
        const id = created.body.id;
        const project = await approveProject(h, 'D03');
        await waitFor(() => receiver.accepted().length >= 2, 10_000, 'the events around the poisoned one');
        expect(receiver.accepted().map((d) => d.json.type)).toEqual(['ProposalApproved', 'PreliminaryDesignApproved']);
        // WEBHOOK_MAX_ATTEMPTS
        expect(receiver.all.filter((d) => d.json.type === 'FeasibilityApproved')).toHaveLength(4);

        const status = (await h.request('GET', `/subscriptions/${id}`, { token: office })).body;
        expect(status.deadLetterCount).toBe(1);
        expect(status.deadLetters[0]).toMatchObject({
          type: 'FeasibilityApproved',
          attempts: 4,
          lastError: 'HTTP 500',
        });

        refuse = '';
        const redeliver = await h.request('POST', `/subscriptions/${id}/redeliver`, { token: office });
        expect(redeliver.status).toBe(202);
        expect(redeliver.body).toEqual({ id, requeued: 1 });
        await waitFor(() => receiver.accepted().length >= 3, 5000, 'the redelivered dead letter');
        const redelivered = receiver.accepted()[2];
        expect(redelivered.json).toMatchObject({ type: 'FeasibilityApproved', streamId: `project-${project}` });
        expect(redelivered.headers['x-event-id']).toBe(status.deadLetters[0].eventId);
        await waitFor(
          async () => (await h.request('GET', `/subscriptions/${id}`, { token: office })).body.deadLetterCount === 0,
          5000,
          'dead letter cleared',
        );

        // Replay: every matching event after the first delivered one, again.
        const from = receiver.accepted()[0].json.position as string;
        const replay = await h.request('POST', `/subscriptions/${id}/redeliver`, {
          token: office,
          body: { fromPosition: from },
        });
        expect(replay.status).toBe(202);
        await waitFor(() => receiver.accepted().length >= 5, 5000, 'the replay');
        expect(
          receiver
            .accepted()
            .slice(3)
            .map((d) => d.json.type),
        ).toEqual(['FeasibilityApproved', 'PreliminaryDesignApproved']);
        expect(
          (await h.request('POST', `/subscriptions/${id}/redeliver`, { token: office, body: { fromPosition: 'x' } }))
            .status,
        ).toBe(400);
        // Well-formed, but never issued by this (SQLite) store.
        expect(
          (
            await h.request('POST', `/subscriptions/${id}/redeliver`, {
              token: office,
              body: { fromPosition: '12/12' },
            })
          ).status,
        ).toBe(400);
        expect(
          (
            await h.request('POST', `/subscriptions/${id}/redeliver`, {
              token: office,
              body: { fromPosition: '99999999' },
            })
          ).status,
        ).toBe(400);
        await h.request('DELETE', `/subscriptions/${id}`, { token: office });
      } finally {
        await receiver.close();
      }
    },
  );
});

describe('webhooks: a store written by releases before putDocument', () => {
  it('keeps its subscriptions and dead letters (committed under a pseudo-checkpoint at position 0)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ordos-webhooks-upgrade-'));
    const receiver = await startReceiver(() => 204);
    let h: Harness | undefined;
    try {
      // Exactly what the old WebhooksService wrote: documents through commit() under the
      // pseudo-checkpoint `webhook_subscriptions` at position "0", plus the worker's checkpoint.
      const id = '6f1c2b8e-0d4a-4e5f-9a7b-3c2d1e0f9a8b';
      const old = SqliteReadModelStore.open(join(dataDir, 'read-models.db'));
      const now = '2026-03-01T00:00:00.000Z';
      const subscription = {
        _id: id,
        _v: 1,
        url: receiver.url,
        types: [],
        families: ['批复'],
        sealedSecret: new SecretBox(SECRET).seal('old-release-secret-1'),
        createdAt: now,
        createdBy: 'office-x',
      };
      const event = {
        position: '1',
        streamId: 'project-x',
        revision: 0,
        type: 'ProjectApproved',
        data: {},
        metadata: { eventId: 'e-old-1', occurredAt: now },
        label: null,
        family: null,
      };
      const letter = {
        _id: `${id}:1`,
        _v: 1,
        subscriptionId: id,
        position: '1',
        sortKey: positionSortKey('1'),
        eventId: 'e-old-1',
        type: 'ProjectApproved',
        event,
        attempts: 4,
        lastError: 'HTTP 503',
        failedAt: now,
      };
      await old.commit(
        'webhook_subscriptions',
        [
          { op: 'upsert', collection: 'webhook_subscriptions', doc: subscription },
          { op: 'upsert', collection: 'webhook_dead_letters', doc: letter },
        ],
        { position: '0', updatedAt: now },
      );
      await old.commit(`webhook:${id}`, [], { position: '1', updatedAt: now });
      await old.close();

      h = await startHarness({ dataDir, env: ENV });
      const office = h.token('OFFICE');
      const store = h.app.get<ReadModelStore>(READ_MODEL_STORE);
      // The pseudo-checkpoint is gone; the real one stays.
      expect(await store.getCheckpoint('webhook_subscriptions')).toBeNull();
      expect((await store.getCheckpoint(`webhook:${id}`))?.position).toBe('1');

      const list = await h.request('GET', '/subscriptions', { token: office });
      expect(list.body.items).toEqual([{ id, url: receiver.url, types: [], families: ['批复'], createdAt: now }]);
      const status = await h.request('GET', `/subscriptions/${id}`, { token: office });
      expect(status.body).toMatchObject({
        id,
        checkpoint: '1',
        deadLetterCount: 1,
        deadLetters: [expect.objectContaining({ eventId: 'e-old-1' })],
      });

      // The old dead letter is redelivered (signed with the old secret) and deleted.
      const redeliver = await h.request('POST', `/subscriptions/${id}/redeliver`, { token: office, body: {} });
      expect(redeliver.body).toEqual({ id, requeued: 1 });
      const oldLetter = () => receiver.accepted().find((d) => d.headers['x-event-id'] === 'e-old-1');
      const delivered = (await waitFor(oldLetter, 5000, 'old dead letter'))!;
      const timestamp = String(delivered.headers['x-timestamp']);
      const signature = String(delivered.headers['x-signature']);
      expect(verifySignature('old-release-secret-1', signature, timestamp, delivered.body)).toBe(true);
      const harness = h;
      const lettersLeft = async () =>
        (await harness.request('GET', `/subscriptions/${id}`, { token: office })).body.deadLetterCount;
      await waitFor(async () => (await lettersLeft()) === 0, 5000, 'letter gone');

      expect((await h.request('DELETE', `/subscriptions/${id}`, { token: office })).status).toBe(204);
      expect((await h.request('GET', `/subscriptions/${id}`, { token: office })).status).toBe(404);
      expect(await store.get('webhook_subscriptions', id)).toBeNull();
      expect(await store.getCheckpoint(`webhook:${id}`)).toBeNull();
    } finally {
      await h?.close();
      await receiver.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
