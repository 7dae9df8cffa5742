/**
 * Guarantee 5 — store faults. The SQLite event store runs out of space or turns read-only in the
 * middle of writing: commands answer a clean 503 problem+json, nothing of the refused commands is
 * stored (not even part of a group commit), and everything works again once the fault clears.
 * The read-model store failing leaves the events intact and catches up afterwards. EventStoreDB
 * or MongoDB on a closed port: start-up fails clearly within a bounded time, or /health reports
 * 503 and commands answer 503 — nothing hangs.
 *
 * Faults are injected on the service's own connections (tests run as root, so chmod alone would
 * not stop a write): `PRAGMA max_page_count` = the current size is a full disk for SQLite
 * (SQLITE_FULL), `PRAGMA query_only` a read-only database (SQLITE_READONLY).
 */
import type Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVENT_STORE, type EventStore } from '../../src/event-store/event-store.port';
import { READ_MODEL_STORE } from '../../src/read-model/read-model.port';
import { startHarness, type Harness } from '../support/harness';
import { driveTo, expectProblem, type Project } from '../support/fixtures';
import { actorClaims, signHs256 } from './support/jwt';
import { builtMain, freePort, SERVICE_SECRET, startService } from './support/service';

jest.setTimeout(120_000);

const dbOf = (store: unknown) => (store as { db: Database.Database }).db;

describe('SQLite faults mid-write (guarantee 5)', () => {
  let h: Harness;
  let events: EventStore;
  beforeAll(async () => {
    h = await startHarness();
    events = h.app.get(EVENT_STORE);
  });
  afterAll(async () => {
    await h.close();
  });

  const incident = (p: Project, i: number, size = 1900) =>
    h.request('POST', `/projects/${p.id}/report-incident`, {
      token: h.token('CONSTRUCTION_UNIT', p.dept),
      body: { kind: 'SERIOUS_DELAY', description: `${i}:${'滞'.repeat(size)}` },
    });

  async function faultCycle(inject: (db: Database.Database) => void, clear: (db: Database.Database) => void) {
    const projects = await Promise.all(Array.from({ length: 4 }, () => driveTo(h, 'UNDER_CONSTRUCTION')));
    const db = dbOf(events);
    const before = await Promise.all(projects.map(async (p) => (await events.readStream(`project-${p.id}`)).length));
    const head = await events.headPosition();
    inject(db);
    let answers;
    try {
      // Concurrent commands: they land in one group commit, which the fault fails as a whole.
      answers = await Promise.all(projects.flatMap((p, i) => [incident(p, i), incident(p, i + 10, 1700)]));
    } finally {
      clear(db);
    }
    for (const answer of answers) expectProblem(answer, 503, 'STORE_UNAVAILABLE');
    expect(await events.headPosition()).toBe(head);
    const after = await Promise.all(projects.map(async (p) => (await events.readStream(`project-${p.id}`)).length));
    expect(after).toEqual(before);
    // Recovery: the same commands succeed once the fault is gone.
    const retried = await Promise.all(projects.map((p, i) => incident(p, i)));
    expect(retried.map((r) => r.status)).toEqual(projects.map(() => 200));
    const verify = await h.request('GET', '/audit/verify', { token: h.token('AUDIT') });
    expect(verify.body).toMatchObject({ ok: true });
  }

  it(
    'disk full (SQLITE_FULL) mid-write: 503 problem+json, ' + 'nothing of the group stored, recovery afterwards',
    async () => {
      await faultCycle(
        (db) => {
          const pages = db.pragma('page_count', { simple: true }) as number;
          db.pragma(`max_page_count = ${pages}`);
        },
        (db) => db.pragma('max_page_count = 4294967294'),
      );
    },
  );

  it(
    'read-only database (SQLITE_READONLY) mid-write: 503 ' + 'problem+json, nothing stored, recovery afterwards',
    async () => {
      await faultCycle(
        (db) => db.pragma('query_only = ON'),
        (db) => db.pragma('query_only = OFF'),
      );
    },
  );

  it(
    'a registration while the disk is full is refused ' + 'with 503 and the project does not exist afterwards',
    async () => {
      const db = dbOf(events);
      db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
      const { registration } = await import('../support/harness');
      const body = registration('DFULL', { basis: '依据'.repeat(900) });
      let answer;
      try {
        answer = await h.request('POST', '/projects', { token: h.token('CONSTRUCTION_UNIT', 'DFULL'), body });
      } finally {
        db.pragma('max_page_count = 4294967294');
      }
      expectProblem(answer, 503, 'STORE_UNAVAILABLE');
      expect(await events.readStream(`project-${body.projectId}`)).toEqual([]);
      expect(
        (await h.request('POST', '/projects', { token: h.token('CONSTRUCTION_UNIT', 'DFULL'), body })).status,
      ).toBe(201);
    },
  );

  it(
    'read-model store read-only: events are still stored, ' + 'reads wait with 503 READ_MODEL_BEHIND, then catch up',
    async () => {
      const p = await driveTo(h, 'UNDER_CONSTRUCTION');
      const rm = dbOf(h.app.get(READ_MODEL_STORE));
      rm.pragma('query_only = ON');
      let written;
      try {
        written = await incident(p, 99, 10);
        expect(written.status).toBe(200);
        const behind = await h.request('GET', `/projects/${p.id}?minRevision=${written.body.revision}&wait=300`, {
          token: h.token('OFFICE'),
        });
        expect(behind.status).toBe(503);
        expect(String(behind.headers['content-type'])).toContain('application/problem+json');
      } finally {
        rm.pragma('query_only = OFF');
      }
      // The failed lane restarts from its checkpoint with back-off (≤ a few seconds here).
      const caught = await h.request('GET', `/projects/${p.id}?minRevision=${written.body.revision}&wait=10000`, {
        token: h.token('OFFICE'),
      });
      expect(caught.status).toBe(200);
      expect(caught.body.revision).toBe(written.body.revision);
    },
  );
});

