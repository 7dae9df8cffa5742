import { JwtService } from '@nestjs/jwt';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadConfig } from '../../src/infrastructure/config';
import { signHs256, actorClaims } from '../reliability/support/jwt';
import { builtMain, SERVICE_SECRET, startService } from '../reliability/support/service';
import { registration, SECRET, startHarness, type Harness } from '../support/harness';

/** Issue 11 §6: the HTTP layer's hardening, one describe per item. */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const nowSeconds = () => Math.floor(Date.now() / 1000);

async function registeredProject(h: Harness, dept = 'D01', headers: Record<string, string> = {}) {
  const unit = h.token('CONSTRUCTION_UNIT', dept);
  const body = registration(dept);
  const answer = await h.request('POST', '/projects', { token: unit, body, headers });
  expect(answer.status).toBe(201);
  return { id: body.projectId, unit, answer };
}

function expectInvalidField(answer: { status: number; body: any }, field: string) {
  expect(answer.status).toBe(400);
  expect(answer.body).toMatchObject({ code: 'VALIDATION_FAILED' });
  expect(answer.body.errors.map((e: { field: string }) => e.field)).toContain(field);
}

describe('hardening of the HTTP layer (issue 11)', () => {
  let h: Harness;
  let office: string;
  let audit: string;
  beforeAll(async () => {
    h = await startHarness();
    office = h.token('OFFICE');
    audit = h.token('AUDIT');
  });
  afterAll(() => h.close());

  describe('instants: what cannot be parsed is refused, never a filter switched off', () => {
    it.each([
      '2026-W01',
      '2026-W01-1',
      '2026-336',
      '2026-05-01T00:00:00',
      '2026-02-30T00:00:00Z',
      '2026-05-01T24:00:00Z',
      '2026-05-01T00:00:00+25:00',
      '20260501T000000Z',
      '2026-05',
    ])('asOf, from, to and the test clock refuse %s naming the field', async (value) => {
      const { id } = await registeredProject(h);
      const q = encodeURIComponent(value);
      expectInvalidField(await h.request('GET', `/projects/${id}/state?asOf=${q}`, { token: audit }), 'asOf');
      expectInvalidField(await h.request('GET', `/audit/events?from=${q}`, { token: audit }), 'from');
      expectInvalidField(await h.request('GET', `/audit/events?to=${q}`, { token: audit }), 'to');
      expectInvalidField(await h.request('GET', `/audit/export?format=jsonl&to=${q}`, { token: audit }), 'to');
      expectInvalidField(await h.request('PUT', '/admin/test-clock', { token: office, body: { now: value } }), 'now');
    });

    it('a plain day means 00:00 Ordos time (UTC+8)', async () => {
      // Registered at 2026-04-01T17:00Z, i.e. 2026-04-02 01:00 in Ordos: "as of 2026-04-02" is
      // Ordos midnight (04-01T16:00Z), before it; read as UTC midnight it would be after it.
      h.clock.set(new Date('2026-04-01T17:00:00Z')); // 2026-04-02 01:00 Ordos
      const { id } = await registeredProject(h);
      h.clock.set(new Date('2026-03-02T02:00:00.000Z'));
      const atOrdosMidnight = await h.request('GET', `/projects/${id}/state?asOf=2026-04-02`, { token: audit });
      expect(atOrdosMidnight.status).toBe(404); // 04-01T16:00Z: not yet registered
      const nextDay = await h.request('GET', `/projects/${id}/state?asOf=2026-04-03`, { token: audit });
      expect(nextDay.status).toBe(200);
      expect(nextDay.body.asOf).toBe('2026-04-03T00:00:00+08:00');
      const events = await h.request('GET', `/audit/events?from=2026-04-02&to=2026-04-03`, { token: audit });
      expect(events.status).toBe(200);
      expect(events.body.items.map((e: { streamId: string }) => e.streamId)).toContain(`project-${id}`);
      const before = await h.request('GET', `/audit/events?to=2026-04-02&from=2026-04-01`, { token: audit });
      expect(before.body.items.map((e: { streamId: string }) => e.streamId)).not.toContain(`project-${id}`);
    });

    it('accepts RFC 3339 instants with Z, an offset and fractions', async () => {
      const { id } = await registeredProject(h);
      for (const value of [
        '2026-03-03T02:00:00Z',
        '2026-03-03T10:00:00.123+08:00',
        '2026-03-02T21:00:00-05:00',
        '2026-03-03t02:00:00z',
      ]) {
        expect(
          (await h.request('GET', `/projects/${id}/state?asOf=${encodeURIComponent(value)}`, { token: audit })).status,
        ).toBe(200);
      }
      const set = await h.request('PUT', '/admin/test-clock', { token: office, body: { now: '2026-03-02' } });
      expect(set.status).toBe(200);
      expect(set.body.now).toBe('2026-03-01T16:00:00.000Z');
      h.clock.set(new Date('2026-03-02T02:00:00.000Z'));
    });
  });

  describe('tokens must expire, within the allowed lifetime, and not be issued in the future', () => {
    const get = (token: string) => h.request('GET', '/projects', { token });
    const office = (claims: Record<string, unknown>) => signHs256({ ...actorClaims('OFFICE'), ...claims }, SECRET);

    it('refuses a token without exp', async () => {
      expect((await get(office({}))).status).toBe(401);
      expect((await get(new JwtService({ secret: SECRET }).sign(actorClaims('OFFICE')))).status).toBe(401);
    });
    it('refuses a token issued in the future beyond 60 s of skew, accepts small skew', async () => {
      expect((await get(office({ iat: nowSeconds() + 300, exp: nowSeconds() + 900 }))).status).toBe(401);
      expect((await get(office({ iat: nowSeconds() + 30, exp: nowSeconds() + 900 }))).status).toBe(200);
    });
    it('refuses a lifetime over TOKEN_MAX_LIFETIME_SECONDS (12 h): exp − iat, or exp − now without iat', async () => {
      expect((await get(office({ exp: nowSeconds() + 12 * 3600 + 120 }))).status).toBe(401);
      expect((await get(office({ iat: nowSeconds() - 3600, exp: nowSeconds() + 12 * 3600 - 1800 }))).status).toBe(401);
      expect((await get(office({ exp: nowSeconds() + 12 * 3600 }))).status).toBe(200);
    });
    it('refuses a token whose exp passed more than 60 s ago, forgives less', async () => {
      expect((await get(office({ iat: nowSeconds() - 600, exp: nowSeconds() - 120 }))).status).toBe(401);
      expect((await get(office({ iat: nowSeconds() - 600, exp: nowSeconds() - 10 }))).status).toBe(200);
    });
    it('TOKEN_MAX_LIFETIME_SECONDS is configurable', async () => {
      const short = await startHarness({ env: { TOKEN_MAX_LIFETIME_SECONDS: '600' } });
      try {
        expect((await short.request('GET', '/projects', { token: office({ exp: nowSeconds() + 3600 }) })).status).toBe(
          401,
        );
        expect((await short.request('GET', '/projects', { token: office({ exp: nowSeconds() + 500 }) })).status).toBe(
          200,
        );
      } finally {
        await short.close();
      }
      expect(() => loadConfig({ NODE_ENV: 'test', TOKEN_MAX_LIFETIME_SECONDS: 'forever' })).toThrow(
        /TOKEN_MAX_LIFETIME_SECONDS/,
      );
    });
  });

  describe('development conveniences stay on loopback', () => {
    it('binds to 127.0.0.1 on the development secret unless HOST says otherwise', () => {
      expect(loadConfig({}).host).toBe('127.0.0.1');
      expect(loadConfig({ NODE_ENV: 'development' }).host).toBe('127.0.0.1');
      expect(loadConfig({ NODE_ENV: 'development', HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
      expect(loadConfig({ NODE_ENV: 'development', JWT_SECRET: SECRET }).host).toBe('0.0.0.0');
      expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET }).host).toBe('0.0.0.0');
    });

    async function devIdentities(env: Record<string, string>, remoteAddress: string) {
      const previous = process.env.DEV_IDENTITIES;
      process.env.DEV_IDENTITIES = '1';
      const dev = await startHarness({ env });
      try {
        const answer = await dev.app.inject({ method: 'GET', url: '/dev/identities', remoteAddress });
        const info = await dev.app.inject({ method: 'GET', url: '/meta/info', remoteAddress });
        return { status: answer.statusCode, body: answer.json(), info: info.json() };
      } finally {
        await dev.close();
        if (previous === undefined) delete process.env.DEV_IDENTITIES;
        else process.env.DEV_IDENTITIES = previous;
      }
    }

    it('/dev/identities answers loopback clients only, unless DEV_IDENTITIES_REMOTE=1', async () => {
      const local = await devIdentities({}, '127.0.0.1');
      expect(local.status).toBe(200);
      expect(local.info.devIdentities).toBe(true);
      expect((await devIdentities({}, '::1')).status).toBe(200);
      const remote = await devIdentities({}, '10.1.2.3');
      expect(remote.status).toBe(404);
      expect(JSON.stringify(remote.body)).not.toMatch(/eyJ/);
      expect(remote.info.devIdentities).toBe(false);
      expect((await devIdentities({}, '::ffff:192.168.1.5')).status).toBe(404);
      expect((await devIdentities({ DEV_IDENTITIES_REMOTE: '1' }, '10.1.2.3')).status).toBe(200);
    });

    it('development identities carry exp within the accepted lifetime', async () => {
      const { body } = await devIdentities({ TOKEN_MAX_LIFETIME_SECONDS: '3600' }, '127.0.0.1');
      const jwt = new JwtService({ secret: SECRET });
      for (const identity of body.identities) {
        const { iat, exp } = jwt.decode(identity.token);
        expect(typeof exp).toBe('number');
        expect(exp - iat).toBeLessThanOrEqual(3600);
      }
    });
  });

  describe('x-correlation-id never reaches the permanent chain unchecked', () => {
    it('replaces a hostile one with a fresh UUID for correlationId, causationId and the echoed id', async () => {
      const hostile = `<script>alert(1)</script>${'<b>x</b>'.repeat(1000)}`;
      const { id, answer } = await registeredProject(h, 'D01', { 'x-correlation-id': hostile });
      expect(String(answer.headers['x-correlation-id'])).toMatch(UUID);
      const history = await h.request('GET', `/projects/${id}/history`, { token: audit });
      const [event] = history.body.events;
      expect(event.metadata.correlationId).toMatch(UUID);
      expect(event.metadata.causationId).toMatch(UUID);
      expect(event.metadata.causationId).toBe(answer.headers['x-correlation-id']);
      expect(JSON.stringify(history.body)).not.toContain('<script>');
    });

    it.each([['x'.repeat(201)], ['a b'], ['abc\u00e9'], ['a/b']])('refuses %j', async (value) => {
      const { id } = await registeredProject(h, 'D01', { 'x-correlation-id': value });
      const [event] = (await h.request('GET', `/projects/${id}/history`, { token: audit })).body.events;
      expect(event.metadata.correlationId).toMatch(UUID);
      expect(event.metadata.causationId).toMatch(UUID);
    });

    it('keeps a well-formed one for both', async () => {
      const { id, answer } = await registeredProject(h, 'D01', { 'x-correlation-id': 'client-42:retry.1_x' });
      expect(answer.headers['x-correlation-id']).toBe('client-42:retry.1_x');
      const [event] = (await h.request('GET', `/projects/${id}/history`, { token: audit })).body.events;
      expect(event.metadata).toMatchObject({
        correlationId: 'client-42:retry.1_x',
        causationId: 'client-42:retry.1_x',
      });
    });
  });

  describe('Cache-Control: no-store on every API answer', () => {
    it('JSON, problem+json, 404, exports; the dashboard keeps its own', async () => {
      const { id } = await registeredProject(h);
      const answers = [
        await h.request('GET', '/projects', { token: office }),
        await h.request('GET', `/projects/${id}`, { token: office }),
        await h.request('GET', '/projects'),
        await h.request('POST', `/projects/${id}/approve-proposal`, { token: office, body: { opinion: 'x' } }),
        await h.request('GET', '/no-such-route', { token: office }),
        await h.request('GET', '/audit/export?format=csv', { token: audit }),
        await h.request('GET', '/audit/export?format=jsonl', { token: audit }),
        await h.request('GET', '/meta/info'),
      ];
      for (const answer of answers) expect(answer.headers['cache-control']).toBe('no-store');
      expect((await h.request('GET', '/health')).headers['cache-control']).toMatch(/no-store/); // terminus sets its own
      expect((await h.request('GET', '/')).headers['cache-control']).toBe('no-cache');
      expect((await h.request('GET', `/project/${id}`)).headers['cache-control']).toBe('no-cache');
    });
  });
});

