/**
 * Several service processes over one DATA_DIR (issue 11 §3): work that must happen once in the
 * cluster runs on the holder of its lease. Two built services share one store:
 *   - a webhook subscription is delivered by one of them: each event exactly once (no failover);
 *   - with a short seal interval, both timers fire but no two seals are closer than one interval;
 *   - a redelivery asked of the instance without the lease is applied (once) by the holder;
 *   - when the lease holder is killed (SIGKILL), the other takes the subscription over within
 *     about one ttl and every event reaches the receiver at least once.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startReceiver, waitFor } from '../subscriptions/helpers';
import { actorClaims, signHs256 } from './support/jwt';
import { registrationBody } from './support/lifecycle';
import { SERVICE_SECRET, startService, type Service } from './support/service';

jest.setTimeout(300_000);

const LEASE_TTL_MS = 5000;
const SEAL_INTERVAL_MS = 3000;
const TYPES = ['ProjectRegistered', 'ProposalSubmitted'];
const ENV = {
  WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
  WEBHOOK_BACKOFF_BASE_MS: '20',
  WEBHOOK_BACKOFF_CAP_MS: '200',
  LEASE_TTL_MS: String(LEASE_TTL_MS),
  SEAL_INTERVAL_MINUTES: String(SEAL_INTERVAL_MS / 60_000),
};

const token = (role: string, department?: string) =>
  signHs256({ ...actorClaims(role, department), exp: Math.floor(Date.now() / 1000) + 3600 }, SERVICE_SECRET);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('two instances over one DATA_DIR: leases', () => {
  let dataDir: string;
  let a: Service;
  let b: Service;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let subscriptionId: string;
  const unit = token('CONSTRUCTION_UNIT', 'D01');
  const office = token('OFFICE');

  /** The stored eventIds of the subscribed types, read from the shared events.db. */
  const storedEventIds = (): string[] => {
    const db = new Database(join(dataDir, 'events.db'), { readonly: true, fileMustExist: true });
    try {
      const placeholders = TYPES.map(() => '?').join(',');
      const rows = db
        .prepare(
          "SELECT json_extract(metadata, '$.eventId') AS id FROM events " +
            `WHERE type IN (${placeholders}) ORDER BY position`,
        )
        .all(...TYPES) as Array<{ id: string }>;
      return rows.map((r) => r.id);
    } finally {
      db.close();
    }
  };
  const deliveriesById = () => {
    const counts = new Map<string, number>();
    for (const d of receiver.accepted())
      counts.set(String(d.headers['x-event-id']), (counts.get(String(d.headers['x-event-id'])) ?? 0) + 1);
    return counts;
  };
  /** Registers and submits `n` projects, alternating between the given instances. */
  const drive = async (n: number, services: Service[]) => {
    for (let i = 0; i < n; i++) {
      const id = randomUUID();
      const via = services[i % services.length];
      expect((await via.request('POST', '/projects', { token: unit, body: registrationBody(id, 'D01') })).status).toBe(
        201,
      );
      const other = services[(i + 1) % services.length];
      expect(
        (
          await other.request('POST', `/projects/${id}/submit-proposal`, {
            token: unit,
            body: { documentRef: `JY-${i}` },
          })
        ).status,
      ).toBe(200);
    }
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ordos-leases-'));
    receiver = await startReceiver(() => 204);
    a = await startService({ dataDir, env: ENV, timeoutMs: 240_000 });
    b = await startService({ dataDir, env: ENV, timeoutMs: 240_000 });
  });
  afterAll(async () => {
    await Promise.all([a?.kill('SIGTERM'), b?.kill('SIGTERM')]);
    await receiver?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('delivers each event of a webhook subscription exactly once although both instances run webhooks', async () => {
    const created = await a.request('POST', '/subscriptions', {
      token: office,
      body: { url: receiver.url, types: TYPES, secret: 'lease-test-webhook-secret-1' },
    });
    expect(created.status).toBe(201);
    subscriptionId = created.body.id;
    // b has polled the subscription list at least once and tried the lease.
    await sleep(LEASE_TTL_MS / 2);
    await drive(8, [a, b]);
    const expected = storedEventIds();
    expect(expected).toHaveLength(16);
    await waitFor(() => expected.every((id) => deliveriesById().has(id)), 60_000, 'every event delivered');
    // Two more renewal periods: a second deliverer would have shown by now.
    await sleep((2 * LEASE_TTL_MS) / 3 + 500);
    const counts = deliveriesById();
    expect([...counts.keys()].sort()).toEqual([...expected].sort());
    expect([...counts.values()].every((c) => c === 1)).toBe(true);
    // Exactly one instance reports a running worker.
    const states = await Promise.all(
      [a, b].map(
        async (s) => (await s.request('GET', `/subscriptions/${subscriptionId}`, { token: office })).body.state,
      ),
    );
    expect(states.filter((s) => s !== 'stopped')).toHaveLength(1);
  });

  it('appends no two seals within one interval although both instances seal', async () => {
    await waitFor(() => sealTimes(dataDir).length >= 3, 60_000, 'three seals');
    const times = sealTimes(dataDir);
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(SEAL_INTERVAL_MS - 5);
  });

  it('applies a redelivery asked of the instance that does not hold the lease (the holder replays)', async () => {
    const states = await Promise.all(
      [a, b].map(
        async (s) => (await s.request('GET', `/subscriptions/${subscriptionId}`, { token: office })).body.state,
      ),
    );
    const other = states[0] === 'stopped' ? a : b;
    const before = storedEventIds();
    const asked = await other.request('POST', `/subscriptions/${subscriptionId}/redeliver`, {
      token: office,
      body: { fromPosition: '0' },
    });
    expect(asked.status).toBeLessThan(300);
    expect(asked.body).toMatchObject({ id: subscriptionId, replayAfter: '0' });
    await waitFor(
      () => before.every((id) => (deliveriesById().get(id) ?? 0) >= 2),
      60_000,
      'every event delivered again',
    );
    // Applied once: no third round on the following passes.
    await sleep((2 * LEASE_TTL_MS) / 3 + 500);
    expect([...deliveriesById().values()].every((c) => c === 2)).toBe(true);
  });

  it(
    'after SIGKILL of the lease holder the other instance takes ' +
      'the subscription over and delivers every event at least once',
    async () => {
      const holderIndex = (
        await Promise.all(
          [a, b].map(
            async (s) => (await s.request('GET', `/subscriptions/${subscriptionId}`, { token: office })).body.state,
          ),
        )
      ).findIndex((s) => s !== 'stopped');
      expect(holderIndex).toBeGreaterThanOrEqual(0);
      const [holder, survivor] = holderIndex === 0 ? [a, b] : [b, a];
      await holder.kill('SIGKILL');
      const killedAt = Date.now();
      await drive(4, [survivor]);
      const expected = storedEventIds();
      expect(expected).toHaveLength(24);
      await waitFor(
        () => expected.every((id) => deliveriesById().has(id)),
        60_000,
        'every event delivered after the failover',
      );
      // Taken over within about one ttl (plus a renewal period and slack for a loaded machine).
      expect(Date.now() - killedAt).toBeLessThan(LEASE_TTL_MS * 4 + 10_000);
      const status = await survivor.request('GET', `/subscriptions/${subscriptionId}`, { token: office });
      expect(status.body.state).not.toBe('stopped');
    },
  );
});

function sealTimes(dataDir: string): number[] {
  const db = new Database(join(dataDir, 'events.db'), { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare(
        "SELECT json_extract(data, '$.sealedAt') AS at FROM events WHERE stream = 'system-seals' ORDER BY position",
      )
      .all() as Array<{ at: string }>;
    return rows.map((r) => Date.parse(r.at));
  } finally {
    db.close();
  }
}