describe('EventStoreDB or MongoDB unreachable (guarantee 5): the built service as a child process', () => {
  let dataDir: string;
  let closedPort: number;
  beforeAll(async () => {
    builtMain();
    dataDir = mkdtempSync(join(tmpdir(), 'ordos-unreachable-'));
    closedPort = await freePort(); // nothing listens there any more
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const office = () =>
    signHs256({ ...actorClaims('OFFICE'), exp: Math.floor(Date.now() / 1000) + 600 }, SERVICE_SECRET);

  /** Either start-up fails clearly in time, or the service is up, unhealthy, and refuses commands with 503 in time. */
  async function expectBoundedFailure(env: Record<string, string>, leaked: string[]) {
    const started = Date.now();
    const service = await startService({ dataDir, env, waitFor: 'nothing' });
    let settled = false;
    let hangTimer: NodeJS.Timeout | undefined;
    try {
      const outcome = await Promise.race([
        service.exited.then((exit) => ({ kind: 'exited' as const, exit })),
        (async () => {
          while (!settled) {
            try {
              const health = await service.request('GET', '/health', { timeoutMs: 10_000 });
              return { kind: 'listening' as const, health };
            } catch {
              await new Promise((r) => setTimeout(r, 200));
            }
          }
          return { kind: 'hung' as const };
        })(),
        new Promise<{ kind: 'hung' }>((r) => (hangTimer = setTimeout(() => r({ kind: 'hung' }), 30_000))),
      ]);
      settled = true;
      clearTimeout(hangTimer);
      if (outcome.kind === 'hung')
        throw new Error(`neither start-up failure nor an answer within 30 s: ${service.stderr()}`);
      const what =
        outcome.kind === 'exited'
          ? `start-up failed after ${Date.now() - started} ms: ${service.stderr().trim().split('\n')[0]}`
          : `listening, /health ${outcome.health.status}`;
      process.stdout.write(`store-faults ${Object.keys(env)[0]}: ${what}\n`);
      if (outcome.kind === 'exited') {
        expect(outcome.exit.code).not.toBe(0);
        expect(service.stderr()).toMatch(
          /Start-up failed|Invalid configuration|unavailable|connect|ECONNREFUSED|Server selection/i,
        );
        expect(Date.now() - started).toBeLessThan(30_000);
      } else {
        expect(outcome.health.status).toBe(503);
        const t0 = Date.now();
        const answer = await service.request('POST', '/projects', {
          token: signHs256(
            { ...actorClaims('CONSTRUCTION_UNIT', 'D1'), exp: Math.floor(Date.now() / 1000) + 600 },
            SERVICE_SECRET,
          ),
          body: { name: 'x' },
          timeoutMs: 30_000,
        });
        // Validation fails first for this body; a valid one must reach the store and fail with 503.
        expect(answer.status).toBe(400);
        const valid = await service.request('POST', '/projects/00000000-0000-4000-8000-000000000000/criticize', {
          token: office(),
          body: { reason: '测试', basis: { violation: 'WASTE' } },
          timeoutMs: 30_000,
        });
        expect({ status: valid.status, code: valid.body?.code }).toEqual({ status: 503, code: 'STORE_UNAVAILABLE' });
        expect(Date.now() - t0).toBeLessThan(25_000);
      }
      for (const secret of leaked) {
        expect(service.stderr()).not.toContain(secret);
        expect(service.stdout()).not.toContain(secret);
      }
    } finally {
      settled = true;
      clearTimeout(hangTimer);
      await service.kill();
    }
  }

  it('EVENTSTORE_CONNECTION_STRING at a closed port', async () => {
    await expectBoundedFailure({ EVENTSTORE_CONNECTION_STRING: `esdb://127.0.0.1:${closedPort}?tls=false` }, []);
  });

  it('MONGODB_URI at a closed port (with credentials that must not be printed)', async () => {
    await expectBoundedFailure(
      {
        MONGODB_URI: `mongodb://ordos:s3cr3t-Passw0rd@127.0.0.1:${closedPort}/?serverSelectionTimeoutMS=2000`,
        LOG_LEVEL: 'info',
      },
      ['s3cr3t-Passw0rd'],
    );
  });

  it(
    'a port that accepts connections but never answers ' + '(black hole) does not hang start-up or requests either',
    async () => {
      const sockets: import('node:net').Socket[] = [];
      const hole = createServer((s) => sockets.push(s));
      await new Promise<void>((r) => hole.listen(0, '127.0.0.1', () => r()));
      const port = (hole.address() as { port: number }).port;
      try {
        await expectBoundedFailure(
          { MONGODB_URI: `mongodb://127.0.0.1:${port}/?serverSelectionTimeoutMS=2000&connectTimeoutMS=2000` },
          [],
        );
      } finally {
        sockets.forEach((s) => s.destroy());
        hole.close();
      }
    },
  );
});
