/**
 * Guarantee 4 — access control. Every cell of the matrix in support/access-matrix.ts (which is
 * also docs/access-matrix.md) is proved against the real service: every route × every role ×
 * own/other department, and eleven kinds of bad token. A route the service serves that the table
 * lacks fails the test, and so does a docs file that differs from the table.
 */
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Workbook } from 'exceljs';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_STORE, type EventStore } from '../../src/event-store/event-store.port';
import { registration, SECRET, startHarness, type Harness } from '../support/harness';
import { acknowledgedFramework, driveTo, frameworkBody, orderRectification, type Project } from '../support/fixtures';
import type { RouteSpec } from '../support/route-contract';
import {
  ACCESS_MATRIX,
  BAD_TOKENS,
  PRINCIPALS,
  PROJECT_COMMANDS,
  renderAccessMatrix,
  rowKey,
  type AccessRow,
  type BadToken,
  type Principal,
} from './support/access-matrix';
import { actorClaims, signHs256, tamperedToken, unsignedToken } from './support/jwt';
import { multipart, PDF } from '../support/multipart';

const DEPT = 'DMAT';
const OTHER = 'DOTHER';
const DOC = join(__dirname, '..', '..', 'docs', 'access-matrix.md');

type Req = { method: string; url: string; body?: unknown; contentType?: string };
type Answer = { status: number; body: any; headers: Record<string, unknown> };

