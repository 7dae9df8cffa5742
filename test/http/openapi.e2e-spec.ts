/**
 * The OpenAPI document (GET /docs-json) tells the whole contract: it is a valid OpenAPI 3 document,
 * every served route is in it, every operation lists its problem+json answers with their codes,
 * every code the service can answer appears in it, and its request examples are valid inputs:
 * walked over HTTP in the order of one project's story, each answers 2xx.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { COMMAND_CATALOGUE, RULES, type CommandType, type Role, type RuleCode } from '../../src/domain';
import { DOMAIN_STATUS, HTTP_CODES } from '../../src/http/problem';
import { commandOf, commonRefusalsOf, PROBLEM_MEDIA_TYPE, refusalsOf } from '../../src/http/openapi';
import {
  EXAMPLE_DEPARTMENT,
  EXAMPLE_FRAMEWORK_ID,
  EXAMPLE_FRAMEWORK_PARTICIPANTS,
  EXAMPLE_PROJECT_ID,
} from '../../src/http/openapi-examples';
import { CLIENT_ROUTES } from '../../src/web/web.module';
import { WEB_ROOT } from '../../src/web/web-assets';
import { startHarness, type Harness } from '../support/harness';

const SRC = join(__dirname, '..', '..', 'src');
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const VALIDATOR = '@apidevtools/swagger-parser';

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, any>>;
  components: { schemas: Record<string, any> };
};
interface Op {
  method: string;
  path: string;
  op: any;
}

function operations(doc: Doc): Op[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]) => ({ method, path, op })),
  );
}

/** The codes one response of an operation lists (the enum on `code` of its problem+json schema). */
function codesOf(response: any): string[] {
  const schema = response?.content?.[PROBLEM_MEDIA_TYPE]?.schema;
  return schema?.allOf?.[1]?.properties?.code?.enum ?? [];
}

let components: Record<string, any> = {};
/** An example, or the components.examples entry it refers to. */
function exampleValue(example: any): any {
  return example.$ref ? components.examples[example.$ref.split('/').pop()]?.value : example.value;
}

/** Routes Fastify serves, from its printRoutes() tree (one node per line, four columns per level). */
function servedRoutes(tree: string): Array<{ method: string; path: string }> {
  const out: Array<{ method: string; path: string }> = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^(.*?)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    stack.length = match[1].length / 4;
    stack.push(match[2]);
    const path = stack.join('');
    for (const method of match[3]?.split(', ') ?? []) out.push({ method, path });
  }
  return out;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** What Nest's exception classes answer, for the ones src constructs. */
const NEST_EXCEPTION_STATUS: Record<string, number> = {
  BadRequestException: 400,
  UnauthorizedException: 401,
  ForbiddenException: 403,
  NotFoundException: 404,
  MethodNotAllowedException: 405,
  NotAcceptableException: 406,
  ConflictException: 409,
  PayloadTooLargeException: 413,
  UnsupportedMediaTypeException: 415,
  UnprocessableEntityException: 422,
  ServiceUnavailableException: 503,
};

/**
 * Every code the service can answer, collected from the code: the domain's RULES and
 * INVALID_STATE, every `new ProblemError(status, 'CODE'…)`, toProblem's own answers, the codes
 * app.ts writes on the socket, and HTTP_CODES for the statuses something actually raises (Fastify's
 * refusals 400/413/414/415, the ThrottlerGuard's 429 and the Nest exceptions src constructs).
 */
