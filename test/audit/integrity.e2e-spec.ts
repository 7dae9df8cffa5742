import Database from 'better-sqlite3';
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { SqliteEventStore } from '../../src/event-store/sqlite-event-store';
import { ProjectionService } from '../../src/projections/projection.service';
import { registration, startHarness, type Harness } from '../support/harness';

async function registeredProject(h: Harness, dept = 'D01') {
  const unit = h.token('CONSTRUCTION_UNIT', dept);
  const body = registration(dept);
  expect((await h.request('POST', '/projects', { token: unit, body })).status).toBe(201);
  return { id: body.projectId, unit, body };
}

/**
 * Someone with file access edits stored rows while the service keeps running: a second connection
 * to the same file, the immutability trigger dropped first.
 */
function editStored(dataDir: string, edit: (raw: Database.Database) => void): void {
  const raw = new Database(join(dataDir, 'events.db'));
  try {
    raw.exec('DROP TRIGGER IF EXISTS events_no_update; DROP TRIGGER IF EXISTS events_no_delete;');
    edit(raw);
  } finally {
    raw.close();
  }
}

function setData(
  raw: Database.Database,
  stream: string,
  revision: number,
  change: (data: Record<string, unknown>) => void,
): { eventId: string } {
  const row = raw
    .prepare('SELECT position, data, metadata FROM events WHERE stream = ? AND revision = ?')
    .get(stream, revision) as { position: number; data: string; metadata: string };
  const data = JSON.parse(row.data) as Record<string, unknown>;
  change(data);
  raw.prepare('UPDATE events SET data = ? WHERE position = ?').run(JSON.stringify(data), row.position);
  return { eventId: (JSON.parse(row.metadata) as { eventId: string }).eventId };
}