describe('access-control matrix (guarantee 4)', () => {
  let h: Harness;
  let store: EventStore;
  let fixture: Project;
  let subscriptionId: string;
  let systemId: string;
  /** The DEPT project in plan 2059: a scoped annual plan shows it to DEPT and the other roles only. */
  let planProjectId: string;
  let year = 2040;
  /** 第七条 a framework led by FW_LEAD listing DEPT: GET /frameworks shows it to DEPT and the other roles only. */
  let frameworkId: string;
  const FW_LEAD = 'DFWLEAD';
  /** A file uploaded to the fixture project, for the download row. */
  let documentId: string;

  const tokenOf = (p: Principal) =>
    p === 'CU_OWN'
      ? h.token('CONSTRUCTION_UNIT', DEPT)
      : p === 'CU_OTHER'
        ? h.token('CONSTRUCTION_UNIT', OTHER)
        : h.token(p);

  function badAuth(kind: BadToken): Record<string, string> {
    const office = { ...actorClaims('OFFICE'), exp: Math.floor(Date.now() / 1000) + 600 };
    switch (kind) {
      case 'none':
        return {};
      case 'garbage':
        return { authorization: 'Bearer ☃.💥.not-a-token' };
      case 'expired': {
        const expired = { ...office, iat: 1_600_000_000, exp: Math.floor(Date.now() / 1000) - 60 };
        return { authorization: `Bearer ${signHs256(expired, SECRET)}` };
      }
      case 'wrong-secret':
        return { authorization: `Bearer ${signHs256(office, 'an-attacker-secret-0123456789-0123456789')}` };
      case 'alg-none':
        return { authorization: `Bearer ${unsignedToken(office)}` };
      case 'tampered-role':
        return { authorization: `Bearer ${tamperedToken(h.token('CONSTRUCTION_UNIT', DEPT), office)}` };
      case 'no-role':
        return { authorization: `Bearer ${signHs256({ sub: 'nobody', exp: office.exp }, SECRET)}` };
      case 'cu-without-department':
        return {
          authorization: `Bearer ${signHs256({ sub: 'cu', role: 'CONSTRUCTION_UNIT', exp: office.exp }, SECRET)}`,
        };
      // Issue 11: a token must expire, within TOKEN_MAX_LIFETIME_SECONDS (12 h) of its issue, and
      // must not be issued in the future (60 s of clock skew are forgiven).
      case 'no-exp':
        return { authorization: `Bearer ${signHs256(actorClaims('OFFICE'), SECRET)}` };
      case 'future-iat': {
        const future = {
          ...office,
          iat: Math.floor(Date.now() / 1000) + 300,
          exp: Math.floor(Date.now() / 1000) + 900,
        };
        return { authorization: `Bearer ${signHs256(future, SECRET)}` };
      }
      case 'lifetime-too-long':
        return {
          authorization: `Bearer ${signHs256({ ...office, exp: Math.floor(Date.now() / 1000) + 13 * 3600 }, SECRET)}`,
        };
    }
  }

  async function newPlanWithProject(adopt: boolean): Promise<{ year: number; projectId: string }> {
    const y = ++year;
    const p = await driveTo(h, 'DRAFT_PLAN', { dept: DEPT, overrides: { planYear: y } });
    const included = await h.request('POST', `/annual-plans/${y}/include`, {
      token: h.token('OFFICE'),
      body: { projectId: p.id, reviewOpinion: '同意' },
    });
    expect(included.status).toBe(200);
    if (adopt)
      expect(
        (
          await h.request('POST', `/annual-plans/${y}/adopt`, {
            token: h.token('LEADING_GROUP'),
            body: { meetingRef: 'LX' },
          })
        ).status,
      ).toBe(200);
    return { year: y, projectId: p.id };
  }

  async function prepared(spec: RouteSpec): Promise<Project> {
    const p = await driveTo(h, spec.from, { dept: DEPT });
    if (spec.before) await spec.before(h, p);
    return p;
  }

  /**
   * For each row: how to make its request. `fresh` is true for a call that may succeed and so
   * change state: it gets its own target. Denied and unauthenticated calls share one target.
   */
  const probes = new Map<string, (fresh: boolean) => Promise<Req>>();
  const commandProbe = (spec: RouteSpec) => {
    let shared: Promise<Project> | undefined;
    return async (fresh: boolean): Promise<Req> => {
      const p = fresh ? await prepared(spec) : await (shared ??= prepared(spec));
      return { method: 'POST', url: `/projects/${p.id}/${spec.path}`, body: spec.body(h, p) };
    };
  };
  for (const spec of PROJECT_COMMANDS) probes.set(`POST /projects/:id/${spec.path}`, commandProbe(spec));
  const fixed = (method: string, url: () => string, body?: () => unknown) => async () => ({
    method,
    url: url(),
    body: body?.(),
  });
  probes.set(
    'GET /health',
    fixed('GET', () => '/health'),
  );
  probes.set(
    'GET /metrics',
    fixed('GET', () => '/metrics'),
  );
  probes.set(
    'GET /docs',
    fixed('GET', () => '/docs'),
  );
  probes.set(
    'GET /docs-json',
    fixed('GET', () => '/docs-json'),
  );
  probes.set(
    'GET /meta/info',
    fixed('GET', () => '/meta/info'),
  );
  probes.set(
    'GET /meta/commands',
    fixed('GET', () => '/meta/commands'),
  );
  probes.set(
    'GET /dev/identities',
    fixed('GET', () => '/dev/identities'),
  );
  probes.set(
    'POST /projects',
    fixed(
      'POST',
      () => '/projects',
      () => registration(DEPT),
    ),
  );
  /** Denied and unauthenticated calls share one target; each call that may succeed gets its own. */
  const cached = (make: () => Promise<Req>) => {
    let shared: Promise<Req> | undefined;
    return (fresh: boolean) => (fresh ? make() : (shared ??= make()));
  };
  probes.set(
    'POST /annual-plans/:year/include',
    cached(async () => {
      const y = ++year;
      const p = await driveTo(h, 'DRAFT_PLAN', { dept: DEPT, overrides: { planYear: y } });
      return { method: 'POST', url: `/annual-plans/${y}/include`, body: { projectId: p.id, reviewOpinion: '同意' } };
    }),
  );
  probes.set(
    'POST /annual-plans/:year/adopt',
    cached(async () => {
      const plan = await newPlanWithProject(false);
      return { method: 'POST', url: `/annual-plans/${plan.year}/adopt`, body: { meetingRef: 'LX-1' } };
    }),
  );
  probes.set(
    'POST /annual-plans/:year/budget-feedback',
    cached(async () => {
      const plan = await newPlanWithProject(true);
      return {
        method: 'POST',
        url: `/annual-plans/${plan.year}/budget-feedback`,
        body: { projectId: plan.projectId, inBudget: true, controlAmountFen: 1000 },
      };
    }),
  );
  probes.set(
    'POST /frameworks',
    fixed(
      'POST',
      () => '/frameworks',
      () => {
        const { frameworkId: _id, ...body } = frameworkBody(['DFWPART']);
        return body;
      },
    ),
  );
  /** A framework led by FW_LEAD with DEPT as participant, confirmed by DEPT when `confirmed`. */
  const framework = async (confirmed: boolean) => {
    const body = frameworkBody([DEPT]);
    const filed = await h.request('POST', '/frameworks', { token: h.token('CONSTRUCTION_UNIT', FW_LEAD), body });
    expect(filed.status).toBe(201);
    if (confirmed) {
      const url = `/frameworks/${body.frameworkId}/confirm`;
      expect((await h.request('POST', url, { token: h.token('CONSTRUCTION_UNIT', DEPT), body: {} })).status).toBe(200);
    }
    return body.frameworkId;
  };
  probes.set(
    'POST /frameworks/:id/confirm',
    cached(async () => ({ method: 'POST', url: `/frameworks/${await framework(false)}/confirm`, body: {} })),
  );
  probes.set(
    'POST /frameworks/:id/acknowledge',
    cached(async () => ({
      method: 'POST',
      url: `/frameworks/${await framework(true)}/acknowledge`,
      body: { opinion: '已受理' },
    })),
  );
  probes.set(
    'GET /frameworks',
    fixed('GET', () => '/frameworks'),
  );
  probes.set(
    'GET /frameworks?department=:dept',
    fixed('GET', () => `/frameworks?department=${DEPT}`),
  );
  probes.set(
    'GET /frameworks/:id',
    fixed('GET', () => `/frameworks/${frameworkId}`),
  );
  probes.set(
    'GET /projects',
    fixed('GET', () => '/projects?pageSize=200'),
  );
  probes.set(
    'GET /projects?department=:dept',
    fixed('GET', () => `/projects?department=${DEPT}&pageSize=200`),
  );
  probes.set(
    'GET /projects/:id',
    fixed('GET', () => `/projects/${fixture.id}`),
  );
  probes.set(
    'GET /projects/:id/history',
    fixed('GET', () => `/projects/${fixture.id}/history`),
  );
  probes.set(
    'GET /projects/:id/state',
    fixed('GET', () => `/projects/${fixture.id}/state?revision=0`),
  );
  probes.set(
    'GET /dashboard/summary',
    fixed('GET', () => '/dashboard/summary'),
  );
  probes.set(
    'GET /rectifications',
    fixed('GET', () => '/rectifications'),
  );
  probes.set(
    'GET /rectifications?department=:dept',
    fixed('GET', () => `/rectifications?department=${DEPT}`),
  );
  probes.set(
    'GET /deadlines',
    fixed('GET', () => '/deadlines'),
  );
  probes.set(
    'GET /deadlines?department=:dept',
    fixed('GET', () => `/deadlines?department=${DEPT}`),
  );
  probes.set(
    'GET /om-eligibility',
    fixed('GET', () => '/om-eligibility'),
  );
  probes.set(
    'GET /inbox',
    fixed('GET', () => '/inbox'),
  );
  probes.set(
    'GET /inbox/done',
    fixed('GET', () => '/inbox/done'),
  );
  probes.set(
    'GET /om-eligibility?department=:dept',
    fixed('GET', () => `/om-eligibility?department=${DEPT}`),
  );
  const newSystem = async (dept = DEPT) => {
    const created = await h.request('POST', '/systems', {
      token: h.token('CONSTRUCTION_UNIT', dept),
      body: { name: '存量系统', inCatalogue: true, description: '运行中' },
    });
    expect(created.status).toBe(201);
    return created.body.systemId as string;
  };
  probes.set(
    'POST /systems',
    fixed(
      'POST',
      () => '/systems',
      () => ({ name: '存量系统', inCatalogue: true, description: '运行中' }),
    ),
  );
  const compliance = {
    sharesData: true,
    duplicateCollection: false,
    inCatalogue: true,
    cryptoAssessmentPassed: true,
    securityAssessmentPassed: true,
    majorSecurityHazard: false,
  };
  probes.set(
    'POST /systems/:id/record-compliance',
    fixed(
      'POST',
      () => `/systems/${systemId}/record-compliance`,
      () => compliance,
    ),
  );
  probes.set(
    'POST /systems/:id/grant-sharing-exemption',
    cached(async () => ({
      method: 'POST',
      url: `/systems/${await newSystem()}/grant-sharing-exemption`,
      body: { reason: '依法不能共享' },
    })),
  );
  probes.set(
    'GET /systems',
    fixed('GET', () => '/systems'),
  );
  probes.set(
    'GET /systems?department=:dept',
    fixed('GET', () => `/systems?department=${DEPT}`),
  );
  probes.set(
    'GET /systems/:id',
    fixed('GET', () => `/systems/${systemId}`),
  );
  probes.set(
    'GET /annual-plans/:year',
    fixed('GET', () => '/annual-plans/2059'),
  );
  probes.set('POST /projects/:id/documents', async () => {
    const { payload, contentType } = multipart([
      { name: 'kind', value: 'ACCEPTANCE' },
      { name: 'file', filename: 'acceptance.pdf', bytes: PDF, type: 'application/pdf' },
    ]);
    return { method: 'POST', url: `/projects/${fixture.id}/documents`, body: payload, contentType };
  });
  probes.set(
    'GET /projects/:id/documents',
    fixed('GET', () => `/projects/${fixture.id}/documents`),
  );
  probes.set(
    'GET /projects/:id/documents/:documentId',
    fixed('GET', () => `/projects/${fixture.id}/documents/${documentId}`),
  );
  probes.set(
    'GET /departments/:code/record',
    fixed('GET', () => `/departments/${DEPT}/record`),
  );
  probes.set(
    'GET /audit/events',
    fixed('GET', () => '/audit/events?limit=5'),
  );
  probes.set(
    'GET /audit/export',
    fixed('GET', () => '/audit/export?format=jsonl'),
  );
  probes.set(
    'GET /audit/export?format=xlsx',
    fixed('GET', () => '/audit/export?format=xlsx'),
  );
  probes.set(
    'GET /projects/export.xlsx',
    fixed('GET', () => '/projects/export.xlsx'),
  );
  probes.set(
    'GET /projects/export.xlsx?department=:dept',
    fixed('GET', () => `/projects/export.xlsx?department=${DEPT}`),
  );
  probes.set(
    'GET /deadlines/export.xlsx',
    fixed('GET', () => '/deadlines/export.xlsx'),
  );
  probes.set(
    'GET /projects/:id/archive.xlsx',
    fixed('GET', () => `/projects/${fixture.id}/archive.xlsx`),
  );
  probes.set(
    'GET /audit/verify',
    fixed('GET', () => `/audit/verify?projectId=${fixture.id}`),
  );
  probes.set(
    'POST /audit/seal',
    fixed('POST', () => '/audit/seal'),
  );
  // A live stream never ends; an unknown type is refused with 400 after authentication, which is
  // what this row is about (the stream itself: test/subscriptions/event-stream.e2e-spec.ts).
  probes.set(
    'GET /events/stream',
    fixed('GET', () => '/events/stream?types=NoSuchEventType'),
  );
  const hook = () => ({
    url: 'http://127.0.0.1:9/hook',
    types: ['AcceptanceOverdue'],
    secret: 'matrix-webhook-secret-0123456789',
  });
  probes.set(
    'POST /subscriptions',
    fixed('POST', () => '/subscriptions', hook),
  );
  probes.set(
    'GET /subscriptions',
    fixed('GET', () => '/subscriptions'),
  );
  probes.set(
    'GET /subscriptions/:id',
    fixed('GET', () => `/subscriptions/${subscriptionId}`),
  );
  probes.set('DELETE /subscriptions/:id', async (fresh) => {
    if (!fresh) return { method: 'DELETE', url: `/subscriptions/${subscriptionId}` };
    const created = await h.request('POST', '/subscriptions', { token: h.token('OFFICE'), body: hook() });
    return { method: 'DELETE', url: `/subscriptions/${created.body.id}` };
  });
  probes.set(
    'POST /subscriptions/:id/redeliver',
    fixed(
      'POST',
      () => `/subscriptions/${subscriptionId}/redeliver`,
      () => ({}),
    ),
  );
  probes.set(
    'GET /admin/projections',
    fixed('GET', () => '/admin/projections'),
  );
  probes.set(
    'POST /admin/projections/:name/rebuild',
    fixed('POST', () => '/admin/projections/annual-plans/rebuild'),
  );
  probes.set(
    'PUT /admin/test-clock',
    fixed(
      'PUT',
      () => '/admin/test-clock',
      () => ({ now: h.clock.now().toISOString() }),
    ),
  );

  beforeAll(async () => {
    h = await startHarness({ env: { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_MAX_ATTEMPTS: '1' } });
    store = h.app.get(EVENT_STORE);
    fixture = await driveTo(h, 'UNDER_CONSTRUCTION', { dept: DEPT });
    await orderRectification(h, fixture);
    const upload = multipart([
      { name: 'kind', value: 'PROPOSAL' },
      { name: 'file', filename: 'proposal.pdf', bytes: PDF },
    ]);
    const uploaded = await h.request('POST', `/projects/${fixture.id}/documents`, {
      token: h.token('CONSTRUCTION_UNIT', DEPT),
      body: upload.payload,
      headers: { 'content-type': upload.contentType },
    });
    expect(uploaded.status).toBe(201);
    documentId = uploaded.body.documentId;
    planProjectId = (await driveTo(h, 'DRAFT_PLAN', { dept: DEPT, overrides: { planYear: 2059 } })).id;
    const plan = await h.request('POST', '/annual-plans/2059/include', {
      token: h.token('OFFICE'),
      body: { projectId: planProjectId, reviewOpinion: '同意' },
    });
    expect(plan.status).toBe(200);
    const created = await h.request('POST', '/subscriptions', { token: h.token('OFFICE'), body: hook() });
    expect(created.status).toBe(201);
    subscriptionId = created.body.id;
    systemId = await newSystem();
    frameworkId = await acknowledgedFramework(h, FW_LEAD, [DEPT]);
    for (let i = 0; i < 100; i++) {
      const seen = await h.request('GET', `/frameworks/${frameworkId}`, { token: h.token('OFFICE') });
      if (seen.status === 200 && seen.body.acknowledged) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    // Read models have caught up with the fixture before the scoped reads look for it.
    for (let i = 0; i < 100; i++) {
      const seen = await h.request('GET', `/projects/${fixture.id}?minRevision=${fixture.revision}`, {
        token: h.token('OFFICE'),
      });
      if (seen.status === 200) break;
    }
    for (let i = 0; i < 100; i++) {
      const seen = await h.request('GET', '/annual-plans/2059', { token: h.token('OFFICE') });
      if (seen.status === 200 && JSON.stringify(seen.body).includes(planProjectId)) break;
      await new Promise((r) => setTimeout(r, 20));
    }
  });

  afterAll(async () => {
    await h.close();
  });

  const send = async (req: Req, headers: Record<string, string>): Promise<Answer> => {
    const answer = await h.request(req.method, req.url, {
      body: req.body,
      headers: {
        ...(req.body !== undefined ? { 'content-type': req.contentType ?? 'application/json' } : {}),
        ...headers,
      },
    });
    return String(answer.headers['content-type']).includes('spreadsheetml')
      ? { ...answer, body: await cellsOf(answer.raw) }
      : answer;
  };
  /** An Excel export's cell values (its zip hides them from a text search), so `leaks` can look into it. */
  async function cellsOf(raw: Buffer): Promise<unknown[]> {
    const book = new Workbook();
    await book.xlsx.load(new Uint8Array(raw).buffer);
    const cells: unknown[] = [];
    book.eachSheet((sheet) => sheet.eachRow((row) => cells.push(row.values)));
    return cells;
  }
  const leaks = (answer: Answer) =>
    [DEPT, fixture.id, planProjectId].some((s) => JSON.stringify(answer.body ?? '').includes(s));
  /** What an answer tells beyond the request: `instance` only repeats the caller's own URL. */
  const told = (answer: Answer) => ({ ...(answer.body as object), instance: undefined });
  const isProblem = (answer: Answer) => String(answer.headers['content-type']).includes('application/problem+json');

  it('docs/access-matrix.md is rendered from this table (UPDATE_ACCESS_MATRIX=1 rewrites it)', () => {
    const rendered = renderAccessMatrix();
    if (process.env.UPDATE_ACCESS_MATRIX === '1') writeFileSync(DOC, rendered);
    expect(readFileSync(DOC, 'utf8')).toBe(rendered);
  });

  it('every route the service serves has a row, and every row a probe', () => {
    const document = SwaggerModule.createDocument(h.app, new DocumentBuilder().build());
    const served = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((m) => ['get', 'post', 'put', 'delete', 'patch'].includes(m))
        .map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    const rows = new Set(ACCESS_MATRIX.map((r) => rowKey({ method: r.method, path: r.path.split('?')[0] })));
    expect(served.filter((route) => !rows.has(route))).toEqual([]);
    expect(ACCESS_MATRIX.map(rowKey).filter((key) => !probes.has(key))).toEqual([]);
  });

  it.each(ACCESS_MATRIX.map((row) => [rowKey(row), row] as const))('%s', async (_key, row: AccessRow) => {
    const probe = probes.get(rowKey(row))!;
    const actual: Record<string, string> = {};
    const expected: Record<string, string> = {};
    // Bad tokens first: they share the target with the refused principals.
    for (const kind of BAD_TOKENS) {
      const req = await probe(false);
      const head = await store.headPosition();
      const answer = await send(req, badAuth(kind));
      expected[`token:${kind}`] = row.public ? 'allow' : '401';
      actual[`token:${kind}`] = row.public
        ? answer.status === (row.publicStatus ?? answer.status) &&
          (row.publicStatus !== undefined || answer.status < 300)
          ? 'allow'
          : String(answer.status)
        : answer.status === 401 &&
            isProblem(answer) &&
            answer.body.code === 'UNAUTHENTICATED' &&
            (await store.headPosition()) === head
          ? '401'
          : `${answer.status} ${answer.body?.code ?? ''}`;
    }
    const refusal = (c: string) => c === 'deny' || c === 'refused' || c === 'hidden';
    const order = [...PRINCIPALS].sort((a, b) => Number(!refusal(row.cells[a])) - Number(!refusal(row.cells[b])));
    for (const principal of order) {
      const cell = row.cells[principal];
      expected[principal] = cell;
      const req = await probe(!refusal(cell));
      const head = await store.headPosition();
      const answer = await send(req, { authorization: `Bearer ${tokenOf(principal)}` });
      const served =
        (answer.status >= 200 && answer.status < 300 && !row.publicStatus) ||
        (row.publicStatus !== undefined && answer.status === row.publicStatus) ||
        (rowKey(row) === 'GET /events/stream' && answer.status === 400 && answer.body.code === 'VALIDATION_FAILED');
      const hiddenCodes = ['PROJECT_NOT_FOUND', 'DEPARTMENT_NOT_FOUND', 'SYSTEM_NOT_FOUND', 'FRAMEWORK_NOT_FOUND'];
      if (answer.status === 404 && hiddenCodes.includes(answer.body?.code) && cell === 'hidden') {
        const clean =
          isProblem(answer) && (await store.headPosition()) === head && !JSON.stringify(told(answer)).includes(DEPT);
        actual[principal] = clean ? 'hidden' : '404 but not clean';
      } else if (answer.status === 403 || (answer.status === 422 && cell === 'refused')) {
        const clean = isProblem(answer) && (await store.headPosition()) === head;
        actual[principal] = clean ? (answer.status === 403 ? 'deny' : 'refused') : `${answer.status} but not clean`;
      } else if (served) {
        actual[principal] = cell === 'scoped' ? (leaks(answer) ? 'allow (sees other department)' : 'scoped') : 'allow';
      } else {
        actual[principal] = `${answer.status} ${answer.body?.code ?? ''}`;
      }
      // A scoped row must show the other department to the roles that see everything, or the check proves nothing.
      if (principal === 'OFFICE' && Object.values(row.cells).includes('scoped')) {
        expect({ row: rowKey(row), officeSeesFixture: leaks(answer) }).toEqual({
          row: rowKey(row),
          officeSeesFixture: true,
        });
      }
    }
    expect(actual).toEqual(expected);
  });
});
