/**
 * One Idempotency-Key, one decision, one answer, whichever instance gets it (issue 11 §1). Two
 * service processes share one DATA_DIR (the embedded SQLite stores), as several instances share
 * one EventStoreDB: the same key and body sent to both at once is decided once, and every caller
 * gets that answer. Writers without expectedRevision racing through both instances never see
 * REVISION_CONFLICT: the server retries its own contention.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/event-store/sqlite-event-store';
import { actorClaims, signHs256 } from './support/jwt';
import { ESTIMATE, LIFECYCLE, ordosToday, registrationBody } from './support/lifecycle';
import { SERVICE_SECRET, startService, type Service } from './support/service';

jest.setTimeout(300_000);

const token = (role: string, department?: string) =>
  signHs256({ ...actorClaims(role, department), exp: Math.floor(Date.now() / 1000) + 3600 }, SERVICE_SECRET);

describe('two instances over one DATA_DIR: one key, one decision', () => {
  let dataDir: string;
  let a: Service;
  let b: Service;
  const unit = token('CONSTRUCTION_UNIT', 'D01');
  const office = token('OFFICE');

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ordos-idem-'));
    a = await startService({ dataDir, timeoutMs: 240_000 });
    b = await startService({ dataDir, timeoutMs: 240_000 });
  });
  afterAll(async () => {
    await Promise.all([a?.kill('SIGTERM'), b?.kill('SIGTERM')]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function stored(projectId: string) {
    const store = SqliteEventStore.open(join(dataDir, 'events.db'));
    try {
      return await store.readStream(`project-${projectId}`);
    } finally {
      await store.close();
    }
  }

  const UNDER_CONSTRUCTION = LIFECYCLE.slice(0, LIFECYCLE.findIndex((s) => s.path === 'start-construction') + 1).map(
    (s): [string, string, Record<string, unknown>] => [s.path, s.role === 'OFFICE' ? office : unit, s.body()],
  );

  async function project(...steps: Array<[string, string, Record<string, unknown>]>): Promise<string> {
    const id = randomUUID();
    expect((await a.request('POST', '/projects', { token: unit, body: registrationBody(id, 'D01') })).status).toBe(201);
    for (const [path, who, body] of steps) {
      const answer = await a.request('POST', `/projects/${id}/${path}`, { token: who, body });
      expect(`${answer.status} ${answer.body?.code ?? ''}`.trim()).toBe('200');
    }
    return id;
  }

  it('8 requests with one key alternating between the instances: identical answers, one event', async () => {
    // Three rounds of eight projects at once: with only a per-process guard both instances decide
    // the same key; an adjustment of 1 % fits twice, so deciding twice stores two events and the
    // answers differ.
    for (let round = 0; round < 3; round++) {
      const ids = await Promise.all(Array.from({ length: 8 }, () => project(...UNDER_CONSTRUCTION)));
      const adjustment = {
        reason: 'TECHNICAL_OPTIMIZATION',
        amountFen: ESTIMATE / 100,
        newTotalFen: ESTIMATE,
        objectivesUnchanged: true,
        description: '优化',
      };
      const results = await Promise.all(
        ids.map(async (id) => {
          const key = `adjust-${id}`;
          const answers = await Promise.all(
            Array.from({ length: 8 }, (_, i) =>
              (i % 2 === 0 ? a : b).request('POST', `/projects/${id}/file-adjustment`, {
                token: unit,
                body: adjustment,
                headers: { 'idempotency-key': key },
              }),
            ),
          );
          const keyed = (await stored(id)).filter((e) => e.metadata.idempotencyKey === key);
          return {
            answers: answers.map((r) => `${r.status} ${r.text}`),
            distinct: new Set(answers.map((r) => r.text)).size,
            events: keyed.map((e) => e.type),
          };
        }),
      );
      for (const result of results) {
        expect(result.answers.every((r) => r.startsWith('200 '))).toBe(true);
        expect(result.distinct).toBe(1);
        expect(result.events).toEqual(['AdjustmentFiled']);
      }
    }
  });

  it('the same with a registration without projectId: one project, one answer', async () => {
    const { projectId: _omitted, ...body } = registrationBody(randomUUID(), 'D01');
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        (i % 2 === 0 ? a : b).request('POST', '/projects', {
          token: unit,
          body,
          headers: { 'idempotency-key': 'register-both' },
        }),
      ),
    );
    expect(answers.map((r) => r.status)).toEqual(Array(8).fill(201));
    expect(new Set(answers.map((r) => r.text)).size).toBe(1);
    expect((await stored(answers[0].body.projectId)).map((e) => e.type)).toEqual(['ProjectRegistered']);
  });

  it(
    '16 writers without expectedRevision through both ' + 'instances: no REVISION_CONFLICT, each its own revision',
    async () => {
      const id = await project(
        ['submit-proposal', unit, { documentRef: 'JY-1' }],
        ['approve-proposal', office, { opinion: '同意' }],
      );
      const before = (await stored(id)).length;
      const answers = await Promise.all(
        Array.from({ length: 16 }, (_, i) =>
          (i % 2 === 0 ? a : b).request('POST', `/projects/${id}/criticize`, {
            token: office,
            body: { reason: `第${i}次 ${ordosToday()}`, basis: { violation: 'WASTE' } },
          }),
        ),
      );
      expect(answers.map((r) => `${r.status} ${r.body?.code ?? ''}`.trim())).toEqual(Array(16).fill('200'));
      expect(answers.map((r) => r.body.revision).sort((x, y) => x - y)).toEqual(
        Array.from({ length: 16 }, (_, i) => before + i),
      );
    },
  );
});
