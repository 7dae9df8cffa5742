import { JwtService } from '@nestjs/jwt';
import { SECRET, startHarness, type Harness } from '../support/harness';
import { driveTo, expectProblem, readProject } from '../support/fixtures';

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('errors over HTTP: 401 exactly, problem+json, Idempotency-Key', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  const claims = { sub: 'u1', name: '用户', role: 'OFFICE' };
  /** Signed with the server's secret and an hour's exp, as every accepted token must have. */
  const sign = (payload: object, options: Record<string, unknown> = {}) =>
    new JwtService({ secret: SECRET }).sign(payload, { expiresIn: '1h', ...options });

  describe('401 for every way a token can be wrong, on a command and on a query', () => {
    const tokens: Array<[string, () => string | undefined, string?]> = [
      ['no token', () => undefined],
      [
        'a bad signature',
        () => new JwtService({ secret: 'another-secret-0123456789-0123456789' }).sign(claims, { expiresIn: '1h' }),
      ],
      [
        'an expired token',
        () => new JwtService({ secret: SECRET }).sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 60 }),
      ],
      [
        'alg none',
        () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, iat: Math.floor(Date.now() / 1000) })}.`,
      ],
      ['HS512 instead of HS256', () => sign(claims, { algorithm: 'HS512' })],
      ['an unknown role', () => sign({ ...claims, role: 'ADMIN' })],
      ['the SYSTEM role (not a person)', () => sign({ ...claims, role: 'SYSTEM' })],
      ['no sub', () => sign({ name: 'x', role: 'OFFICE' })],
      ['a construction unit without department', () => sign({ ...claims, role: 'CONSTRUCTION_UNIT' })],
      ['garbage', () => 'not.a.jwt'],
    ];
    it.each(tokens)('%s', async (_label, make) => {
      const p = await driveTo(h, 'PROPOSAL_SUBMITTED');
      const token = make();
      const command = await h.request('POST', `/projects/${p.id}/approve-proposal`, {
        token,
        body: { opinion: '同意' },
      });
      expectProblem(command, 401, 'UNAUTHENTICATED');
      const query = await h.request('GET', `/projects/${p.id}`, { token });
      expectProblem(query, 401, 'UNAUTHENTICATED');
      expect((await readProject(h, p)).revision).toBe(p.revision);
    });

    it('a non-Bearer scheme', async () => {
      const response = await h.request('GET', '/projects', {
        headers: { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` },
      });
      expectProblem(response, 401, 'UNAUTHENTICATED');
    });

    it('a valid token signed with the server secret is accepted', async () => {
      const response = await h.request('GET', '/projects', { token: sign(claims) });
      expect(response.status).toBe(200);
    });
  });

  it('malformed JSON is a 400 problem, never a stack trace', async () => {
    const p = await driveTo(h, 'DRAFT_PLAN');
    const response = await h.request('POST', `/projects/${p.id}/submit-proposal`, {
      token: h.token('CONSTRUCTION_UNIT', p.dept),
      body: '{"documentRef": ',
    });
    expectProblem(response, 400, 'BAD_REQUEST');
  });

  it('a JSON array or a string as the body is a 400', async () => {
    const p = await driveTo(h, 'DRAFT_PLAN');
    for (const body of ['[1,2]', '"text"']) {
      const response = await h.request('POST', `/projects/${p.id}/submit-proposal`, {
        token: h.token('CONSTRUCTION_UNIT', p.dept),
        body,
      });
      expect(response.status).toBe(400);
      expect(String(response.headers['content-type'])).toContain('application/problem+json');
    }
  });

  it('expectedRevision must be an integer', async () => {
    const p = await driveTo(h, 'DRAFT_PLAN');
    const response = await h.request('POST', `/projects/${p.id}/submit-proposal`, {
      token: h.token('CONSTRUCTION_UNIT', p.dept),
      body: { documentRef: 'x', expectedRevision: 'zero' },
    });
    expectProblem(response, 400, 'VALIDATION_FAILED');
    expect(response.body.errors.map((e: { field: string }) => e.field)).toEqual(['expectedRevision']);
  });

  it('a registration with several bad fields names every one, with codes and Chinese wording', async () => {
    const response = await h.request('POST', '/projects', {
      token: h.token('CONSTRUCTION_UNIT', 'dept-a'),
      body: { name: '   ', category: 'NOPE', planYear: 1800, estimateFen: 0 },
    });
    expectProblem(response, 400, 'VALIDATION_FAILED');
    const errors = response.body.errors as Array<{
      field: string;
      problems: string[];
      codes: string[];
      problemsZh: string[];
    }>;
    const fields = errors.map((e) => e.field);
    for (const f of ['name', 'category', 'planYear', 'estimateFen']) expect(fields).toContain(f);
    for (const e of errors) {
      expect(e.codes).toHaveLength(e.problems.length);
      expect(e.problemsZh).toHaveLength(e.problems.length);
      for (const zh of e.problemsZh) expect(zh).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(errors.find((e) => e.field === 'planYear')?.problemsZh).toContain('不能小于 2000');
  });

  it('an unknown route is a 404 problem', async () => {
    const p = await driveTo(h, 'DRAFT_PLAN');
    const response = await h.request('POST', `/projects/${p.id}/fly-to-the-moon`, {
      token: h.token('OFFICE'),
      body: {},
    });
    expect(response.status).toBe(404);
    expect(String(response.headers['content-type'])).toContain('application/problem+json');
  });

  describe('Idempotency-Key', () => {
    it('same key and body: the first answer again, nothing appended', async () => {
      const p = await driveTo(h, 'PROPOSAL_SUBMITTED');
      const send = () =>
        h.request('POST', `/projects/${p.id}/approve-proposal`, {
          token: h.token('OFFICE'),
          body: { opinion: '同意' },
          headers: { 'idempotency-key': 'approve-1' },
        });
      const first = await send();
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ projectId: p.id, revision: p.revision + 1, events: ['ProposalApproved'] });
      const second = await send();
      expect(second.status).toBe(200);
      expect(second.body).toEqual(first.body);
      const doc = await readProject(h, p, first.body.revision);
      expect(doc.revision).toBe(first.body.revision);
      expect(doc.eventCount).toBe(first.body.revision + 1);
      // without the key the same command is decided again and refused: the stage is approved
      const again = await h.request('POST', `/projects/${p.id}/approve-proposal`, {
        token: h.token('OFFICE'),
        body: { opinion: '同意' },
      });
      expectProblem(again, 409, 'INVALID_STATE');
    });

    it('same key on register answers 201 again with the same projectId', async () => {
      const { registration } = await import('../support/harness');
      const body = registration('IDEM');
      const send = () =>
        h.request('POST', '/projects', {
          token: h.token('CONSTRUCTION_UNIT', 'IDEM'),
          body,
          headers: { 'idempotency-key': 'register-1' },
        });
      const first = await send();
      const second = await send();
      expect([first.status, second.status]).toEqual([201, 201]);
      expect(second.body).toEqual(first.body);
    });

    it('same key with another body: 422 IDEMPOTENCY_KEY_REUSED, nothing appended', async () => {
      const p = await driveTo(h, 'DRAFT_PLAN');
      const token = h.token('CONSTRUCTION_UNIT', p.dept);
      const first = await h.request('POST', `/projects/${p.id}/submit-proposal`, {
        token,
        body: { documentRef: 'A' },
        headers: { 'idempotency-key': 'k-2' },
      });
      expect(first.status).toBe(200);
      const other = await h.request('POST', `/projects/${p.id}/submit-proposal`, {
        token,
        body: { documentRef: 'B' },
        headers: { 'idempotency-key': 'k-2' },
      });
      expectProblem(other, 422, 'IDEMPOTENCY_KEY_REUSED');
      expect((await readProject(h, p, first.body.revision)).revision).toBe(first.body.revision);
    });

    it('keys are scoped per user: another user with the same key is a new request', async () => {
      const p = await driveTo(h, 'DRAFT_PLAN');
      const a = await h.request('POST', `/projects/${p.id}/criticize`, {
        token: h.token('OFFICE', undefined, 'office-a'),
        body: { reason: '一', basis: { violation: 'WASTE' } },
        headers: { 'idempotency-key': 'shared' },
      });
      const b = await h.request('POST', `/projects/${p.id}/criticize`, {
        token: h.token('OFFICE', undefined, 'office-b'),
        body: { reason: '一', basis: { violation: 'WASTE' } },
        headers: { 'idempotency-key': 'shared' },
      });
      expect([a.status, b.status]).toEqual([200, 200]);
      expect(b.body.revision).toBe(a.body.revision + 1);
    });

    it('a refused command with a key is refused again the same way (not recorded as a success)', async () => {
      const p = await driveTo(h, 'DRAFT_PLAN');
      const send = () =>
        h.request('POST', `/projects/${p.id}/approve-proposal`, {
          token: h.token('OFFICE'),
          body: { opinion: '同意' },
          headers: { 'idempotency-key': 'refused-1' },
        });
      expectProblem(await send(), 409, 'INVALID_STATE');
      expectProblem(await send(), 409, 'INVALID_STATE');
    });

    it('an invalid key is a 400', async () => {
      const p = await driveTo(h, 'DRAFT_PLAN');
      const response = await h.request('POST', `/projects/${p.id}/criticize`, {
        token: h.token('OFFICE'),
        body: { reason: 'x', basis: { violation: 'WASTE' } },
        headers: { 'idempotency-key': 'has spaces and 中文' },
      });
      expectProblem(response, 400, 'VALIDATION_FAILED');
    });
  });

  it('concurrent commands without expectedRevision are retried on conflict, each gets its own revision', async () => {
    // The handler retries a conflicting append 3 times, so 4 concurrent writers always succeed.
    const p = await driveTo(h, 'DRAFT_PLAN');
    const results = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        h.request('POST', `/projects/${p.id}/criticize`, {
          token: h.token('OFFICE'),
          body: { reason: `第${i}次`, basis: { violation: 'WASTE' } },
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(results.map((r) => r.body.revision).sort()).toEqual([1, 2, 3, 4]);
    expect((await readProject(h, p, 4)).sanctions.criticisms).toBe(4);
  });
});
