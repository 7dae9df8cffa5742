/**
 * Issue 11 §3 a–c with real processes over one DATA_DIR: a rebuild on one instance while the
 * other keeps writing, two rebuilds at once, and "new code" (projection version bump) started
 * beside "old code". Every project's read model must end equal to the fold of its events on
 * every instance, and reads must never answer 5xx or 404 meanwhile.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { actorClaims, signHs256 } from './support/jwt';
import { LIFECYCLE, registrationBody } from './support/lifecycle';
import { SERVICE_SECRET, startService, type Service } from './support/service';

jest.setTimeout(600_000);

const token = (role: string, department?: string) =>
  signHs256({ ...actorClaims(role, department), exp: Math.floor(Date.now() / 1000) + 3600 }, SERVICE_SECRET);
const TOKENS: Record<string, string> = {
  CONSTRUCTION_UNIT: token('CONSTRUCTION_UNIT', 'D01'),
  OFFICE: token('OFFICE'),
  FINANCE: token('FINANCE'),
};
const AUDIT = token('AUDIT');

describe('projection generations across real instances over one DATA_DIR', () => {
  let dataDir: string;
  let a: Service;
  let b: Service;
  let c: Service | undefined;
  /** Project id → the revision its last accepted command answered. */
  const revisions = new Map<string, number>();
  /** Project id → index of its next lifecycle step. */
  const steps = new Map<string, number>();

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ordos-generations-'));
    a = await startService({ dataDir, timeoutMs: 300_000 });
    b = await startService({ dataDir, timeoutMs: 300_000 });
    for (let i = 0; i < 12; i++) await register(b);
  });
  afterAll(async () => {
    await Promise.all([a?.kill('SIGTERM'), b?.kill('SIGTERM'), c?.kill('SIGTERM')]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function register(service: Service): Promise<string> {
    const id = randomUUID();
    const answer = await service.request('POST', '/projects', {
      token: TOKENS.CONSTRUCTION_UNIT,
      body: registrationBody(id, 'D01'),
    });
    expect(answer.status).toBe(201);
    revisions.set(id, answer.body.revision);
    steps.set(id, 0);
    return id;
  }

  /** One lifecycle step on one project through `service` (a new project when all are done). */
  async function advance(service: Service, id: string): Promise<void> {
    const index = steps.get(id)!;
    if (index >= LIFECYCLE.length) return;
    const step = LIFECYCLE[index];
    const answer = await service.request('POST', `/projects/${id}/${step.path}`, {
      token: TOKENS[step.role],
      body: step.body(),
    });
    expect(`${step.path} ${answer.status}`).toBe(`${step.path} 200`);
    revisions.set(id, answer.body.revision);
    steps.set(id, index + 1);
  }

  /** Writes through `writer` and reads on every instance until `during` resolves. */
  async function whileWritingAndReading(writer: Service, readers: Service[], during: () => Promise<void>) {
    const bad: string[] = [];
    const known = [...revisions.keys()];
    let running = true;
    const writing = (async () => {
      let n = 0;
      while (running) {
        const id = n % 5 === 0 ? await register(writer) : known[n % known.length];
        await advance(writer, id);
        n++;
      }
      return n;
    })();
    const reading = (async () => {
      let n = 0;
      while (running) {
        for (const reader of readers) {
          const id = known[n++ % known.length];
          const answer = await reader.request('GET', `/projects/${id}`, { token: TOKENS.OFFICE });
          if (answer.status >= 500 || answer.status === 404)
            bad.push(`${reader.port} ${id} ${answer.status} ${answer.text.slice(0, 200)}`);
        }
      }
    })();
    try {
      await during();
      // Keep going a little after the switch: writes land in the new generation too.
      await new Promise((r) => setTimeout(r, 1500));
    } finally {
      running = false;
    }
    const written = await writing;
    await reading;
    expect(written).toBeGreaterThan(0);
    expect(bad).toEqual([]);
  }

  async function projectsStatus(service: Service) {
    const answer = await service.request('GET', '/admin/projections', { token: TOKENS.OFFICE });
    expect(answer.status).toBe(200);
    return (answer.body as Array<{ name: string; version: number; collection: string; state: string }>).find(
      (p) => p.name === 'projects',
    )!;
  }

  /** Resolves once `service` reads projects from another collection than `before`, running. */
  async function switched(service: Service, before: string): Promise<string> {
    const deadline = Date.now() + 240_000;
    for (;;) {
      const status = await projectsStatus(service);
      if (status.collection !== before && status.state === 'running') return status.collection;
      if (Date.now() > deadline) throw new Error(`no switch from ${before}: ${JSON.stringify(status)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Every project's read model on every instance equals the fold of its events. */
  async function expectFolded(services: Service[]) {
    for (const [id, revision] of revisions) {
      const history = await a.request('GET', `/projects/${id}/history`, { token: AUDIT });
      expect(history.status).toBe(200);
      const events = history.body.events as unknown[];
      expect(events.length).toBe(revision + 1);
      for (const service of services) {
        const read = await service.request('GET', `/projects/${id}?minRevision=${revision}&wait=10000`, {
          token: TOKENS.OFFICE,
        });
        expect({
          id,
          port: service.port,
          status: read.status,
          revision: read.body.revision,
          eventCount: read.body.eventCount,
        }).toEqual({
          id,
          port: service.port,
          status: 200,
          revision,
          eventCount: events.length,
        });
      }
    }
  }

  it('a rebuild on A while B keeps writing loses none of B’s updates (§3a)', async () => {
    const before = (await projectsStatus(a)).collection;
    await whileWritingAndReading(b, [a, b], async () => {
      const answer = await a.request('POST', '/admin/projections/projects/rebuild', { token: TOKENS.OFFICE });
      expect(answer.status).toBe(202);
      const after = await switched(a, before);
      expect(await switched(b, before)).toBe(after);
    });
    await expectFolded([a, b]);
  });

  it('two rebuilds at once on A and B end on one generation and lose nothing (§3b)', async () => {
    const before = (await projectsStatus(a)).collection;
    await whileWritingAndReading(b, [a, b], async () => {
      const answers = await Promise.all(
        [a, b].map((s) => s.request('POST', '/admin/projections/projects/rebuild', { token: TOKENS.OFFICE })),
      );
      expect(answers.map((r) => r.status)).toEqual([202, 202]);
      const onA = await switched(a, before);
      const onB = await switched(b, before);
      // Both rebuilds have finished when neither instance is rebuilding any more.
      const deadline = Date.now() + 240_000;
      while ((await projectsStatus(a)).state !== 'running' || (await projectsStatus(b)).state !== 'running') {
        if (Date.now() > deadline) throw new Error('rebuilds did not finish');
        await new Promise((r) => setTimeout(r, 200));
      }
      await new Promise((r) => setTimeout(r, 1500));
      expect((await projectsStatus(a)).collection).toBe((await projectsStatus(b)).collection);
      expect([onA, onB]).toContain((await projectsStatus(a)).collection);
    });
    await expectFolded([a, b]);
  });

  it('a version bump started beside the old code: both keep a complete read model (§5c)', async () => {
    const oldGeneration = (await projectsStatus(a)).collection;
    await whileWritingAndReading(a, [a, b], async () => {
      c = await startService({ dataDir, timeoutMs: 300_000, env: { PROJECTION_VERSION_OVERRIDES: 'projects:99' } });
      const status = await projectsStatus(c);
      expect(status.version).toBe(99);
      // Until its own generation is caught up, "new code" serves the old one's: never empty.
      const deadline = Date.now() + 240_000;
      const known = [...revisions.keys()];
      let n = 0;
      while ((await projectsStatus(c)).collection === oldGeneration) {
        if (Date.now() > deadline) throw new Error('version 99 never activated');
        const id = known[n++ % known.length];
        const read = await c.request('GET', `/projects/${id}`, { token: TOKENS.OFFICE });
        expect(`${id} ${read.status}`).toBe(`${id} 200`);
        await new Promise((r) => setTimeout(r, 200));
      }
    });
    // Old code kept its generation (nothing dropped under it) and still follows live writes.
    expect((await projectsStatus(a)).collection).toBe(oldGeneration);
    await expectFolded([a, b, c!]);
  });
});