describe('on the wire (issue 11): timeouts and the token before the body', () => {
  let h: Harness;
  let port: number;
  beforeAll(async () => {
    h = await startHarness({ env: { REQUEST_TIMEOUT_MS: '1000' } });
    await h.app.listen(0, '127.0.0.1');
    port = (h.app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(() => h.close());

  /** Sends the head of a request, then `body` one byte every `everyMs`; resolves with what came back and when. */
  function trickle(head: string, body: string, everyMs: number, giveUpMs: number) {
    return new Promise<{ answer: string; closedAfterMs: number | null; firstByteAfterMs: number | null }>(
      (resolve, reject) => {
        const started = Date.now();
        let answer = '';
        let firstByteAfterMs: number | null = null;
        let timer: NodeJS.Timeout | undefined;
        const socket: Socket = connect(port, '127.0.0.1', () => {
          socket.write(head);
          let i = 0;
          timer = setInterval(() => {
            if (i < body.length && socket.writable) socket.write(body[i++]);
          }, everyMs);
        });
        const giveUp = setTimeout(() => finish(null), giveUpMs);
        const finish = (closedAfterMs: number | null) => {
          clearInterval(timer);
          clearTimeout(giveUp);
          socket.destroy();
          resolve({ answer, closedAfterMs, firstByteAfterMs });
        };
        socket.on('data', (chunk) => {
          firstByteAfterMs ??= Date.now() - started;
          answer += chunk.toString('utf8');
        });
        socket.on('close', () => finish(Date.now() - started));
        socket.on('error', (error: NodeJS.ErrnoException) =>
          error.code === 'ECONNRESET' || error.code === 'EPIPE' ? undefined : reject(error),
        );
      },
    );
  }

  const head = (authorization?: string, length = 100_000) =>
    'POST /projects HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n' +
    `Content-Length: ${length}\r\n` +
    `${authorization ? `Authorization: ${authorization}\r\n` : ''}\r\n`;

  it('answers 401 problem+json before reading the body when there is no valid token', async () => {
    for (const authorization of [
      undefined,
      'Bearer not.a.token',
      `Bearer ${signHs256(actorClaims('OFFICE'), SECRET)}`,
    ]) {
      const { answer, firstByteAfterMs } = await trickle(head(authorization), '{"name":', 200, 3000);
      expect(answer).toMatch(/^HTTP\/1\.1 401 /);
      expect(answer).toContain('application/problem+json');
      expect(answer.toLowerCase()).toContain('cache-control: no-store');
      expect(firstByteAfterMs).not.toBeNull();
      expect(firstByteAfterMs!).toBeLessThan(900); // not waiting for the body, nor for the timeout
    }
  });

  it('cuts off a body trickled byte by byte after REQUEST_TIMEOUT_MS (408), and keeps serving', async () => {
    const { answer, closedAfterMs } = await trickle(
      head(`Bearer ${h.token('CONSTRUCTION_UNIT', 'D01')}`, 10_000),
      JSON.stringify(registration('D01')),
      50,
      8000,
    );
    expect(closedAfterMs).not.toBeNull();
    expect(closedAfterMs!).toBeLessThan(4000);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer).toContain('REQUEST_TIMEOUT');
    expect((await h.request('GET', '/health')).status).toBe(200);
  });

  it('an unknown route keeps its 404, and a GET is not authenticated before routing', async () => {
    const unknown = await fetch(`http://127.0.0.1:${port}/no-such-route`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(unknown.status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${port}/meta/info`)).status).toBe(200);
  });

  it('a request with a valid token and a whole body still goes through', async () => {
    const body = JSON.stringify(registration('D01'));
    const response = await fetch(`http://127.0.0.1:${port}/projects`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${h.token('CONSTRUCTION_UNIT', 'D01')}` },
      body,
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });
});

describe('npm run token (issue 11): every minted token expires within the accepted lifetime', () => {
  let tokenJs: string;
  beforeAll(() => {
    tokenJs = join(dirname(builtMain()), 'cli', 'token.js');
  }, 120_000);
  const env = (extra: Record<string, string> = {}) => ({
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'test',
    JWT_SECRET: SECRET,
    ...extra,
  });

  it('signs with exp = TOKEN_MAX_LIFETIME_SECONDS by default and refuses a longer --expires', () => {
    const token = execFileSync(process.execPath, [tokenJs, '--role', 'OFFICE'], { env: env() }).toString().trim();
    const { iat, exp } = new JwtService({ secret: SECRET }).verify(token);
    expect(exp - iat).toBe(12 * 3600);
    const short = execFileSync(process.execPath, [tokenJs, '--role', 'AUDIT'], {
      env: env({ TOKEN_MAX_LIFETIME_SECONDS: '600' }),
    })
      .toString()
      .trim();
    const claims = new JwtService({ secret: SECRET }).verify(short);
    expect(claims.exp - claims.iat).toBe(600);
    const tooLong = spawnSync(process.execPath, [tokenJs, '--role', 'OFFICE', '--expires', '30d'], { env: env() });
    expect(tooLong.status).toBe(2);
    expect(tooLong.stdout.toString()).toBe('');
    expect(tooLong.stderr.toString()).toMatch(/TOKEN_MAX_LIFETIME_SECONDS/);
  });
});

describe('logs of the built service (issue 11): expected refusals without stacks, ids checked', () => {
  it(
    '60 READ_MODEL_BEHIND refusals: no error line, no stack trace, at most one warn; ' +
      'a hostile x-correlation-id is not logged',
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'ordos-logs-'));
      const service = await startService({ dataDir, env: { LOG_LEVEL: 'info' } });
      try {
        const unit = signHs256({ ...actorClaims('CONSTRUCTION_UNIT', 'D01'), exp: nowSeconds() + 600 }, SERVICE_SECRET);
        const body = registration('D01');
        const hostile = `<img src=x onerror=alert(1)>${'z'.repeat(300)}`;
        expect(
          (await service.request('POST', '/projects', { token: unit, body, headers: { 'x-correlation-id': hostile } }))
            .status,
        ).toBe(201);
        for (let i = 0; i < 60; i++) {
          const answer = await service.request('GET', `/projects/${body.projectId}?minRevision=50&wait=1`, {
            token: unit,
          });
          expect(answer.status).toBe(503);
          expect(answer.body.code).toBe('READ_MODEL_BEHIND');
        }
        await new Promise((resolve) => setTimeout(resolve, 300));
        const lines = service
          .stdout()
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line));
        expect(lines.filter((l) => l.level >= 50)).toEqual([]);
        expect(lines.filter((l) => JSON.stringify(l).includes('"stack"'))).toEqual([]);
        expect(lines.filter((l) => /READ_MODEL_BEHIND/.test(l.msg ?? '')).length).toBeLessThanOrEqual(1);
        expect(service.stdout()).not.toContain('onerror');
        const ids = lines.map((l) => l.req?.id).filter(Boolean);
        expect(ids.length).toBeGreaterThan(0);
        for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9._:-]{1,200}$/);
      } finally {
        await service.kill();
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
    120_000,
  );
});
