/**
 * docs/api.md "Visibility" (issue 11 §6): a construction unit learns nothing about another
 * department's project — not its existence, revision, department or activity. Every route with
 * a project id answers D02 on D01's project exactly as it answers D02 on an unknown id, before
 * validation, waiting and revision checks; the annual plan and the event stream show a unit its
 * own department's entries only.
 */
import { randomUUID } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProjectStreamCache } from '../../src/audit/stream-cache';
import { EVENT_STORE, type EventStore } from '../../src/event-store/event-store.port';
import { registration, startHarness, type Harness } from '../support/harness';
import { command, driveTo, orderRectification, type Project } from '../support/fixtures';
import { PROJECT_COMMANDS } from './support/access-matrix';

type Answer = { status: number; body: any; headers: Record<string, unknown> };
type Probe = { method: string; path: (id: string) => string; body?: unknown; headers?: Record<string, string> };

const OWNER = 'D01';
const STRANGER = 'D02';

/** What a caller can tell apart: status, content type and the whole body but its instance, the id written as <id>. */
function seen(answer: Answer, id: string) {
  const { instance: _instance, ...body } =
    typeof answer.body === 'object' && answer.body !== null ? answer.body : { raw: answer.body };
  return {
    status: answer.status,
    type: String(answer.headers['content-type'] ?? ''),
    body: JSON.parse(JSON.stringify(body).split(id).join('<id>')),
  };
}