describe('integrity as auditors rely on it (issue 11 §2)', () => {
  it('whole-store verify on a running service reads the stored bytes and lists every broken event', async () => {
    const h = await startHarness();
    try {
      const audit = h.token('AUDIT');
      const office = h.token('OFFICE');
      const a = await registeredProject(h);
      await h.request('POST', `/projects/${a.id}/submit-proposal`, { token: a.unit, body: { documentRef: 'JY-1' } });
      await h.request('POST', `/projects/${a.id}/approve-proposal`, { token: office, body: { opinion: '同意' } });
      const b = await registeredProject(h, 'D02');
      expect((await h.request('GET', '/audit/verify', { token: audit })).body).toMatchObject({ ok: true, checked: 4 });

      // Two events of two streams edited in the file; the adapter still holds both in memory.
      let first!: { eventId: string };
      let second!: { eventId: string };
      editStored(h.dataDir, (raw) => {
        first = setData(raw, `project-${a.id}`, 1, (d) => (d.documentRef = 'JY-X'));
        second = setData(raw, `project-${b.id}`, 0, (d) => (d.estimateFen = 1));
      });

      const whole = await h.request('GET', '/audit/verify', { token: audit });
      expect(whole.status).toBe(200);
      expect(whole.body).toMatchObject({
        ok: false,
        checked: 4,
        brokenCount: 2,
        brokenAt: { streamId: `project-${a.id}`, revision: 1, eventId: first.eventId, reason: 'HASH_MISMATCH' },
      });
      // Re-anchored on the edited event's stored hash: its successor (revision 2) is not reported.
      expect(whole.body.broken).toEqual([
        expect.objectContaining({
          streamId: `project-${a.id}`,
          revision: 1,
          eventId: first.eventId,
          reason: 'HASH_MISMATCH',
        }),
        expect.objectContaining({
          streamId: `project-${b.id}`,
          revision: 0,
          eventId: second.eventId,
          reason: 'HASH_MISMATCH',
        }),
      ]);
      const one = await h.request('GET', `/audit/verify?projectId=${a.id}`, { token: audit });
      expect(one.body).toEqual({
        projectId: a.id,
        ok: false,
        checked: 3,
        brokenAt: { revision: 1, eventId: first.eventId, reason: 'HASH_MISMATCH' },
        broken: [{ revision: 1, eventId: first.eventId, reason: 'HASH_MISMATCH' }],
        brokenCount: 1,
      });
    } finally {
      await h.close();
    }
  });

  it('reports a removed middle event once, as REVISION_GAP at that point', async () => {
    const h = await startHarness();
    try {
      const audit = h.token('AUDIT');
      const office = h.token('OFFICE');
      const a = await registeredProject(h);
      await h.request('POST', `/projects/${a.id}/submit-proposal`, { token: a.unit, body: { documentRef: 'JY-2' } });
      await h.request('POST', `/projects/${a.id}/approve-proposal`, { token: office, body: { opinion: '同意' } });
      editStored(h.dataDir, (raw) =>
        raw.prepare('DELETE FROM events WHERE stream = ? AND revision = 1').run(`project-${a.id}`),
      );
      const whole = await h.request('GET', '/audit/verify', { token: audit });
      expect(whole.body).toMatchObject({
        ok: false,
        brokenCount: 1,
        brokenAt: { streamId: `project-${a.id}`, revision: 2, reason: 'REVISION_GAP' },
      });
      expect(whole.body.broken).toHaveLength(1);
      const one = await h.request('GET', `/audit/verify?projectId=${a.id}`, { token: audit });
      expect(one.body).toMatchObject({
        ok: false,
        checked: 2,
        brokenCount: 1,
        brokenAt: { revision: 2, reason: 'REVISION_GAP' },
      });
    } finally {
      await h.close();
    }
  });

  it('names an event whose stored text no longer parses (UNREADABLE) instead of failing the whole verify', async () => {
    const h = await startHarness();
    try {
      const audit = h.token('AUDIT');
      const office = h.token('OFFICE');
      const a = await registeredProject(h);
      await h.request('POST', `/projects/${a.id}/submit-proposal`, { token: a.unit, body: { documentRef: 'JY-4' } });
      await h.request('POST', `/projects/${a.id}/approve-proposal`, { token: office, body: { opinion: '同意' } });
      let eventId = '';
      editStored(h.dataDir, (raw) => {
        const row = raw
          .prepare('SELECT position, data, metadata FROM events WHERE stream = ? AND revision = 1')
          .get(`project-${a.id}`) as { position: number; data: string; metadata: string };
        eventId = JSON.parse(row.metadata).eventId;
        raw.prepare('UPDATE events SET data = ? WHERE position = ?').run(row.data.slice(0, -1), row.position);
      });
      const whole = await h.request('GET', '/audit/verify', { token: audit });
      expect(whole.status).toBe(200);
      expect(whole.body).toMatchObject({
        ok: false,
        checked: 3,
        brokenCount: 1,
        brokenAt: { streamId: `project-${a.id}`, revision: 1, eventId, reason: 'UNREADABLE' },
      });
      const one = await h.request('GET', `/audit/verify?projectId=${a.id}`, { token: audit });
      expect(one.body).toMatchObject({
        ok: false,
        checked: 3,
        brokenCount: 1,
        broken: [{ revision: 1, eventId, reason: 'UNREADABLE' }],
      });
    } finally {
      await h.close();
    }
  });

  it('history and state?asOf show what is stored now, not what the cache read before', async () => {
    const h = await startHarness();
    try {
      const audit = h.token('AUDIT');
      const a = await registeredProject(h);
      await h.request('POST', `/projects/${a.id}/submit-proposal`, { token: a.unit, body: { documentRef: 'JY-3' } });
      const before = await h.request('GET', `/projects/${a.id}/history`, { token: audit });
      expect(before.body.events[0].data.name).toBe(a.body.name);
      const asOf = `/projects/${a.id}/state?asOf=2030-01-01T00:00:00Z`;
      expect((await h.request('GET', asOf, { token: audit })).body.state.name).toBe(a.body.name);

      // The oldest event (revision 0) is edited behind the service's back.
      editStored(h.dataDir, (raw) => setData(raw, `project-${a.id}`, 0, (d) => (d.name = '改过的名称')));

      const after = await h.request('GET', `/projects/${a.id}/history`, { token: audit });
      expect(after.status).toBe(200);
      expect(after.body.events[0].data.name).toBe('改过的名称');
      expect(after.body.events[1].data.documentRef).toBe('JY-3');
      const state = await h.request('GET', asOf, { token: audit });
      expect(state.body).toMatchObject({ revision: 1, state: { name: '改过的名称', status: 'PROPOSAL' } });
      const byRevision = await h.request('GET', `/projects/${a.id}/state?revision=0`, { token: audit });
      expect(byRevision.body.state.name).toBe('改过的名称');
    } finally {
      await h.close();
    }
  });

  it('a damaged file makes /health unhealthy and verify say "corrupt", not "try again later"', async () => {
    let h = await startHarness();
    const dataDir = h.dataDir;
    const { id } = await registeredProject(h);
    // Enough rows for a b-tree with many pages, written and projected while the service runs.
    const filler = SqliteEventStore.open(join(dataDir, 'events.db'));
    const stream = `filler-${randomUUID()}`;
    let next: number | 'no_stream' = 'no_stream';
    for (let i = 0; i < 10; i++) {
      const events = Array.from({ length: 50 }, () => ({
        type: 'FillerRecorded',
        data: { padding: 'x'.repeat(1000) },
        metadata: {
          eventId: randomUUID(),
          occurredAt: '2026-03-02T02:00:00.000Z',
          actor: { sub: 't', name: 't', role: 'SYSTEM' },
          correlationId: randomUUID(),
          causationId: randomUUID(),
          policy: 'n/a',
          schemaVersion: 1,
        },
      }));
      next = (await filler.append(stream, events, next)).nextRevision;
    }
    const head = await filler.headPosition();
    await filler.close();
    expect(await h.app.get(ProjectionService).runner.waitForPosition(head!, 10_000)).toBe(true);
    await h.close({ keepData: true });

    // While stopped, a page in the middle of the file is overwritten.
    const file = join(dataDir, 'events.db');
    const pageSize = 4096;
    const pages = Math.floor(statSync(file).size / pageSize);
    expect(pages).toBeGreaterThan(50);
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, Math.floor(pages / 2) * pageSize);
    closeSync(fd);

    h = await startHarness({ dataDir });
    try {
      const audit = h.token('AUDIT');
      const health = await h.request('GET', '/health');
      expect(health.status).toBe(503);
      expect(health.body).toMatchObject({
        code: 'UNHEALTHY',
        detail: expect.stringMatching(/backup/),
        error: { eventStore: { status: 'down', message: 'corrupt' } },
      });

      const whole = await h.request('GET', '/audit/verify', { token: audit });
      expect(whole.body).toMatchObject({ ok: false, status: 'corrupt' });
      expect(JSON.stringify(whole.body)).not.toMatch(/try again|malformed|SQLITE/i);
      const one = await h.request('GET', `/audit/verify?projectId=${id}`, { token: audit });
      expect(one.body).toMatchObject({ ok: false, status: 'corrupt' });

      const history = await h.request('GET', `/projects/${id}/history`, { token: audit });
      expect(history.status).toBe(500);
      expect(history.body).toMatchObject({ code: 'STORE_CORRUPT' });
      expect(history.body.detail).toMatch(/backup/);
      expect(JSON.stringify(history.body)).not.toMatch(/malformed|SQLITE/i);
    } finally {
      await h.close();
    }
  });
});
