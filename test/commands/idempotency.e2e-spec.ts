/**
 * Idempotency-Key (issue 11 §1) and contention through the real HTTP stack: a retry gets the
 * first answer even when the server chose the id; an answer is true even when the key could not
 * be recorded; a replay is authorized like a fresh request; keys expire after the retention; the
 * server's own concurrency never surfaces as REVISION_CONFLICT to a client without expectedRevision.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import {
  EVENT_STORE,
  RevisionConflict,
  StoreUnavailable,
  type EventStore,
} from '../../src/event-store/event-store.port';
import { IDEMPOTENCY_CLAIM, IDEMPOTENCY_RECORD } from '../../src/commands/idempotency.service';
import { registration, startHarness, type Harness } from '../support/harness';
import { driveTo, expectProblem, type Project } from '../support/fixtures';

describe('Idempotency-Key and contention (issue 11)', () => {
  let h: Harness;
  let store: EventStore;
  beforeAll(async () => {
    h = await startHarness();
    store = h.app.get(EVENT_STORE);
  });
  afterAll(async () => {
    await h.close();
  });

  const history = async (id: string) =>
    (await store.readStream(`project-${id}`)).map((e) => ({ type: e.type, key: e.metadata.idempotencyKey }));

  /** Makes every Idempotency-Key answer record fail (a full disk right after the command's append). */
  function failAnswerRecords(): () => void {
    const original = store.append.bind(store);
    store.append = async (streamId, events, expected) => {
      if (streamId.startsWith('idempotency-') && events.some((e) => e.type === IDEMPOTENCY_RECORD)) {
        throw new StoreUnavailable('SQLITE_FULL: database or disk is full');
      }
      return original(streamId, events, expected);
    };
    return () => {
      store.append = original;
    };
  }

  describe('POST /projects without projectId', () => {
    it('the same key and body twice: the first answer (same projectId), one project', async () => {
      const { projectId: _omitted, ...body } = registration('KEY1');
      const send = () =>
        h.request('POST', '/projects', {
          token: h.token('CONSTRUCTION_UNIT', 'KEY1'),
          body,
          headers: { 'idempotency-key': 'register-no-id' },
        });
      const first = await send();
      expect(first.status).toBe(201);
      const second = await send();
      expect({ status: second.status, body: second.body }).toEqual({ status: 201, body: first.body });
      expect(await history(first.body.projectId)).toEqual([{ type: 'ProjectRegistered', key: 'register-no-id' }]);
    });

    it('the key record lost after the append (crash): the retry answers the same project, no second one', async () => {
      const { projectId: _omitted, ...body } = registration('KEY2');
      const send = () =>
        h.request('POST', '/projects', {
          token: h.token('CONSTRUCTION_UNIT', 'KEY2'),
          body,
          headers: { 'idempotency-key': 'register-crash' },
        });
      const restore = failAnswerRecords();
      let first;
      try {
        first = await send();
      } finally {
        restore();
      }
      expect(first.status).toBe(201);
      const second = await send();
      expect({ status: second.status, body: second.body }).toEqual({ status: 201, body: first.body });
      expect(await history(first.body.projectId)).toEqual([{ type: 'ProjectRegistered', key: 'register-crash' }]);
      // and the recovered answer is recorded now: a third retry is a plain replay
      expect((await send()).body).toEqual(first.body);
    });

    it('order-rectification without rectificationId: the retry answers the same order', async () => {
      const p = await driveTo(h, 'UNDER_CONSTRUCTION');
      const body = { findings: ['未同步建设密码保障系统'], deadline: '2026-06-30', article: '第十二条' };
      const send = () =>
        h.request('POST', `/projects/${p.id}/order-rectification`, {
          token: h.token('SUPERVISOR'),
          body,
          headers: { 'idempotency-key': 'rectify-1' },
        });
      const first = await send();
      expect(first.status).toBe(200);
      const second = await send();
      expect({ status: second.status, body: second.body }).toEqual({ status: 200, body: first.body });
      expect((await history(p.id)).filter((e) => e.type === 'RectificationOrdered')).toHaveLength(1);
    });
  });

  it('full disk after the command was stored: the answer says what was stored, not "nothing was changed"', async () => {
    const p = await driveTo(h, 'PROPOSAL_SUBMITTED');
    const send = () =>
      h.request('POST', `/projects/${p.id}/approve-proposal`, {
        token: h.token('OFFICE'),
        body: { opinion: '同意' },
        headers: { 'idempotency-key': 'disk-full-1' },
      });
    const restore = failAnswerRecords();
    let first;
    try {
      first = await send();
    } finally {
      restore();
    }
    expect({ status: first.status, body: first.body }).toEqual({
      status: 200,
      // 第三十三条: decided after ordos-2020 lapsed, and the answer says so.
      body: {
        projectId: p.id,
        revision: p.revision + 1,
        position: expect.any(String),
        events: ['ProposalApproved'],
        policyLapsed: true,
      },
    });
    expect((await history(p.id)).filter((e) => e.type === 'ProposalApproved')).toHaveLength(1);
    const retry = await send();
    expect({ status: retry.status, body: retry.body }).toEqual({ status: 200, body: first.body });
    expect((await history(p.id)).filter((e) => e.type === 'ProposalApproved')).toHaveLength(1);
  });

  describe('authorize first, then replay', () => {
    it('a user whose role changed is refused 403 ROLE_NOT_ALLOWED, not given the recorded answer', async () => {
      const p = await driveTo(h, 'PROPOSAL_SUBMITTED');
      const send = (role: string) =>
        h.request('POST', `/projects/${p.id}/approve-proposal`, {
          token: h.token(role, undefined, 'clerk-7'),
          body: { opinion: '同意' },
          headers: { 'idempotency-key': 'auth-role' },
        });
      expect((await send('OFFICE')).status).toBe(200);
      expectProblem(await send('FINANCE'), 403, 'ROLE_NOT_ALLOWED');
      expect((await send('OFFICE')).status).toBe(200);
    });

    it(
      'a construction unit moved to another department gets 404, ' +
        'as for an unknown project (visibility first, then replay)',
      async () => {
        const p: Project = await driveTo(h, 'DRAFT_PLAN');
        const send = (dept: string) =>
          h.request('POST', `/projects/${p.id}/submit-proposal`, {
            token: h.token('CONSTRUCTION_UNIT', dept, 'unit-clerk-9'),
            body: { documentRef: 'JY-1' },
            headers: { 'idempotency-key': 'auth-dept' },
          });
        expect((await send(p.dept)).status).toBe(200);
        expectProblem(await send('ELSEWHERE'), 404, 'PROJECT_NOT_FOUND');
      },
    );

    it('registration replayed to a user of another department: 403 DEPARTMENT_MISMATCH, as when fresh', async () => {
      const body = registration('KEY3');
      const send = (dept: string) =>
        h.request('POST', '/projects', {
          token: h.token('CONSTRUCTION_UNIT', dept, 'unit-clerk-10'),
          body,
          headers: { 'idempotency-key': 'auth-register' },
        });
      expect((await send('KEY3')).status).toBe(201);
      expectProblem(await send('KEY4'), 403, 'DEPARTMENT_MISMATCH');
    });
  });

  it('a replay reads only the key stream and the registration, never the whole project stream', async () => {
    const p = await driveTo(h, 'UNDER_CONSTRUCTION');
    const send = () =>
      h.request('POST', `/projects/${p.id}/criticize`, {
        token: h.token('OFFICE'),
        body: { reason: '滞后', basis: { violation: 'WASTE' } },
        headers: { 'idempotency-key': 'o1-check' },
      });
    const first = await send();
    expect(first.status).toBe(200);
    const reads: Array<{ streamId: string; options?: object }> = [];
    const original = store.readStream.bind(store);
    const originalLast = store.readLastEvent!.bind(store);
    store.readStream = (streamId, options) => {
      reads.push({ streamId, options });
      return original(streamId, options);
    };
    store.readLastEvent = (streamId) => {
      reads.push({ streamId, options: { last: true } });
      return originalLast(streamId);
    };
    try {
      expect((await send()).body).toEqual(first.body);
    } finally {
      store.readStream = original;
      store.readLastEvent = originalLast;
    }
    const projectReads = reads.filter((r) => r.streamId === `project-${p.id}`);
    expect(projectReads.every((r) => (r.options as { toRevision?: number } | undefined)?.toRevision === 0)).toBe(true);
    // The key check is one read of the key stream's newest record, whatever its length (O(1)).
    expect(reads.filter((r) => r.streamId.startsWith('idempotency-'))).toEqual([
      { streamId: expect.any(String), options: { last: true } },
    ]);
  });

  it(
    '16 concurrent writers without expectedRevision on one project: no 409 REVISION_CONFLICT, ' +
      'each its own revision',
    async () => {
      // Rounds of 4 projects × 16 writers each (every writer with its own Idempotency-Key, as a
      // careful client sends): the old bounded retry loop let some of them surface as 409.
      for (let round = 0; round < 4; round++) {
        const projects = await Promise.all(Array.from({ length: 4 }, () => driveTo(h, 'UNDER_CONSTRUCTION')));
        const answers = await Promise.all(
          projects.map((p) =>
            Promise.all(
              Array.from({ length: 16 }, (_, i) =>
                h.request('POST', `/projects/${p.id}/report-incident`, {
                  token: h.token('CONSTRUCTION_UNIT', p.dept),
                  body: { kind: 'SERIOUS_DELAY', description: `滞后 ${i}` },
                  headers: { 'idempotency-key': `contend-${p.id}-${i}` },
                }),
              ),
            ),
          ),
        );
        projects.forEach((p, j) => {
          expect(answers[j].map((a) => (a.status === 200 ? 200 : `${a.status} ${a.body.code}`))).toEqual(
            Array(16).fill(200),
          );
          expect(answers[j].map((a) => a.body.revision).sort((x, y) => x - y)).toEqual(
            Array.from({ length: 16 }, (_, i) => p.revision + 1 + i),
          );
        });
      }
    },
  );

  it('a key is remembered for IDEMPOTENCY_RETENTION_HOURS (24): later the same key is a new request', async () => {
    const p = await driveTo(h, 'UNDER_CONSTRUCTION');
    const send = () =>
      h.request('POST', `/projects/${p.id}/criticize`, {
        token: h.token('OFFICE'),
        body: { reason: '滞后', basis: { violation: 'WASTE' } },
        headers: { 'idempotency-key': 'retention-1' },
      });
    const start = h.clock.now();
    try {
      const first = await send();
      expect(first.status).toBe(200);
      h.clock.set(new Date(start.getTime() + 23 * 3_600_000));
      expect((await send()).body).toEqual(first.body);
      h.clock.set(new Date(start.getTime() + 25 * 3_600_000));
      const later = await send();
      expect(later.status).toBe(200);
      expect(later.body.revision).toBe(first.body.revision + 1);
      // …and that new request is remembered in turn
      expect((await send()).body).toEqual(later.body);
      expect((await history(p.id)).filter((e) => e.type === 'ProjectCriticized')).toHaveLength(2);
    } finally {
      h.clock.set(start);
    }
  });

  describe('a claim whose owner is gone', () => {
    /**
     * Leaves an unanswered claim of `key` as another process would (its events never appended),
     * owned by `pid` on this host, and returns the request that retries it.
     */
    async function claimedBy(pid: number, key: string) {
      const p = await driveTo(h, 'UNDER_CONSTRUCTION');
      const send = () =>
        h.request('POST', `/projects/${p.id}/criticize`, {
          token: h.token('OFFICE'),
          body: { reason: '滞后', basis: { violation: 'WASTE' } },
          headers: { 'idempotency-key': key },
        });
      const original = store.append.bind(store);
      store.append = async (streamId, events, expected) => {
        if (streamId === `project-${p.id}`) throw new Error('the process died here');
        return original(streamId, events, expected);
      };
      try {
        expect((await send()).status).toBe(500);
      } finally {
        store.append = original;
      }
      const claims = await findClaim(key);
      const { data, metadata } = claims.last;
      await store.append(
        claims.streamId,
        [
          {
            type: IDEMPOTENCY_CLAIM,
            data: { ...data, owner: { ...(data.owner as object), pid, instance: randomUUID() } },
            metadata: { ...metadata, eventId: randomUUID(), occurredAt: h.clock.now().toISOString() },
          },
        ],
        claims.last.revision,
      );
      return { p, send };
    }

    /** The key's own stream (hidden from $all), named by the digest of user and key. */
    async function findClaim(key: string) {
      const streamId = `idempotency-${createHash('sha256').update(`office-x\n${key}`).digest('hex')}`;
      const records = await store.readStream(streamId);
      return { streamId, last: records[records.length - 1] };
    }

    it('its process no longer runs: the retry takes the key over and decides it once', async () => {
      const dead = spawnSync(process.execPath, ['-e', '']).pid!;
      const { p, send } = await claimedBy(dead, 'gone-1');
      const retry = await send();
      expect(retry.status).toBe(200);
      expect((await history(p.id)).filter((e) => e.type === 'ProjectCriticized')).toHaveLength(1);
      expect((await send()).body).toEqual(retry.body);
    });

    it(
      'its process still runs: 409 IDEMPOTENCY_KEY_IN_PROGRESS after waiting, ' + 'taken over once the lease passed',
      async () => {
        const { p, send } = await claimedBy(process.ppid, 'alive-1');
        const started = Date.now();
        expectProblem(await send(), 409, 'IDEMPOTENCY_KEY_IN_PROGRESS');
        expect(Date.now() - started).toBeGreaterThanOrEqual(9_000);
        expect((await history(p.id)).filter((e) => e.type === 'ProjectCriticized')).toHaveLength(0);
        const start = h.clock.now();
        h.clock.set(new Date(start.getTime() + 31_000));
        try {
          expect((await send()).status).toBe(200);
        } finally {
          h.clock.set(start);
        }
        expect((await history(p.id)).filter((e) => e.type === 'ProjectCriticized')).toHaveLength(1);
      },
      30_000,
    );
  });

  it(
    'contention that outlasts the retries: 503 CONTENDED (nothing changed), never 409; ' + 'with expectedRevision 409',
    async () => {
      const p = await driveTo(h, 'UNDER_CONSTRUCTION');
      const original = store.append.bind(store);
      store.append = async (streamId, events, expected) => {
        if (streamId === `project-${p.id}`) throw new RevisionConflict(streamId, expected, undefined);
        return original(streamId, events, expected);
      };
      try {
        const contended = await h.request('POST', `/projects/${p.id}/criticize`, {
          token: h.token('OFFICE'),
          body: { reason: '滞后', basis: { violation: 'WASTE' } },
          headers: { 'idempotency-key': 'contended-1' },
        });
        expectProblem(contended, 503, 'CONTENDED');
        expect(contended.body.detail).toMatch(/nothing was changed/);
        expect(contended.body.detail).not.toMatch(/changed since you read it/);
        const expecting = await h.request('POST', `/projects/${p.id}/criticize`, {
          token: h.token('OFFICE'),
          body: { reason: '滞后', expectedRevision: p.revision, basis: { violation: 'WASTE' } },
        });
        expectProblem(expecting, 409, 'REVISION_CONFLICT');
      } finally {
        store.append = original;
      }
      // the refused attempt released its key: the retry is decided
      const retry = await h.request('POST', `/projects/${p.id}/criticize`, {
        token: h.token('OFFICE'),
        body: { reason: '滞后', basis: { violation: 'WASTE' } },
        headers: { 'idempotency-key': 'contended-1' },
      });
      expect(retry.status).toBe(200);
    },
    30_000,
  );
});
