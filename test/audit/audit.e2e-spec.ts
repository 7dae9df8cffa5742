import Database from 'better-sqlite3';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { registerUpcaster } from '../../src/event-store/upcasters';
import { SqliteEventStore } from '../../src/event-store/sqlite-event-store';
import { registration, startHarness, type Harness } from '../support/harness';

async function registeredProject(h: Harness, dept = 'D01') {
  const unit = h.token('CONSTRUCTION_UNIT', dept);
  const body = registration(dept);
  expect((await h.request('POST', '/projects', { token: unit, body })).status).toBe(201);
  return { id: body.projectId, unit };
}

describe('audit: history, point-in-time state, log and export', () => {
  let h: Harness;
  let office: string;
  let audit: string;
  beforeAll(async () => {
    h = await startHarness();
    office = h.token('OFFICE');
    audit = h.token('AUDIT');
  });
  afterAll(() => h.close());

  it('lists every event with envelope, Chinese label, family and article, to the right people only', async () => {
    const { id, unit } = await registeredProject(h);
    await h.request('POST', `/projects/${id}/submit-proposal`, { token: unit, body: { documentRef: 'JY-1' } });
    const history = await h.request('GET', `/projects/${id}/history`, { token: audit });
    expect(history.status).toBe(200);
    expect(history.body.events.map((e: { type: string }) => e.type)).toEqual([
      'ProjectRegistered',
      'ProposalSubmitted',
    ]);
    const [first] = history.body.events;
    expect(first).toMatchObject({ revision: 0, family: '立项', label: expect.stringMatching(/[\u4e00-\u9fff]/) });
    expect(first.metadata).toMatchObject({
      policy: 'ordos-2020',
      actor: { role: 'CONSTRUCTION_UNIT', department: 'D01' },
    });
    expect(first.metadata.hash).toMatch(/^[0-9a-f]{64}$/);
    expect((await h.request('GET', `/projects/${id}/history`, { token: unit })).status).toBe(200);
    expect(
      (await h.request('GET', `/projects/${id}/history`, { token: h.token('CONSTRUCTION_UNIT', 'D99') })).status,
    ).toBe(404); // another department's project is an unknown id (docs/api.md Visibility)
    expect((await h.request('GET', `/projects/${id}/history`, { token: h.token('FINANCE') })).status).toBe(403);
    expect((await h.request('GET', `/projects/${randomUUID()}/history`, { token: audit })).status).toBe(404);
  });

  it('rebuilds the state as it was at an instant or a revision, from the stream', async () => {
    h.clock.set(new Date('2026-04-01T02:00:00Z'));
    const { id, unit } = await registeredProject(h);
    h.clock.set(new Date('2026-04-10T02:00:00Z'));
    await h.request('POST', `/projects/${id}/submit-proposal`, { token: unit, body: { documentRef: 'JY-2' } });
    const before = await h.request('GET', `/projects/${id}/state?asOf=2026-04-05T00:00:00Z`, { token: office });
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ revision: 0, state: { status: 'DRAFT_PLAN' } });
    const after = await h.request('GET', `/projects/${id}/state?asOf=2026-04-11T00:00:00Z`, { token: office });
    expect(after.body).toMatchObject({ revision: 1, state: { status: 'PROPOSAL' } });
    const byRevision = await h.request('GET', `/projects/${id}/state?revision=0`, { token: office });
    expect(byRevision.body.state.status).toBe('DRAFT_PLAN');
    expect((await h.request('GET', `/projects/${id}/state?asOf=2026-03-01T00:00:00Z`, { token: office })).status).toBe(
      404,
    );
    expect((await h.request('GET', `/projects/${id}/state?asOf=yesterday`, { token: office })).status).toBe(400);
  });

  it('pages the global log by position with filters', async () => {
    const page1 = await h.request('GET', '/audit/events?type=ProjectRegistered&limit=1', { token: audit });
    expect(page1.status).toBe(200);
    expect(page1.body.items).toHaveLength(1);
    const page2 = await h.request('GET', `/audit/events?type=ProjectRegistered&limit=1&after=${page1.body.nextAfter}`, {
      token: audit,
    });
    expect(page2.body.items[0].position).not.toBe(page1.body.items[0].position);
    const family = await h.request('GET', `/audit/events?family=${encodeURIComponent('立项')}&limit=1000`, {
      token: office,
    });
    expect(family.body.items.every((e: { family: string }) => e.family === '立项')).toBe(true);
    const byDept = await h.request('GET', '/audit/events?department=D99&limit=1000', { token: audit });
    expect(byDept.body.items).toEqual([]);
    expect((await h.request('GET', '/audit/events', { token: h.token('CONSTRUCTION_UNIT', 'D01') })).status).toBe(403);
    // `after` must be a position this store issued.
    expect((await h.request('GET', '/audit/events?after=5/5', { token: audit })).status).toBe(400);
    expect((await h.request('GET', '/audit/events?after=99999999', { token: audit })).status).toBe(400);
    expect((await h.request('GET', '/audit/export?after=99999999', { token: audit })).status).toBe(400);
  });

  it('exports CSV with a UTF-8 BOM and Chinese text, and JSON lines', async () => {
    const csv = await h.request('GET', '/audit/export?format=csv', { token: audit });
    expect(csv.status).toBe(200);
    expect(String(csv.headers['content-type'])).toContain('text/csv');
    const text = String(csv.body);
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text).toContain('鄂尔多斯');
    const jsonl = await h.request('GET', '/audit/export?format=jsonl&type=ProposalSubmitted', { token: audit });
    const lines = String(jsonl.body)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.every((l: { type: string }) => l.type === 'ProposalSubmitted')).toBe(true);
    expect((await h.request('GET', '/audit/export', { token: office })).status).toBe(403);
  });

  it('reads an old event shape as the new one through an upcaster, everywhere', async () => {
    // A historic ProposalSubmitted written under schema 0 called the field `document`.
    registerUpcaster({
      type: 'ProposalSubmitted',
      fromVersion: 0,
      toVersion: 1,
      upcast: ({ document, ...rest }) => ({ ...rest, documentRef: document }),
    });
    const { id } = await registeredProject(h, 'D03');
    const store = SqliteEventStore.open(join(h.dataDir, 'events.db'));
    const [registered] = await store.readStream(`project-${id}`);
    await store.append(
      `project-${id}`,
      [
        {
          type: 'ProposalSubmitted',
          data: { projectId: id, document: 'OLD-REF', submittedOn: '2026-03-02' },
          metadata: { ...registered.metadata, eventId: randomUUID(), schemaVersion: 0 },
        },
      ],
      0,
    );
    await store.close();
    const history = await h.request('GET', `/projects/${id}/history`, { token: audit });
    expect(history.body.events[1].data).toMatchObject({ documentRef: 'OLD-REF' });
    expect(history.body.events[1].metadata.schemaVersion).toBe(1);
    const state = await h.request('GET', `/projects/${id}/state?revision=1`, { token: audit });
    expect(state.body.state.status).toBe('PROPOSAL');
    const detail = await h.request('GET', `/projects/${id}?minRevision=1`, { token: audit });
    expect(detail.body.status).toBe('PROPOSAL');
  });
});