describe('visibility: another department’s project is an unknown id (docs/api.md, issue 11 §6)', () => {
  let h: Harness;
  let store: EventStore;
  let project: Project;
  const stranger = () => h.token('CONSTRUCTION_UNIT', STRANGER);

  beforeAll(async () => {
    h = await startHarness();
    store = h.app.get(EVENT_STORE);
    project = await driveTo(h, 'UNDER_CONSTRUCTION', { dept: OWNER });
    await orderRectification(h, project);
    project.revision = (await store.readStream(`project-${project.id}`)).length - 1;
  });

  afterAll(async () => {
    await h.close();
  });

  const probes = (): Probe[] => {
    const list: Probe[] = [];
    for (const spec of PROJECT_COMMANDS) {
      const path = (id: string) => `/projects/${id}/${spec.path}`;
      const body = spec.body(h, project);
      list.push(
        { method: 'POST', path, body },
        { method: 'POST', path, body: {} },
        { method: 'POST', path, body: { bogus: true } },
        { method: 'POST', path, body: { ...body, expectedRevision: 0 } },
        { method: 'POST', path, body: { ...body, expectedRevision: project.revision } },
        { method: 'POST', path, body: { ...body, expectedRevision: 'x' } },
        { method: 'POST', path, body, headers: { 'idempotency-key': `vis-${spec.path}` } },
      );
    }
    for (const query of [
      '',
      '?minRevision=0',
      `?minRevision=${project.revision}`,
      `?minRevision=${project.revision + 5}&wait=200`,
      '?minRevision=abc',
      '?bogus=1',
    ]) {
      list.push({ method: 'GET', path: (id) => `/projects/${id}${query}` });
    }
    list.push({ method: 'GET', path: (id) => `/projects/${id}/history` });
    for (const query of [
      '?revision=0',
      `?revision=${project.revision + 10}`,
      '?asOf=2000-01-01T00:00:00Z',
      '?revision=-5',
      '?asOf=nope',
      '',
    ]) {
      list.push({ method: 'GET', path: (id) => `/projects/${id}/state${query}` });
    }
    return list;
  };

  it(
    'every route with :id answers D02 on D01’s project exactly as on an ' +
      'unknown id (incl. expectedRevision, minRevision, invalid bodies)',
    async () => {
      const head = await store.headPosition();
      const differences: unknown[] = [];
      const statuses = new Set<string>();
      for (const probe of probes()) {
        const unknown = randomUUID();
        const send = (id: string) =>
          h.request(probe.method, probe.path(id), {
            token: stranger(),
            body: probe.body,
            headers: probe.headers,
          }) as Promise<Answer>;
        const onTheirs = seen(await send(project.id), project.id);
        const onNothing = seen(await send(unknown), unknown);
        statuses.add(`${onTheirs.status} ${onTheirs.body.code}`);
        if (JSON.stringify(onTheirs) !== JSON.stringify(onNothing))
          differences.push({
            request: `${probe.method} ${probe.path(':id')} ${JSON.stringify(probe.body ?? '')}`,
            onTheirs,
            onNothing,
          });
        expect(JSON.stringify(onTheirs.body)).not.toContain(OWNER);
      }
      expect(differences).toEqual([]);
      expect([...statuses]).toEqual(['404 PROJECT_NOT_FOUND']);
      expect(await store.headPosition()).toBe(head);
    },
  );

  it('the project’s own department and the other roles still get the route’s own answers', async () => {
    const own = await h.request('GET', `/projects/${project.id}?minRevision=${project.revision}`, {
      token: h.token('CONSTRUCTION_UNIT', OWNER),
    });
    expect(own.status).toBe(200);
    const office = await h.request('POST', `/projects/${project.id}/submit-proposal`, {
      token: h.token('OFFICE'),
      body: { documentRef: 'X' },
    });
    expect({ status: office.status, code: office.body.code }).toEqual({ status: 403, code: 'ROLE_NOT_ALLOWED' });
    const stale = await h.request('POST', `/projects/${project.id}/criticize`, {
      token: h.token('OFFICE'),
      body: { reason: '滞后', expectedRevision: 0, basis: { violation: 'WASTE' } },
    });
    expect({ status: stale.status, code: stale.body.code, actual: stale.body.actualRevision }).toEqual({
      status: 409,
      code: 'REVISION_CONFLICT',
      actual: project.revision,
    });
    const invalid = await h.request('POST', `/projects/${project.id}/criticize`, {
      token: h.token('OFFICE'),
      body: {},
    });
    expect(invalid.status).toBe(400);
  });

  it('a long-poll (?minRevision) on D01’s project answers at once, not when D01 writes', async () => {
    const started = Date.now();
    let answeredAt = 0;
    const poll = h
      .request('GET', `/projects/${project.id}?minRevision=${project.revision + 1}&wait=3000`, { token: stranger() })
      .then((answer) => ((answeredAt = Date.now()), answer));
    await new Promise((r) => setTimeout(r, 400));
    const writtenAt = Date.now();
    await command(h, project, 'OFFICE', 'criticize', { reason: '进度滞后', basis: { violation: 'WASTE' } });
    const answer = await poll;
    expect({ status: answer.status, code: answer.body.code }).toEqual({ status: 404, code: 'PROJECT_NOT_FOUND' });
    expect(answeredAt).toBeLessThan(writtenAt);
    expect(answeredAt - started).toBeLessThan(400);
    expect(answer.body.currentRevision).toBeUndefined();
  });

  it(
    'POST /projects with D01’s id answers D02 exactly as D01 ' +
      're-registering its own id: 409 PROJECT_EXISTS, no owner, no revision',
    async () => {
      for (const extra of [{}, { expectedRevision: -1 }, { expectedRevision: 0 }, { expectedRevision: 7 }]) {
        const theirs = await h.request('POST', '/projects', {
          token: stranger(),
          body: { ...registration(STRANGER, { projectId: project.id }), ...extra },
        });
        const mine = await h.request('POST', '/projects', {
          token: h.token('CONSTRUCTION_UNIT', OWNER),
          body: { ...registration(OWNER, { projectId: project.id }), ...extra },
        });
        expect({ extra, status: theirs.status, code: theirs.body.code }).toEqual({
          extra,
          status: 409,
          code: 'PROJECT_EXISTS',
        });
        expect(seen(theirs, project.id)).toEqual(seen(mine, project.id));
        expect(theirs.body.actualRevision).toBeUndefined();
        expect(JSON.stringify(theirs.body)).not.toContain(OWNER);
      }
    },
  );

  it('history: 404 and 403 are decided before the history is built', async () => {
    const streams = h.app.get(ProjectStreamCache);
    const built = jest.spyOn(streams, 'historyJson');
    try {
      const hidden = await h.request('GET', `/projects/${project.id}/history`, { token: stranger() });
      expect({ status: hidden.status, code: hidden.body.code }).toEqual({ status: 404, code: 'PROJECT_NOT_FOUND' });
      for (const role of ['FINANCE', 'SUPERVISOR', 'LEADING_GROUP', 'GOVERNMENT']) {
        const refused = await h.request('GET', `/projects/${project.id}/history`, { token: h.token(role) });
        expect({ role, status: refused.status }).toEqual({ role, status: 403 });
      }
      expect(built).not.toHaveBeenCalled();
      expect((await h.request('GET', `/projects/${project.id}/history`, { token: h.token('AUDIT') })).status).toBe(200);
      expect(built).toHaveBeenCalledTimes(1);
    } finally {
      built.mockRestore();
    }
  });

  describe('the annual plan and its events show a unit its own department only', () => {
    const YEAR = 2047;
    let theirs: Project;
    let mine: Project;

    beforeAll(async () => {
      theirs = await driveTo(h, 'DRAFT_PLAN', { dept: OWNER, overrides: { planYear: YEAR } });
      mine = await driveTo(h, 'DRAFT_PLAN', { dept: STRANGER, overrides: { planYear: YEAR } });
      const post = async (action: string, role: string, body: object) => {
        const answer = await h.request('POST', `/annual-plans/${YEAR}/${action}`, { token: h.token(role), body });
        expect({ action, status: answer.status }).toEqual({ action, status: 200 });
      };
      await post('include', 'OFFICE', { projectId: theirs.id, reviewOpinion: '符合规划' });
      await post('include', 'OFFICE', { projectId: mine.id, reviewOpinion: '同意' });
      await post('adopt', 'LEADING_GROUP', { meetingRef: 'LX-2047' });
      await post('budget-feedback', 'FINANCE', { projectId: theirs.id, inBudget: true, controlAmountFen: 100_000_000 });
      await post('budget-feedback', 'FINANCE', { projectId: mine.id, inBudget: true, controlAmountFen: 20_000_000 });
      for (const p of [theirs, mine]) {
        expect((await h.request('GET', `/projects/${p.id}?minRevision=0`, { token: h.token('OFFICE') })).status).toBe(
          200,
        );
      }
      for (let i = 0; i < 200; i++) {
        const plan = await h.request('GET', `/annual-plans/${YEAR}`, { token: h.token('OFFICE') });
        if (plan.status === 200 && plan.body.revision === 4) break;
        await new Promise((r) => setTimeout(r, 20));
      }
    });

    it('GET /annual-plans/:year: own entries, counts and sums over them; the other roles see all', async () => {
      const office = await h.request('GET', `/annual-plans/${YEAR}`, { token: h.token('OFFICE') });
      expect(office.body).toMatchObject({
        projectCount: 2,
        controlTotalFen: 120_000_000,
        inBudgetCount: 2,
        revision: 4,
      });
      const unit = await h.request('GET', `/annual-plans/${YEAR}`, { token: stranger() });
      expect(unit.status).toBe(200);
      expect(unit.body).toMatchObject({
        year: YEAR,
        adopted: true,
        projectCount: 1,
        controlTotalFen: 20_000_000,
        inBudgetCount: 1,
      });
      expect(unit.body.entries.map((e: { projectId: string }) => e.projectId)).toEqual([mine.id]);
      expect(JSON.stringify(unit.body)).not.toContain(theirs.id);
      expect(JSON.stringify(unit.body)).not.toContain('100000000');
      expect(JSON.stringify(unit.body)).not.toContain('120000000');
      const adoption = unit.body.history.find((e: { type: string }) => e.type === 'AnnualPlanAdopted');
      expect(adoption.data.projectIds).toEqual([mine.id]);
      const owner = await h.request('GET', `/annual-plans/${YEAR}`, { token: h.token('CONSTRUCTION_UNIT', OWNER) });
      expect(owner.body).toMatchObject({ projectCount: 1, controlTotalFen: 100_000_000 });
      const nobody = await h.request('GET', `/annual-plans/${YEAR}`, { token: h.token('CONSTRUCTION_UNIT', 'D99') });
      expect(nobody.body).toMatchObject({ projectCount: 0, controlTotalFen: 0, inBudgetCount: 0, entries: [] });
    });

    it(
      'GET /events/stream: AnnualPlanAdopted names own ' + 'projects only; budget feedback without the plan’s total',
      async () => {
        await h.app.listen(0, '127.0.0.1');
        const base = `http://127.0.0.1:${(h.app.getHttpServer().address() as AddressInfo).port}`;
        const frames = await sse(
          base,
          '/events/stream?types=ProjectIncludedInPlan,AnnualPlanAdopted,BudgetFeedbackRecorded&after=0',
          stranger(),
          (all) => all.filter((f) => f.data.year === YEAR).length >= 3,
        );
        const plan = frames.filter((f) => f.data.year === YEAR);
        expect(plan.map((f) => f.type)).toEqual([
          'ProjectIncludedInPlan',
          'AnnualPlanAdopted',
          'BudgetFeedbackRecorded',
        ]);
        expect(plan[1].data.projectIds).toEqual([mine.id]);
        expect(plan[2].data).toMatchObject({ projectId: mine.id, controlAmountFen: 20_000_000 });
        expect(plan[2].data.controlTotalFen).toBeUndefined();
        expect(JSON.stringify(frames)).not.toContain(theirs.id);
      },
    );
  });
});

/** Reads SSE frames until `enough` holds (then a short grace for stray frames), and closes. */
function sse(base: string, path: string, token: string, enough: (frames: any[]) => boolean): Promise<any[]> {
  return new Promise((resolve, reject) => {
    const frames: any[] = [];
    let finished = false;
    const req = httpRequest(
      `${base}${path}`,
      { headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` } },
      (response: IncomingMessage) => {
        let buffer = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            for (const line of block.split('\n')) if (line.startsWith('data: ')) frames.push(JSON.parse(line.slice(6)));
          }
          if (!finished && enough(frames)) {
            finished = true;
            setTimeout(() => {
              req.destroy();
              resolve(frames);
            }, 150);
          }
        });
      },
    );
    req.on('error', (error) => (finished ? undefined : reject(error)));
    setTimeout(() => {
      if (finished) return;
      finished = true;
      req.destroy();
      reject(new Error(`SSE: only ${frames.length} frames`));
    }, 8000);
    req.end();
  });
}
