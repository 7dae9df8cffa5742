import { startHarness, type Harness } from '../support/harness';
import {
  command,
  driveTo,
  expectProblem,
  invalidFields,
  orderRectification,
  readProject,
  today,
  type Project,
} from '../support/fixtures';

/** Polls a GET until `ready` holds (projections are asynchronous), then returns the body. */
async function eventually(h: Harness, url: string, token: string, ready: (body: any) => boolean): Promise<any> {
  const until = Date.now() + 3000;
  for (;;) {
    const response = await h.request('GET', url, { token });
    if (response.status === 200 && ready(response.body)) return response.body;
    if (Date.now() > until)
      throw new Error(`${url} never became ready: ${response.status} ${JSON.stringify(response.body)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('query routes over HTTP', () => {
  let h: Harness;
  let office: string;
  let cloud: Project;
  let centre: Project;
  let other: Project;
  let building: Project;
  let completed: Project;

  beforeAll(async () => {
    h = await startHarness();
    office = h.token('OFFICE');
    cloud = await driveTo(h, 'DRAFT_PLAN', {
      dept: 'QA',
      overrides: {
        name: '鄂尔多斯政务云平台扩容',
        category: 'INFRASTRUCTURE',
        planYear: 2026,
        estimateFen: 100_000_000,
      },
    });
    centre = await driveTo(h, 'PROPOSAL_SUBMITTED', {
      dept: 'QA',
      overrides: { name: '数据中心机房改造', category: 'INFRASTRUCTURE', planYear: 2027, estimateFen: 200_000_000 },
    });
    other = await driveTo(h, 'DRAFT_PLAN', {
      dept: 'QB',
      overrides: { name: 'Open Data Portal 开放数据', category: 'SOFTWARE', planYear: 2027, estimateFen: 50_000_000 },
    });
    building = await driveTo(h, 'UNDER_CONSTRUCTION', {
      dept: 'QC',
      overrides: { name: '城市大脑一期', category: 'SOFTWARE', planYear: 2026 },
    });
    completed = await driveTo(h, 'COMPLETED', {
      dept: 'QC',
      overrides: { name: '一网通办二期', category: 'OPERATIONS', planYear: 2026 },
    });
    await readProject(h, completed);
  });
  afterAll(async () => {
    await h.close();
  });

  const list = (query: string, token = office) => h.request('GET', `/projects${query}`, { token });
  const ids = (body: { items: Array<{ projectId: string }> }) => body.items.map((i) => i.projectId).sort();

  describe('GET /projects', () => {
    it('pages every project with {items,total,page,pageSize}', async () => {
      const all = await list('');
      expect(all.status).toBe(200);
      expect(all.body).toMatchObject({ total: 5, page: 1, pageSize: 20 });
      expect(ids(all.body)).toEqual([cloud.id, centre.id, other.id, building.id, completed.id].sort());
      expect(all.body.items[0]).toEqual(
        expect.objectContaining({
          projectId: expect.any(String),
          name: expect.any(String),
          status: expect.any(String),
          revision: expect.any(Number),
        }),
      );
      expect(all.body.items[0].state).toBeUndefined();
    });

    it('filters by status, category, department, planYear and overdue', async () => {
      expect(ids((await list('?status=DRAFT_PLAN')).body)).toEqual([cloud.id, other.id].sort());
      expect(ids((await list('?status=PROPOSAL,UNDER_CONSTRUCTION')).body)).toEqual([centre.id, building.id].sort());
      expect(ids((await list('?category=INFRASTRUCTURE')).body)).toEqual([cloud.id, centre.id].sort());
      expect(ids((await list('?department=QA')).body)).toEqual([cloud.id, centre.id].sort());
      expect(ids((await list('?planYear=2027')).body)).toEqual([centre.id, other.id].sort());
      expect(ids((await list('?planYear=2027&category=SOFTWARE')).body)).toEqual([other.id]);
      expect((await list('?overdue=false')).body.total).toBe(5);
      expect((await list('?overdue=true')).body.total).toBe(0);
    });

    it('q searches names, Chinese text included, case-insensitively', async () => {
      expect(ids((await list(`?q=${encodeURIComponent('数据中心')}`)).body)).toEqual([centre.id]);
      expect(ids((await list(`?q=${encodeURIComponent('政务云')}`)).body)).toEqual([cloud.id]);
      expect(ids((await list(`?q=${encodeURIComponent('open data')}`)).body)).toEqual([other.id]);
      expect((await list(`?q=${encodeURIComponent('不存在的项目')}`)).body).toMatchObject({ items: [], total: 0 });
    });

    it('sorts and pages', async () => {
      const asc = await list('?sort=estimateFen&pageSize=2');
      expect(asc.body).toMatchObject({ total: 5, pageSize: 2, page: 1 });
      expect(asc.body.items.map((i: { estimateFen: number }) => i.estimateFen)).toEqual([50_000_000, 100_000_000]);
      const page3 = await list('?sort=estimateFen&pageSize=2&page=3');
      expect(page3.body.items).toHaveLength(1);
      const desc = await list('?sort=-estimateFen&pageSize=200');
      const amounts = desc.body.items.map((i: { estimateFen: number }) => i.estimateFen);
      expect(amounts).toEqual([...amounts].sort((a, b) => b - a));
      const byName = (await list('?sort=name')).body.items.map((i: { name: string }) => i.name);
      expect(byName).toEqual([...byName].sort());
    });

    it('400 for pageSize above 200, bad page, unknown sort, status or category, unknown parameters', async () => {
      for (const [query, field] of [
        ['?pageSize=201', 'pageSize'],
        ['?pageSize=0', 'pageSize'],
        ['?page=0', 'page'],
        ['?sort=password', 'sort'],
        ['?status=FLYING', 'status'],
        ['?category=FOOD', 'category'],
        ['?overdue=maybe', 'overdue'],
        ['?planYear=abc', 'planYear'],
        ['?colour=red', 'colour'],
      ]) {
        const response = await list(query);
        expectProblem(response, 400, 'VALIDATION_FAILED');
        expect({ query, fields: invalidFields(response) }).toEqual({ query, fields: [field] });
      }
    });

    it('a construction unit sees only its own department, and 403 when asking for another', async () => {
      const own = await list('', h.token('CONSTRUCTION_UNIT', 'QA'));
      expect(ids(own.body)).toEqual([cloud.id, centre.id].sort());
      expect(own.body.total).toBe(2);
      expect(ids((await list('?department=QA', h.token('CONSTRUCTION_UNIT', 'QA'))).body)).toEqual(
        [cloud.id, centre.id].sort(),
      );
      expectProblem(await list('?department=QB', h.token('CONSTRUCTION_UNIT', 'QA')), 403, 'FORBIDDEN');
      expect((await list('', h.token('AUDIT'))).body.total).toBe(5);
    });

    it('401 without a token', async () => {
      expectProblem(await h.request('GET', '/projects'), 401, 'UNAUTHENTICATED');
    });
  });

  describe('GET /projects/:id', () => {
    it('read-your-write: the revision of a command answer is visible with ?minRevision', async () => {
      const p = await driveTo(h, 'DRAFT_PLAN', { dept: 'QD' });
      const answer = await h.request('POST', `/projects/${p.id}/submit-proposal`, {
        token: h.token('CONSTRUCTION_UNIT', 'QD'),
        body: { documentRef: 'X' },
      });
      const read = await h.request('GET', `/projects/${p.id}?minRevision=${answer.body.revision}`, {
        token: h.token('CONSTRUCTION_UNIT', 'QD'),
      });
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ revision: answer.body.revision, status: 'PROPOSAL' });
    });

    it('503 READ_MODEL_BEHIND when the revision does not arrive within ?wait', async () => {
      const response = await h.request('GET', `/projects/${cloud.id}?minRevision=99&wait=50`, { token: office });
      expectProblem(response, 503, 'READ_MODEL_BEHIND');
      expect(response.body.currentRevision).toBe(0);
    });

    it(
      '404 unknown, 400 invalid uuid or minRevision, 404 as unknown for another department, ' + '401 without token',
      async () => {
        expectProblem(
          await h.request('GET', '/projects/00000000-0000-4000-8000-000000000000', { token: office }),
          404,
          'PROJECT_NOT_FOUND',
        );
        const badId = await h.request('GET', '/projects/123', { token: office });
        expectProblem(badId, 400, 'VALIDATION_FAILED');
        expect(invalidFields(badId)).toEqual(['id']);
        expectProblem(
          await h.request('GET', `/projects/${cloud.id}?minRevision=-1`, { token: office }),
          400,
          'VALIDATION_FAILED',
        );
        expectProblem(
          await h.request('GET', `/projects/${cloud.id}`, { token: h.token('CONSTRUCTION_UNIT', 'QB') }),
          404,
          'PROJECT_NOT_FOUND',
        );
        expectProblem(await h.request('GET', `/projects/${cloud.id}`), 401, 'UNAUTHENTICATED');
        for (const role of ['AUDIT', 'FINANCE', 'LEADING_GROUP', 'SUPERVISOR', 'GOVERNMENT']) {
          expect((await h.request('GET', `/projects/${cloud.id}`, { token: h.token(role) })).status).toBe(200);
        }
      },
    );
  });

  describe('GET /dashboard/summary', () => {
    it('counts and sums by status, category and department; events by family; overdue counts', async () => {
      const summary = await eventually(h, '/dashboard/summary', office, (b) => b.total === 6);
      expect(summary.byStatus.DRAFT_PLAN).toMatchObject({ count: 2, estimateFen: 150_000_000 });
      expect(summary.byCategory.INFRASTRUCTURE).toMatchObject({ count: 2, estimateFen: 300_000_000 });
      expect(summary.byDepartment.QA.count).toBe(2);
      expect(summary.byDepartment.QC.count).toBe(2);
      expect(summary.eventsByFamily['立项']).toBeGreaterThanOrEqual(6);
      expect(summary.eventsByFamily['批复']).toBeGreaterThan(0);
      expect(summary.overdue).toEqual({ projects: 0, acceptance: 0, performanceReport: 0, rectification: 0 });
    });

    it('a construction unit sees only its own department; 401 without token', async () => {
      const own = await h.request('GET', '/dashboard/summary', { token: h.token('CONSTRUCTION_UNIT', 'QA') });
      expect(own.status).toBe(200);
      expect(own.body.total).toBe(2);
      expect(Object.keys(own.body.byDepartment)).toEqual(['QA']);
      expectProblem(await h.request('GET', '/dashboard/summary'), 401, 'UNAUTHENTICATED');
    });
  });

  describe('GET /om-eligibility', () => {
    it('every project with eligibility and reasons (第二十四条); department scoped for construction units', async () => {
      await command(h, other, 'OFFICE', 'record-compliance', {
        sharesData: true,
        duplicateCollection: false,
        inCatalogue: true,
        cryptoAssessmentPassed: true,
        securityAssessmentPassed: true,
        majorSecurityHazard: false,
      });
      await readProject(h, other);
      const all = await h.request('GET', '/om-eligibility', { token: office });
      expect(all.status).toBe(200);
      expect(all.body.eligible).toBe(1);
      const item = all.body.items.find((i: { projectId: string }) => i.projectId === other.id);
      expect(item).toMatchObject({ eligible: true, reasons: [], departmentCode: 'QB' });
      const notYet = all.body.items.find((i: { projectId: string }) => i.projectId === cloud.id);
      expect(notYet).toMatchObject({
        eligible: false,
        reasons: [expect.objectContaining({ code: 'COMPLIANCE_NOT_RECORDED', article: '第二十四条' })],
      });
      const own = await h.request('GET', '/om-eligibility', { token: h.token('CONSTRUCTION_UNIT', 'QB') });
      expect(own.body.items.map((i: { projectId: string }) => i.projectId)).toEqual([other.id]);
      expectProblem(
        await h.request('GET', '/om-eligibility?department=QA', { token: h.token('CONSTRUCTION_UNIT', 'QB') }),
        403,
        'FORBIDDEN',
      );
      expect((await h.request('GET', '/om-eligibility?department=QB', { token: office })).body.total).toBe(1);
    });
  });

  describe('admin and platform', () => {
    it('GET /admin/projections for OFFICE only', async () => {
      const status = await h.request('GET', '/admin/projections', { token: office });
      expect(status.status).toBe(200);
      expect(status.body.map((l: { name: string }) => l.name)).toEqual(
        expect.arrayContaining(['projects', 'annual-plans']),
      );
      for (const role of ['AUDIT', 'CONSTRUCTION_UNIT', 'LEADING_GROUP']) {
        expectProblem(await h.request('GET', '/admin/projections', { token: h.token(role, 'QA') }), 403, 'FORBIDDEN');
      }
      expectProblem(await h.request('GET', '/admin/projections'), 401, 'UNAUTHENTICATED');
    });

    it('POST /admin/projections/:name/rebuild rebuilds from the events; unknown name 404; OFFICE only', async () => {
      const before = (await list('?pageSize=200')).body;
      const rebuild = await h.request('POST', '/admin/projections/projects/rebuild', { token: office });
      expect(rebuild.status).toBe(202);
      expect(rebuild.body).toMatchObject({ name: 'projects' });
      const after = await eventually(h, '/projects?pageSize=200', office, (b) => b.total === before.total);
      expect(ids(after)).toEqual(ids(before));
      expect((await readProject(h, completed)).status).toBe('COMPLETED');
      expectProblem(
        await h.request('POST', '/admin/projections/nope/rebuild', { token: office }),
        404,
        'PROJECTION_NOT_FOUND',
      );
      expectProblem(
        await h.request('POST', '/admin/projections/projects/rebuild', { token: h.token('AUDIT') }),
        403,
        'FORBIDDEN',
      );
    });

    it('GET /health is open and reports every store', async () => {
      const health = await h.request('GET', '/health');
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({
        status: 'ok',
        info: { eventStore: { status: 'up' }, readModels: { status: 'up' }, projections: { status: 'up' } },
      });
    });

    it('GET /docs is open and the OpenAPI document lists the routes of docs/api.md', async () => {
      const docs = await h.request('GET', '/docs');
      expect(docs.status).toBe(200);
      expect(String(docs.body)).toContain('swagger');
      const json = await h.request('GET', '/docs-json');
      expect(json.status).toBe(200);
      expect(Object.keys(json.body.paths)).toEqual(
        expect.arrayContaining([
          '/projects',
          '/projects/{id}',
          '/projects/{id}/approve-proposal',
          '/projects/{id}/register-asset',
          '/annual-plans/{year}/adopt',
          '/dashboard/summary',
          '/rectifications',
          '/deadlines',
          '/om-eligibility',
          '/annual-plans/{year}',
          '/admin/projections',
        ]),
      );
    });

    it('PUT /admin/test-clock: OFFICE only, validated', async () => {
      expectProblem(
        await h.request('PUT', '/admin/test-clock', { token: h.token('AUDIT'), body: { now: '2026-04-01T00:00:00Z' } }),
        403,
        'FORBIDDEN',
      );
      expectProblem(
        await h.request('PUT', '/admin/test-clock', { token: office, body: { now: 'tomorrow' } }),
        400,
        'VALIDATION_FAILED',
      );
      const now = h.clock.now().toISOString();
      const set = await h.request('PUT', '/admin/test-clock', { token: office, body: { now } });
      expect(set.status).toBe(200);
      expect(Date.parse(set.body.now)).toBeGreaterThanOrEqual(Date.parse(now));
    });
  });

  // These move the clock forward: keep them last.
  describe('time: rectifications and deadlines', () => {
    let rectificationId: string;

    it('GET /rectifications?status=open|closed|overdue', async () => {
      rectificationId = await orderRectification(h, building, 5);
      const closedId = await orderRectification(h, completed, 30);
      await command(h, completed, 'CONSTRUCTION_UNIT', 'submit-rectification', {
        rectificationId: closedId,
        report: '已整改',
      });
      await command(h, completed, 'OFFICE', 'verify-rectification', {
        rectificationId: closedId,
        passed: true,
        opinion: '通过',
      });
      await readProject(h, building);
      await readProject(h, completed);
      const open = await h.request('GET', '/rectifications?status=open', { token: office });
      expect(open.status).toBe(200);
      expect(open.body.items.map((r: { rectificationId: string }) => r.rectificationId)).toEqual([rectificationId]);
      expect(open.body.items[0]).toMatchObject({
        projectId: building.id,
        projectName: '城市大脑一期',
        departmentCode: 'QC',
        overdue: false,
        closed: false,
      });
      const closed = await h.request('GET', '/rectifications?status=closed', { token: office });
      expect(closed.body.items.map((r: { rectificationId: string }) => r.rectificationId)).toEqual([closedId]);
      expect((await h.request('GET', '/rectifications?status=overdue', { token: office })).body.total).toBe(0);
      expect((await h.request('GET', '/rectifications', { token: office })).body.total).toBe(2);
      expectProblem(await h.request('GET', '/rectifications?status=late', { token: office }), 400, 'VALIDATION_FAILED');
      expect(
        (await h.request('GET', '/rectifications', { token: h.token('CONSTRUCTION_UNIT', 'QA') })).body.total,
      ).toBe(0);
      expectProblem(
        await h.request('GET', '/rectifications?department=QC', { token: h.token('CONSTRUCTION_UNIT', 'QA') }),
        403,
        'FORBIDDEN',
      );
    });

    it('GET /deadlines?kind&withinDays: coming deadlines, then missed ones after the clock moves', async () => {
      const acceptanceDue = (await readProject(h, completed)).dates.acceptanceDueOn;
      const soon = await h.request('GET', '/deadlines?withinDays=10', { token: office });
      expect(soon.status).toBe(200);
      expect(soon.body.today).toBe(today(h));
      expect(soon.body.items.map((d: { kind: string; projectId: string }) => [d.kind, d.projectId])).toEqual([
        ['RECTIFICATION', building.id],
      ]);
      expect(soon.body.items[0]).toMatchObject({ daysLeft: 5, overdue: false, rectificationId });
      const acceptance = await h.request('GET', '/deadlines?kind=ACCEPTANCE', { token: office });
      expect(acceptance.body.items).toEqual([
        expect.objectContaining({
          kind: 'ACCEPTANCE',
          projectId: completed.id,
          dueOn: acceptanceDue,
          overdue: false,
          article: '第二十一条',
        }),
      ]);
      const reports = await h.request('GET', '/deadlines?kind=PERFORMANCE_REPORT&withinDays=400', { token: office });
      expect(reports.body.items.map((d: { projectId: string }) => d.projectId).sort()).toEqual(
        [building.id, completed.id].sort(),
      );
      expectProblem(await h.request('GET', '/deadlines?kind=LUNCH', { token: office }), 400, 'VALIDATION_FAILED');
      expectProblem(await h.request('GET', '/deadlines?withinDays=-1', { token: office }), 400, 'VALIDATION_FAILED');

      // seven months later: the rectification and the acceptance are missed
      const later = new Date(h.clock.now().getTime() + 214 * 86_400_000).toISOString();
      expect((await h.request('PUT', '/admin/test-clock', { token: office, body: { now: later } })).status).toBe(200);
      const missed = await h.request('GET', '/deadlines?kind=ACCEPTANCE&withinDays=0', { token: office });
      expect(missed.body.items).toEqual([expect.objectContaining({ projectId: completed.id, overdue: true })]);
      expect(missed.body.items[0].daysLeft).toBeLessThan(0);
      expect(missed.body.overdue).toBe(1);
      const overdueRect = await h.request('GET', '/rectifications?status=overdue', { token: office });
      expect(overdueRect.body.items.map((r: { rectificationId: string }) => r.rectificationId)).toEqual([
        rectificationId,
      ]);
      const own = await h.request('GET', '/deadlines', { token: h.token('CONSTRUCTION_UNIT', 'QA') });
      expect(own.body.items).toEqual([]);
      expectProblem(
        await h.request('GET', '/deadlines?department=QC', { token: h.token('CONSTRUCTION_UNIT', 'QA') }),
        403,
        'FORBIDDEN',
      );
    });
  });
});