function answerableCodes(): Map<string, string> {
  const codes = new Map<string, string>();
  // A refusal only commands without a route raise (the deadline watcher's Mark…Overdue, issued by
  // SYSTEM) never reaches an HTTP client; every other refusal does.
  const routed = (Object.keys(COMMAND_CATALOGUE) as CommandType[]).filter(
    (t) => !COMMAND_CATALOGUE[t].route.startsWith('('),
  );
  const answeredOverHttp = new Set(routed.flatMap((t) => COMMAND_CATALOGUE[t].refusals));
  for (const code of Object.keys(RULES)) if (answeredOverHttp.has(code as RuleCode)) codes.set(code, 'RULES');
  codes.set('INVALID_STATE', 'invalidState');
  const raised = new Set<number>([400, 413, 414, 415, 429]);
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    const where = file.slice(SRC.length + 1);
    for (const m of text.matchAll(/new ProblemError\(\s*(\d{3}),\s*'([A-Z][A-Z0-9_]*)'/g)) codes.set(m[2], where);
    for (const m of text.matchAll(/\bbase\((\d{3}),\s*'([A-Z][A-Z0-9_]*)'/g)) codes.set(m[2], where);
    for (const m of text.matchAll(/new (\w+Exception)\(/g)) {
      if (NEST_EXCEPTION_STATUS[m[1]]) raised.add(NEST_EXCEPTION_STATUS[m[1]]);
    }
    if (where === 'app.ts') for (const m of text.matchAll(/\bcode: '([A-Z][A-Z0-9_]*)'/g)) codes.set(m[1], where);
  }
  for (const status of raised) if (HTTP_CODES[status]) codes.set(HTTP_CODES[status][0], `HTTP_CODES[${status}]`);
  return codes;
}

/** Served but deliberately not in the document; every other served route must be in it. */
const UNDOCUMENTED: Array<{ why: string; matches: (path: string) => boolean }> = [
  { why: 'the OpenAPI UI and document themselves (SwaggerModule.setup)', matches: (p) => /^\/docs($|[/-])/.test(p) },
  { why: 'dashboard pages (@ApiExcludeController WebPagesController)', matches: (p) => CLIENT_ROUTES.includes(p) },
  { why: 'Prometheus text (@ApiExcludeEndpoint on GET /metrics)', matches: (p) => p === '/metrics' },
  {
    why: 'static dashboard assets (@fastify/static, one route per built file)',
    matches: (p) => p !== '/' && existsSync(join(WEB_ROOT, p)) && statSync(join(WEB_ROOT, p)).isFile(),
  },
];

const toOpenApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

describe('the OpenAPI document tells the whole contract', () => {
  let h: Harness;
  let doc: Doc;
  beforeAll(async () => {
    // The example webhook target is a reserved .example host: allowed by name, as an operator would.
    h = await startHarness({ env: { WEBHOOK_ALLOWED_HOSTS: 'finance.example' } });
    const answer = await h.request('GET', '/docs-json');
    expect(answer.status).toBe(200);
    doc = answer.body;
    components = doc.components;
  });
  afterAll(async () => {
    await h.close();
  });

  it('is still served at /docs (UI) and /docs-json', async () => {
    const ui = await h.request('GET', '/docs');
    expect(ui.status).toBe(200);
    expect(String(ui.body)).toContain('swagger');
    expect(doc.openapi).toMatch(/^3\.0\.\d$/);
  });

  it(`is a valid OpenAPI 3 document (${VALIDATOR})`, async () => {
    let SwaggerParser: { validate(api: object): Promise<object> };
    try {
      // Loaded lazily: a missing validator fails this test with a hint, not the whole suite.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      SwaggerParser = require(VALIDATOR);
    } catch (error) {
      throw new Error(`${VALIDATOR} is missing: add "${VALIDATOR}": "12.1.0" to devDependencies (${String(error)})`, {
        cause: error,
      });
    }
    // validate() dereferences in place: give it a copy.
    await expect(SwaggerParser.validate(structuredClone(doc))).resolves.toBeDefined();
  });

  it('every served route is in it (the exclusions are listed in UNDOCUMENTED)', () => {
    const served = servedRoutes(h.app.getHttpAdapter().getInstance().printRoutes({ commonPrefix: false })).filter(
      (r) => r.method !== 'HEAD' && r.method !== 'OPTIONS',
    );
    expect(served.length).toBeGreaterThan(60);
    const missing = served
      .filter((r) => !UNDOCUMENTED.some((u) => u.matches(r.path)))
      .filter((r) => !doc.paths[toOpenApiPath(r.path)]?.[r.method.toLowerCase()])
      .map((r) => `${r.method} ${r.path}`);
    expect(missing).toEqual([]);
    // …and the document lists nothing that is not served.
    const servedKeys = new Set(served.map((r) => `${r.method.toLowerCase()} ${toOpenApiPath(r.path)}`));
    expect(
      operations(doc)
        .map((o) => `${o.method} ${o.path}`)
        .filter((k) => !servedKeys.has(k)),
    ).toEqual([]);
  });

  it('every operation (87 with the test clock) lists its error answers as problem+json with their codes', () => {
    const ops = operations(doc);
    // 69, /inbox, 第二十四条 /systems (5), 第七条 /frameworks (5), Excel exports (3), 项目文件 /projects/{id}/documents (3)
    expect(ops).toHaveLength(87);
    expect(doc.components.schemas.Problem).toMatchObject({
      required: ['type', 'title', 'status', 'detail', 'code'],
      properties: { errors: { type: 'array' }, article: { type: 'string' }, instance: { type: 'string' } },
    });
    for (const { method, path, op } of ops) {
      const where = `${method.toUpperCase()} ${path}`;
      const errors = Object.entries(op.responses as Record<string, any>).filter(([status]) => Number(status) >= 400);
      expect({ where, statuses: errors.map(([s]) => s) }).toEqual({
        where,
        statuses: expect.arrayContaining(['400', '429', '500']),
      });
      for (const [status, response] of errors) {
        const media = response.content?.[PROBLEM_MEDIA_TYPE];
        expect({ where, status, ref: media?.schema?.allOf?.[0]?.$ref }).toEqual({
          where,
          status,
          ref: '#/components/schemas/Problem',
        });
        const codes = codesOf(response);
        expect({ where, status, some: codes.length > 0 }).toEqual({ where, status, some: true });
        expect({ where, status, examples: Object.keys(media.examples).sort() }).toEqual({
          where,
          status,
          examples: [...codes].sort(),
        });
        for (const code of codes) {
          expect(exampleValue(media.examples[code])).toMatchObject({
            status: Number(status),
            code,
            title: expect.any(String),
          });
          expect(response.description).toContain(code);
        }
      }
      const isPublic = !op.security;
      if (!isPublic)
        expect({ where, codes: codesOf(op.responses['401']) }).toEqual({ where, codes: ['UNAUTHENTICATED'] });
      if (op.requestBody?.content['multipart/form-data']) {
        // 项目文件: a document upload's own limits and the parts it names when missing
        expect(codesOf(op.responses['413'])).toEqual(['DOCUMENT_TOO_LARGE']);
        expect(codesOf(op.responses['415'])).toEqual(
          expect.arrayContaining(['MULTIPART_REQUIRED', 'DOCUMENT_TYPE_NOT_ALLOWED', 'DOCUMENT_TYPE_MISMATCH']),
        );
        const fields = exampleValue(
          op.responses['400'].content[PROBLEM_MEDIA_TYPE].examples.VALIDATION_FAILED,
        ).errors.map((e: any) => e.field);
        expect({ where, fields }).toEqual({ where, fields: expect.arrayContaining(['kind', 'file']) });
      } else if (op.requestBody) {
        expect({ where, codes: codesOf(op.responses['400']) }).toEqual({
          where,
          codes: expect.arrayContaining(['VALIDATION_FAILED', 'BAD_REQUEST']),
        });
        expect(codesOf(op.responses['413'])).toEqual(['PAYLOAD_TOO_LARGE']);
        expect(codesOf(op.responses['415'])).toEqual(['UNSUPPORTED_MEDIA_TYPE']);
        const required: string[] =
          doc.components.schemas[op.requestBody.content['application/json'].schema.$ref?.split('/').pop()]?.required ??
          [];
        const fields = exampleValue(
          op.responses['400'].content[PROBLEM_MEDIA_TYPE].examples.VALIDATION_FAILED,
        ).errors.map((e: any) => e.field);
        expect({ where, fields }).toEqual({ where, fields: expect.arrayContaining(required) });
      }
      if (/^\/projects\/\{id\}/.test(path)) {
        expect({ where, codes: codesOf(op.responses['404']) }).toEqual({
          where,
          codes: expect.arrayContaining(['PROJECT_NOT_FOUND']),
        });
      }
    }
  });

  it('every command route lists INVALID_STATE, REVISION_CONFLICT and each refusal of its command at its status', () => {
    const commands = operations(doc)
      .map((o) => ({ ...o, type: commandOf(o.method, o.path) }))
      .filter((o) => o.type);
    const served = (Object.keys(COMMAND_CATALOGUE) as CommandType[]).filter(
      (t) => !COMMAND_CATALOGUE[t].route.startsWith('('),
    );
    expect(commands.map((c) => c.type).sort()).toEqual(served.sort());
    for (const { op, type, path } of commands) {
      // an existing system (第二十四条) has no status: no INVALID_STATE
      const conflicts = path.startsWith('/systems') ? ['REVISION_CONFLICT'] : ['INVALID_STATE', 'REVISION_CONFLICT'];
      expect({ path, codes: codesOf(op.responses['409']) }).toEqual({ path, codes: expect.arrayContaining(conflicts) });
      if (path.startsWith('/systems')) expect(codesOf(op.responses['409'])).not.toContain('INVALID_STATE');
      expect(op.parameters.map((p: any) => p.name)).toContain('Idempotency-Key');
      for (const code of [...commonRefusalsOf(type!), ...refusalsOf(type!)]) {
        const status = String(DOMAIN_STATUS[RULES[code].kind]);
        expect({ path, code, listed: codesOf(op.responses[status]).includes(code) }).toEqual({
          path,
          code,
          listed: true,
        });
      }
    }
  });

  it('every code the service can answer appears in it (scanned from src)', () => {
    const documented = new Set(operations(doc).flatMap(({ op }) => Object.values(op.responses).flatMap(codesOf)));
    const answerable = answerableCodes();
    expect(answerable.size).toBeGreaterThan(70);
    const missing = [...answerable]
      .filter(([code]) => !documented.has(code))
      .map(([code, from]) => `${code} (${from})`);
    expect(missing).toEqual([]);
  });

  it('every request body has an example', () => {
    const without = operations(doc)
      .filter(
        ({ op }) =>
          op.requestBody &&
          // a document upload is multipart/form-data (kind and the file)
          (op.requestBody.content['application/json'] ?? op.requestBody.content['multipart/form-data'])?.example ===
            undefined,
      )
      .map(({ method, path }) => `${method.toUpperCase()} ${path}`);
    expect(without).toEqual([]);
  });

  describe("its examples are valid inputs: one project's story walked over HTTP with them", () => {
    /** A schema's own property examples win over the operation's example, so both are proved valid. */
    function exampleBody(method: string, path: string): Record<string, unknown> {
      const json = doc.paths[path][method].requestBody.content['application/json'];
      const ref: string | undefined = json.schema.$ref?.split('/').pop();
      const properties: Record<string, any> = (ref && doc.components.schemas[ref].properties) || {};
      const own = Object.fromEntries(
        Object.entries(properties)
          .filter(([, p]) => p.example !== undefined)
          .map(([k, p]) => [k, p.example]),
      );
      return { ...json.example, ...own };
    }

    function tokenFor(method: string, path: string): string {
      const type = commandOf(method, path);
      const role: Role = type ? COMMAND_CATALOGUE[type].roles[0] : 'OFFICE';
      return h.token(role, role === 'CONSTRUCTION_UNIT' ? EXAMPLE_DEPARTMENT : undefined);
    }

    /**
     * Sends the documented example of `key` ("POST /projects/{id}/start-construction") for project
     * `id`. Substituted, and only for projects other than the story's own: `projectId` (an id must
     * name one project). Path parameters are filled in: {id}, {year} = 2026, {name} = projects.
     */
    async function step(key: string, id = EXAMPLE_PROJECT_ID, params: Record<string, string> = {}) {
      const [method, path] = [key.split(' ')[0].toLowerCase(), key.split(' ')[1]];
      const url = path
        .replace('{id}', params.id ?? id)
        .replace('{year}', '2026')
        .replace('{name}', 'projects');
      const body = doc.paths[path][method].requestBody ? exampleBody(method, path) : undefined;
      if (body && id !== EXAMPLE_PROJECT_ID && 'projectId' in body) body.projectId = id;
      const answer = await h.request(method.toUpperCase(), url, { token: tokenFor(method, path), body });
      const ok = [200, 201, 202, 204].includes(answer.status);
      expect({ key, status: answer.status, body: ok ? undefined : answer.body }).toEqual({
        key,
        status: answer.status,
        body: undefined,
      });
      expect({ key, ok }).toEqual({ key, ok: true });
      return answer;
    }

    const at = (instant: string) => h.clock.set(new Date(instant));
    const command = (route: string) => `POST /projects/{id}/${route}`;
    const REGISTER = 'POST /projects';
    const TO_FEASIBILITY = ['submit-proposal', 'approve-proposal', 'submit-feasibility'].map(command);
    const TO_DESIGN = [
      ...TO_FEASIBILITY,
      command('review-sharing'), // 第二十四条: before the study of a NEW or UPGRADE project is approved
      command('approve-feasibility'),
      command('submit-preliminary-design'),
    ];

    it('2026-03-02: registration, annual plan, approvals; rejections and a termination on others', async () => {
      at('2026-03-02T10:00:00+08:00');
      await step(REGISTER);
      for (const key of ['include', 'adopt', 'budget-feedback']) await step(`POST /annual-plans/{year}/${key}`);
      for (const key of [...TO_DESIGN, ...['review-preliminary-design', 'approve-preliminary-design'].map(command)])
        await step(key);
      await step(command('release-investment'));
      for (const key of ['assign-responsibility', 'engage-supervision'].map(command)) await step(key);
      const sides: Array<[string[], string]> = [
        [[command('submit-proposal')], 'reject-proposal'],
        [TO_FEASIBILITY, 'reject-feasibility'],
        [TO_DESIGN, 'reject-preliminary-design'],
        [['order-rectification', 'submit-rectification', 'verify-rectification'].map(command), 'terminate'],
      ];
      for (const [before, last] of sides) {
        const id = randomUUID();
        for (const key of [REGISTER, ...before, command(last)]) await step(key, id);
      }
    });

    it('2026-03-16 … 2026-04-01: construction, oversight and a rectification', async () => {
      at('2026-03-16T09:00:00+08:00');
      const building = [
        'start-construction',
        'submit-performance-report',
        'report-incident',
        'decide-incident',
        'file-adjustment',
        'record-compliance',
        'grant-sharing-exemption',
      ];
      for (const key of building.map(command)) await step(key);
      at('2026-04-01T09:00:00+08:00');
      const oversight = [
        'order-rectification',
        'submit-rectification',
        'verify-rectification',
        'criticize',
        'defer-investment',
        'suspend',
        'resume',
      ];
      for (const key of oversight.map(command)) await step(key);
    });

    it('2026-11-30 … 2027-01-15: completion, acceptance and the asset', async () => {
      at('2026-11-30T17:00:00+08:00');
      for (const key of ['complete-construction', 'return-surplus', 'agree-acceptance-plan'].map(command))
        await step(key);
      at('2027-01-15T10:00:00+08:00');
      const acceptance = [
        'request-acceptance-extension',
        'grant-acceptance-extension',
        'record-archive-acceptance',
        'record-acceptance',
        'register-asset',
        'evaluate',
      ];
      let revision = 0;
      for (const key of acceptance.map(command)) revision = (await step(key)).body.revision;
      const url = `/projects/${EXAMPLE_PROJECT_ID}?minRevision=${revision}`;
      const project = await h.request('GET', url, { token: h.token('AUDIT') });
      expect(project.body).toMatchObject({
        status: 'ASSET_REGISTERED',
        evaluations: [expect.objectContaining({ kind: 'POST_EVALUATION', grade: 'GOOD' })],
      });
    });

    it('第七条 a framework: filed by the lead, confirmed by each participant, acknowledged, named by a part', async () => {
      at('2026-03-02T11:00:00+08:00');
      await step('POST /frameworks');
      const ids = { id: EXAMPLE_FRAMEWORK_ID };
      const confirmation = exampleBody('post', '/frameworks/{id}/confirm');
      for (const department of EXAMPLE_FRAMEWORK_PARTICIPANTS) {
        const token = h.token('CONSTRUCTION_UNIT', department);
        const url = `/frameworks/${EXAMPLE_FRAMEWORK_ID}/confirm`;
        expect((await h.request('POST', url, { token, body: confirmation })).status).toBe(200);
      }
      await step('POST /frameworks/{id}/acknowledge', EXAMPLE_PROJECT_ID, ids);
      const department = EXAMPLE_FRAMEWORK_PARTICIPANTS[0];
      const part = {
        ...exampleBody('post', '/projects'),
        projectId: randomUUID(),
        departmentCode: department,
        crossDepartment: { frameworkId: EXAMPLE_FRAMEWORK_ID },
      };
      const registered = await h.request('POST', '/projects', {
        token: h.token('CONSTRUCTION_UNIT', department),
        body: part,
      });
      expect(registered.status).toBe(201);
      for (let i = 0; i < 200; i++) {
        const read = await h.request('GET', `/frameworks/${EXAMPLE_FRAMEWORK_ID}`, { token: h.token('AUDIT') });
        if (read.status === 200 && read.body.acknowledged) return;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error('the framework was never shown acknowledged');
    });

    it('the other documented inputs: query examples, a webhook subscription, the test clock', async () => {
      for (const { method, path, op } of operations(doc).filter((o) => o.method === 'get')) {
        const examples = (op.parameters ?? []).filter(
          (p: any) => p.in === 'query' && (p.example ?? p.schema?.example) !== undefined,
        );
        if (examples.length === 0) continue;
        const query = examples
          .map((p: any) => `${p.name}=${encodeURIComponent(String(p.example ?? p.schema.example))}`)
          .join('&');
        const url = `${path.replace('{id}', EXAMPLE_PROJECT_ID)}?${query}`;
        const answer = await h.request('GET', url, { token: h.token('AUDIT') });
        expect({ method, url, status: answer.status }).toEqual({ method, url, status: 200 });
      }
      const subscription = await step('POST /subscriptions');
      await step('POST /subscriptions/{id}/redeliver', EXAMPLE_PROJECT_ID, { id: subscription.body.id });
      await step('PUT /admin/test-clock');
    });
  });
});
