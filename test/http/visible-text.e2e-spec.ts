/**
 * Required text has a visible character (issue 13): every text field of every request body the
 * OpenAPI document describes — found from the document itself, so a route added later is covered —
 * answers 400 VALIDATION_FAILED naming the field when it holds only whitespace, zero-width or
 * control characters; the decision is never reached and nothing is stored.
 */
import { randomUUID } from 'node:crypto';
import { COMMAND_CATALOGUE, type Role } from '../../src/domain';
import { commandOf } from '../../src/http/openapi';
import { EXAMPLE_DEPARTMENT, REQUEST_EXAMPLES } from '../../src/http/openapi-examples';
import { driveTo, expectProblem, frameworkBody, invalidFields, readProject, type Project } from '../support/fixtures';
import { registration, startHarness, type Harness } from '../support/harness';

type Schema = Record<string, any>;
interface TextField {
  path: string[];
  list: boolean;
}

const BLANKS = [' ', '\u200b', '\ufeff', '\u3000\t\n', '\u0007\u0000', '\u200b \u200d\u2060\ufeff', '\u3164'];

describe('required text has a visible character (400 VALIDATION_FAILED naming the field)', () => {
  let h: Harness;
  let doc: { paths: Record<string, Record<string, any>>; components: { schemas: Record<string, Schema> } };
  let project: Project;
  let frameworkId: string;
  beforeAll(async () => {
    h = await startHarness();
    doc = (await h.request('GET', '/docs-json')).body;
    project = await driveTo(h, 'DRAFT_PLAN', { dept: EXAMPLE_DEPARTMENT });
    // 第七条 a framework EXAMPLE_DEPARTMENT takes part in, for the /frameworks/{id} routes.
    const framework = frameworkBody([EXAMPLE_DEPARTMENT]);
    const filed = await h.request('POST', '/frameworks', {
      token: h.token('CONSTRUCTION_UNIT', 'VT-LEAD'),
      body: framework,
    });
    expect(filed.status).toBe(201);
    frameworkId = framework.frameworkId;
  });
  afterAll(async () => {
    await h.close();
  });

  const refOf = (s: Schema | undefined): string | undefined =>
    (s?.$ref ?? s?.allOf?.find((x: Schema) => x.$ref)?.$ref)?.split('/').pop();

  /** Text and TextList fields: strings (and lists of strings) without a format or an enum. */
  function textFields(schemaName: string, prefix: string[] = []): TextField[] {
    const properties: Record<string, Schema> = doc.components.schemas[schemaName]?.properties ?? {};
    return Object.entries(properties).flatMap(([name, p]): TextField[] => {
      const nested = refOf(p);
      if (nested) return textFields(nested, [...prefix, name]);
      const plain = (s: Schema) => s?.type === 'string' && !s.format && !s.enum;
      if (plain(p) && p.maxLength !== undefined) return [{ path: [...prefix, name], list: false }];
      if (p.type === 'array' && plain(p.items)) return [{ path: [...prefix, name], list: true }];
      return [];
    });
  }

  function bodies(): Array<{
    key: string;
    method: string;
    path: string;
    body: Record<string, unknown>;
    field: TextField;
  }> {
    return Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method, op]) => ['post', 'put', 'patch'].includes(method) && op.requestBody)
        .flatMap(([method, op]) => {
          const ref = refOf(op.requestBody.content['application/json']?.schema);
          if (!ref) return [];
          const key = `${method.toUpperCase()} ${path}`;
          const example = (REQUEST_EXAMPLES[key] ?? op.requestBody.content['application/json'].example ?? {}) as Record<
            string,
            unknown
          >;
          return textFields(ref).map((field) => ({ key, method, path, body: example, field }));
        }),
    );
  }

  function withValue(body: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
    const copy = structuredClone(body);
    let at: Record<string, unknown> = copy;
    for (const name of path.slice(0, -1)) {
      if (typeof at[name] !== 'object' || at[name] === null) at[name] = {};
      at = at[name] as Record<string, unknown>;
    }
    at[path[path.length - 1]] = value;
    return copy;
  }

  function tokenFor(method: string, path: string): string {
    const type = commandOf(method, path);
    const role: Role = type ? COMMAND_CATALOGUE[type].roles[0] : 'OFFICE';
    return h.token(role, role === 'CONSTRUCTION_UNIT' ? EXAMPLE_DEPARTMENT : undefined);
  }

  it('the document has text fields to check on every command route that takes text', () => {
    const keys = new Set(bodies().map((b) => b.key));
    for (const key of ['POST /projects', 'POST /projects/{id}/approve-proposal', 'POST /annual-plans/{year}/adopt'])
      expect(keys).toContain(key);
    // 60 text fields when this was written (optional ones like supervisionOpinion and materials.* included)
    expect(bodies().length).toBeGreaterThanOrEqual(60);
  });

  it('every text field of every route refuses text with no visible character', async () => {
    const failures: unknown[] = [];
    let n = 0;
    for (const { key, method, path, body, field } of bodies()) {
      const blank = BLANKS[n++ % BLANKS.length];
      const id = path.startsWith('/frameworks/') ? frameworkId : project.id;
      const url = path.replace('{year}', '2026').replace(/\{\w+\}/g, id);
      const sent = withValue(body, field.path, field.list ? ['第一项', blank] : blank);
      if (key === 'POST /projects') sent.projectId = randomUUID();
      const answer = await h.request(method.toUpperCase(), url, { token: tokenFor(method, path), body: sent });
      const name = field.path.join('.');
      const ok =
        answer.status === 400 && answer.body?.code === 'VALIDATION_FAILED' && invalidFields(answer).includes(name);
      if (!ok) failures.push({ key, field: name, blank, status: answer.status, body: answer.body });
    }
    expect(failures).toEqual([]);
    expect((await readProject(h, project)).revision).toBe(project.revision);
  });

  it.each(BLANKS.map((b) => [JSON.stringify(b), b]))('POST /projects name %s: 400 naming name', async (_, blank) => {
    const answer = await h.request('POST', '/projects', {
      token: h.token('CONSTRUCTION_UNIT', 'VT1'),
      body: registration('VT1', { name: blank }),
    });
    expectProblem(answer, 400, 'VALIDATION_FAILED');
    expect(invalidFields(answer)).toEqual(['name']);
  });

  it('visible text among invisible characters is text', async () => {
    const p = await driveTo(h, 'PROPOSAL_SUBMITTED');
    const blank = await h.request('POST', `/projects/${p.id}/approve-proposal`, {
      token: h.token('OFFICE'),
      body: { opinion: '\u200b\u200b' },
    });
    expectProblem(blank, 400, 'VALIDATION_FAILED');
    expect(invalidFields(blank)).toEqual(['opinion']);
    const visible = await h.request('POST', `/projects/${p.id}/approve-proposal`, {
      token: h.token('OFFICE'),
      body: { opinion: '\u200b同意\ufeff' },
    });
    expect(visible.status).toBe(200);
    const registered = await h.request('POST', '/projects', {
      token: h.token('CONSTRUCTION_UNIT', 'VT2'),
      body: registration('VT2', { basis: '\ufeff《数字鄂尔多斯建设规划》' }),
    });
    expect(registered.status).toBe(201);
  });
});