describe('audit: integrity of the stored chain', () => {
  it(
    'names an event whose stored bytes were edited, ' + 'and detects a deleted middle event and a truncated tail',
    async () => {
      let h = await startHarness();
      const audit = h.token('AUDIT');
      const office = h.token('OFFICE');
      const { id, unit } = await registeredProject(h);
      await h.request('POST', `/projects/${id}/submit-proposal`, { token: unit, body: { documentRef: 'JY-9' } });
      await h.request('POST', `/projects/${id}/approve-proposal`, { token: office, body: { opinion: '同意' } });
      const other = await registeredProject(h, 'D02');
      await h.request('POST', `/projects/${other.id}/submit-proposal`, {
        token: other.unit,
        body: { documentRef: 'JY-10' },
      });
      expect((await h.request('GET', `/audit/verify?projectId=${id}`, { token: audit })).body).toEqual({
        projectId: id,
        ok: true,
        checked: 3,
      });
      const sealed = await h.request('POST', '/audit/seal', { token: office });
      expect(sealed.status).toBe(201);
      expect((await h.request('GET', '/audit/verify', { token: audit })).body).toMatchObject({
        ok: true,
        seal: { checked: true, ok: true },
      });
      const dataDir = h.dataDir;
      await h.close({ keepData: true });

      // Someone with file access edits an amount directly in the SQLite file.
      const raw = new Database(join(dataDir, 'events.db'));
      raw.exec('DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;');
      const target = raw
        .prepare('SELECT position, data, metadata FROM events WHERE stream = ? AND revision = 1')
        .get(`project-${id}`) as { position: number; data: string; metadata: string };
      raw
        .prepare('UPDATE events SET data = ? WHERE position = ?')
        .run(target.data.replace('JY-9', 'JY-X'), target.position);
      raw.close();

      h = await startHarness({ dataDir });
      const tampered = await h.request('GET', `/audit/verify?projectId=${id}`, { token: audit });
      expect(tampered.body).toMatchObject({
        ok: false,
        brokenAt: { revision: 1, eventId: JSON.parse(target.metadata).eventId, reason: 'HASH_MISMATCH' },
      });
      const whole = await h.request('GET', '/audit/verify', { token: audit });
      expect(whole.body).toMatchObject({ ok: false, brokenAt: { streamId: `project-${id}`, revision: 1 } });
      await h.close({ keepData: true });

      // Restore the bytes, then delete the middle event of the first project.
      const raw2 = new Database(join(dataDir, 'events.db'));
      raw2.exec('DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;');
      raw2.prepare('UPDATE events SET data = ? WHERE position = ?').run(target.data, target.position);
      raw2.prepare('DELETE FROM events WHERE position = ?').run(target.position);
      raw2.close();
      h = await startHarness({ dataDir });
      const gap = await h.request('GET', '/audit/verify', { token: audit });
      expect(gap.body).toMatchObject({ ok: false, brokenAt: { streamId: `project-${id}`, reason: 'REVISION_GAP' } });
      await h.close({ keepData: true });

      // Truncating a stream's tail leaves a valid chain; only the seal notices.
      const raw3 = new Database(join(dataDir, 'events.db'));
      raw3.exec('DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;');
      raw3.prepare('DELETE FROM events WHERE stream = ?').run(`project-${id}`);
      raw3.prepare('DELETE FROM events WHERE stream = ? AND revision = 1').run(`project-${other.id}`);
      raw3.close();
      h = await startHarness({ dataDir });
      const truncated = await h.request('GET', '/audit/verify', { token: audit });
      expect(truncated.body).toMatchObject({
        ok: false,
        seal: { ok: false, reason: 'STREAM_HEADS_CHANGED_SINCE_SEAL' },
      });
      expect(truncated.body.brokenAt).toBeUndefined();
      await h.close();
    },
  );
});
