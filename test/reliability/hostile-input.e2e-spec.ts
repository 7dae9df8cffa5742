/**
 * Guarantee 3 — hostile input. fast-check throws random and malformed bodies, headers and query
 * strings at every command route and every GET route of the service: wrong types, huge and
 * negative numbers, NaN strings, deep nesting, 1 MB strings, prototype-pollution keys, lone
 * surrogates, RTL and zero-width characters, wrong content types, garbage tokens. Never a 5xx,
 * never an event stored by a refused request, Object.prototype untouched, memory bounded, and
 * the hash chains still verify afterwards. FUZZ_RUNS (default 12 per route; SOAK=1: 200) sets
 * the depth.
 */
import { connect } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { EVENT_STORE, type EventStore, type StoredEvent } from '../../src/event-store/event-store.port';
import { registration, startHarness, type Harness } from '../support/harness';
import { driveTo, orderRectification, tokenFor, type Project, type Role } from '../support/fixtures';
import { ACCESS_MATRIX, PROJECT_COMMANDS } from './support/access-matrix';
import { builtMain, SERVICE_SECRET, startService } from './support/service';
import { actorClaims, signHs256 } from './support/jwt';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request as httpRequest } from 'node:http';

const RUNS = Number(process.env.FUZZ_RUNS ?? (process.env.SOAK === '1' ? 200 : 12));
jest.setTimeout(180_000);

// --- hostile values -------------------------------------------------------------------------

const NASTY_STRINGS = [
  '',
  ' ',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e309',
  '-1',
  '0x10',
  '１２３',
  '\u0000',
  '\uD800',
  '\uDFFF',
  'a\uD800b\uDC00\uDC00',
  '\u202Eevil\u202C',
  '\u200B',
  '\u200D\u200D',
  '\uFEFF',
  '\u0301\u0301\u0301',
  '🏗️👨‍👩‍👧‍👦',
  'ﷺ',
  'مرحبا',
  '<script>alert(1)</script>',
  "'; DROP TABLE events; --",
  '${jndi:ldap://x}',
  '{{7*7}}',
  '../../etc/passwd',
  '%00',
  '\r\nSet-Cookie: x=1',
  'true',
  'null',
  '[]',
  '{}',
  '2026-02-30',
  '2026-13-01',
  '0000-00-00',
  '9999-12-31T99:99:99Z',
  '__proto__',
  'constructor',
  'hasOwnProperty',
];
const hostileString = fc.oneof(
  fc.constantFrom(...NASTY_STRINGS),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('字'.repeat(2001), 'x'.repeat(10_001), 'y'.repeat(200_000)),
);
const hostileNumber = fc.oneof(
  fc.constantFrom(
    Number.MAX_SAFE_INTEGER + 2,
    Number.MAX_VALUE,
    -Number.MAX_VALUE,
    1e21,
    -1,
    -0,
    0,
    0.5,
    2 ** 63,
    -(2 ** 31),
    4_294_967_296,
  ),
  fc.double({ noNaN: false }),
  fc.integer(),
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  hostileNumber,
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(hostileString, hostileNumber), { maxLength: 5 }),
  fc.dictionary(hostileString, hostileString, { maxKeys: 4 }),
  fc.anything({ maxDepth: 4, withNullPrototype: true, withObjectString: true }),
);

/** Raw JSON texts no object literal can produce (duplicate keys, __proto__ as an own key, depth). */
function rawBodies(valid: Record<string, unknown>): string[] {
  const inner = JSON.stringify(valid).slice(1, -1);
  return [
    `{"__proto__":{"role":"OFFICE","isAdmin":true},${inner}}`,
    `{"constructor":{"prototype":{"isAdmin":true}},${inner}}`,
    `{${inner},"prototype":{"isAdmin":true}}`,
    `{${inner},"expectedRevision":"__proto__"}`,
    `{${inner},${inner}}`,
    `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`,
    `${'['.repeat(50_000)}${']'.repeat(50_000)}`,
    `{"n":${'9'.repeat(400)}}`,
    JSON.stringify(valid).slice(0, -3),
    '\uFEFF' + JSON.stringify(valid),
    'null',
    '[]',
    '"string"',
    '12',
    '',
    `{"field":"${'€'.repeat(400_000)}"}`,
  ];
}

interface Target {
  name: string;
  url: string;
  token: string;
  valid: Record<string, unknown>;
}

describe('hostile input (guarantee 3)', () => {
  let h: Harness;
  let store: EventStore;
  let p: Project;
  const targets: Target[] = [];
  const seen = { requests: 0, accepted: 0, byStatus: new Map<number, number>() };

  beforeAll(async () => {
    h = await startHarness({ env: { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_MAX_ATTEMPTS: '1' } });
    store = h.app.get(EVENT_STORE);
    p = await driveTo(h, 'UNDER_CONSTRUCTION', { dept: 'DFUZ' });
    await orderRectification(h, p);
    const tok = (role: Role) => tokenFor(h, role, p.dept);
    for (const spec of PROJECT_COMMANDS) {
      targets.push({
        name: spec.path,
        url: `/projects/${p.id}/${spec.path}`,
        token: tok(spec.roles[0]),
        valid: spec.body(h, p),
      });
    }
    targets.push({ name: 'register', url: '/projects', token: tok('CONSTRUCTION_UNIT'), valid: registration('DFUZ') });
    targets.push({
      name: 'plan include',
      url: '/annual-plans/2070/include',
      token: tok('OFFICE'),
      valid: { projectId: p.id, reviewOpinion: '同意' },
    });
    targets.push({
      name: 'plan adopt',
      url: '/annual-plans/2070/adopt',
      token: tok('LEADING_GROUP'),
      valid: { meetingRef: 'LX' },
    });
    targets.push({
      name: 'plan budget',
      url: '/annual-plans/2070/budget-feedback',
      token: tok('FINANCE'),
      valid: { projectId: p.id, inBudget: true, controlAmountFen: 1 },
    });
    targets.push({
      name: 'subscriptions',
      url: '/subscriptions',
      token: tok('OFFICE'),
      valid: { url: 'http://127.0.0.1:9/x', types: ['AcceptanceOverdue'], secret: 'fuzz-secret-0123456789' },
    });
  });

  afterAll(async () => {
    await h.close();
    const statuses = [...seen.byStatus.entries()]
      .sort()
      .map(([s, n]) => `${s}×${n}`)
      .join(' ');
    process.stdout.write(
      `hostile-input: ${seen.requests} requests (${seen.accepted} accepted as valid); ${statuses}\n`,
    );
  });

  async function fire(
    method: string,
    url: string,
    payload: string | undefined,
    headers: Record<string, string>,
  ): Promise<{ status: number; body: string; type: string }> {
    const before = await store.headPosition();
    const response = await h.app.inject({ method: method as 'POST', url, headers, payload });
    seen.requests++;
    seen.byStatus.set(response.statusCode, (seen.byStatus.get(response.statusCode) ?? 0) + 1);
    const after = await store.headPosition();
    const type = String(response.headers['content-type'] ?? '');
    // Never a 5xx; a refusal is problem+json without internals and stores nothing.
    expect({
      url,
      status: response.statusCode < 500 ? 'ok' : response.statusCode,
      body: response.statusCode < 500 ? '' : response.body.slice(0, 300),
    }).toEqual({ url, status: 'ok', body: '' });
    if (response.statusCode >= 400) {
      expect({ url, stored: after !== before }).toEqual({ url, stored: false });
      if (response.statusCode !== 404) expect(type).toContain('application/problem+json');
      expect(response.body).not.toMatch(/SQLITE_|\.ts:\d+|\.js:\d+|TypeError|RangeError|at Object\./);
    } else {
      seen.accepted++;
    }
    return { status: response.statusCode, body: response.body, type };
  }

  const authJson = (t: Target) => ({ authorization: `Bearer ${t.token}`, 'content-type': 'application/json' });

  it('command routes: one field replaced by a hostile value', async () => {
    for (const t of targets) {
      const fields = Object.keys(t.valid);
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...fields, 'expectedRevision', 'unknownField'),
          hostileValue,
          async (field, value) => {
            const body = { ...t.valid, [field]: value };
            await fire('POST', t.url, JSON.stringify(body) ?? 'null', authJson(t));
          },
        ),
        { numRuns: RUNS },
      );
    }
  });

  it(
    'command routes: random JSON documents and raw texts ' + '(pollution keys, duplicates, 50 000-deep nesting, 1 MB)',
    async () => {
      for (const t of targets) {
        for (const raw of rawBodies(t.valid)) await fire('POST', t.url, raw, authJson(t));
        await fc.assert(
          fc.asyncProperty(fc.anything({ maxDepth: 6, withNullPrototype: true, withBigInt: false }), async (doc) => {
            await fire('POST', t.url, JSON.stringify(doc) ?? '"undefined"', authJson(t));
          }),
          { numRuns: RUNS },
        );
      }
      expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
      expect(({} as Record<string, unknown>).role).toBeUndefined();
    },
  );

  it('command routes: wrong content types and hostile headers', async () => {
    const contentTypes = [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/json; charset=utf-16',
      'application/xml',
      'application/json, text/plain',
      '',
      'application/problem+json',
    ];
    for (const t of targets) {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...contentTypes),
          fc.record({
            authorization: fc.oneof(
              fc.constant(`Bearer ${t.token}`),
              fc.constantFrom(
                'Bearer',
                'Bearer ',
                'Basic YWRtaW46YWRtaW4=',
                `Bearer ${t.token}x`,
                `bearer ${t.token}`,
                `Bearer ${t.token} ${t.token}`,
                `Bearer ${'a'.repeat(9000)}.${'b'.repeat(9000)}.c`,
              ),
              fc.string({ maxLength: 60 }).map((s) => `Bearer ${s.replace(/[^\x20-\x7e]/g, '')}`),
            ),
            'idempotency-key': fc.oneof(
              fc.constantFrom('ok-key', '', ' ', 'a'.repeat(201), '../../x', 'k\u00e9'),
              fc.string({ maxLength: 30 }).map((s) => s.replace(/[^\x20-\x7e]/g, '')),
            ),
            'x-correlation-id': fc.oneof(fc.constantFrom('<script>', 'c'.repeat(500), ''), fc.uuid()),
          }),
          async (contentType, headers) => {
            const hs: Record<string, string> = { ...headers };
            if (contentType) hs['content-type'] = contentType;
            if (hs['idempotency-key'] === '') delete hs['idempotency-key'];
            await fire('POST', t.url, JSON.stringify(t.valid), hs);
          },
        ),
        { numRuns: RUNS },
      );
    }
  });

  it('GET routes: hostile query strings and path parameters', async () => {
    const gets = ACCESS_MATRIX.filter(
      (r) => r.method === 'GET' && !r.path.includes('?') && r.path !== '/events/stream',
    ).map((r) => r.path);
    const office = `Bearer ${h.token('OFFICE')}`;
    const cu = `Bearer ${h.token('CONSTRUCTION_UNIT', 'DFUZ')}`;
    const KEYS = [
      'status',
      'category',
      'department',
      'planYear',
      'q',
      'overdue',
      'page',
      'pageSize',
      'sort',
      'minRevision',
      'kind',
      'withinDays',
      'from',
      'to',
      'type',
      'family',
      'actor',
      'after',
      'limit',
      'format',
      'projectId',
      'asOf',
      'revision',
      '__proto__',
      '__proto__[isAdmin]',
      'constructor[prototype][x]',
      'status[$ne]',
      'sort[$gt]',
    ];
    const qsValue = fc.oneof(
      fc.constantFrom(
        ...NASTY_STRINGS,
        '-1',
        '0',
        '1e309',
        '99999999999999999999',
        '1.5',
        'APPROVED,,,',
        ',',
        '-updatedAt',
        '__proto__',
        'true',
        '2026-03-01T00:00:00+08:00',
        '0/0',
        '18446744073709551616',
      ),
      fc.string({ unit: 'binary', maxLength: 20 }),
    );
    const query = fc
      .array(fc.tuple(fc.constantFrom(...KEYS), qsValue), { maxLength: 6 })
      .map((pairs) =>
        pairs
          .map(
            ([k, v]) =>
              `${encodeURIComponent(k).replace(/%5B/g, '[').replace(/%5D/g, ']')}=${encodeURIComponent(v.replace(/[\uD800-\uDFFF]/g, '\uFFFD'))}`,
          )
          .join('&'),
      );
    const idSegment = fc.oneof(
      fc.constant(p.id),
      fc.constantFrom(
        'not-a-uuid',
        '..',
        '%2e%2e%2f',
        'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
        '00000000-0000-0000-0000-000000000000',
        '%00',
        'x'.repeat(3000),
      ),
    );
    const yearSegment = fc.constantFrom('2059', '0', '-1', '1e3', '99999999999999999999', 'NaN', '2026.5', '%20');
    for (const path of gets) {
      await fc.assert(
        fc.asyncProperty(query, idSegment, yearSegment, fc.constantFrom(office, cu), async (qs, id, year, auth) => {
          const url = `${path.replace(':id', id).replace(':year', year)}?${qs}`;
          // A valid minRevision beyond the head would wait up to `wait` ms: keep the fuzz fast.
          const safe = url.replace(/([?&])wait=[^&]*/g, '$1w=');
          await fire('GET', safe, undefined, { authorization: auth });
        }),
        { numRuns: RUNS },
      );
    }
    // The SSE route with hostile filters (an unknown type keeps it from streaming forever).
    await fc.assert(
      fc.asyncProperty(qsValue, qsValue, async (family, after) => {
        await fire(
          'GET',
          `/events/stream?types=NoSuchType&family=${encodeURIComponent(family.replace(/[\uD800-\uDFFF]/g, ''))}&after=${encodeURIComponent(after.replace(/[\uD800-\uDFFF]/g, ''))}`,
          undefined,
          { authorization: office, 'last-event-id': 'x'.repeat(100) },
        );
      }),
      { numRuns: RUNS },
    );
  });

  it('afterwards: no polluted keys stored, every hash chain verifies, memory stayed bounded', async () => {
    const events: StoredEvent[] = await store.readAll({ limit: 1_000_000 });
    const polluted = events.filter(
      (e) =>
        /"(__proto__|prototype)"\s*:/.test(JSON.stringify(e.data)) ||
        /"constructor"\s*:\s*\{/.test(JSON.stringify(e.data)),
    );
    expect(polluted.map((e) => e.type)).toEqual([]);
    const verify = await h.request('GET', '/audit/verify', { token: h.token('AUDIT') });
    expect(verify.body).toMatchObject({ ok: true });
    const doc = await h.request('GET', `/projects/${p.id}`, { token: h.token('OFFICE') });
    expect(doc.status).toBe(200);
  });

  it('memory stays bounded under a repeated hostile load (1 000 requests, mostly 200 KB bodies)', async () => {
    const t = targets.find((x) => x.name === 'report-incident')!;
    const big = JSON.stringify({ kind: 'SERIOUS_DELAY', description: '滞'.repeat(60_000) });
    const warm = async (n: number) => {
      for (let i = 0; i < n; i++)
        await fire('POST', t.url, i % 2 ? big : `${'['.repeat(40_000)}${']'.repeat(40_000)}`, authJson(t));
    };
    // A real collection before each reading: without it heapUsed measures when V8 last happened
    // to collect (readings from -240 to +220 MiB for the same code), not what is retained.
    setFlagsFromString('--expose_gc');
    const gc = runInNewContext('gc') as () => void;
    const settle = () => {
      gc();
      gc();
    };
    await warm(100);
    settle();
    const before = process.memoryUsage().heapUsed;
    await warm(1000);
    settle();
    const growth = process.memoryUsage().heapUsed - before;
    process.stdout.write(
      `hostile-input: heap growth over 1 000 hostile requests ${(growth / 1048576).toFixed(1)} MiB\n`,
    );
    expect(growth).toBeLessThan(150 * 1024 * 1024);
  });
});

describe('hostile input on the wire (guarantee 3): the built service as a child process', () => {
  let dataDir: string;
  beforeAll(() => {
    builtMain();
    dataDir = mkdtempSync(join(tmpdir(), 'ordos-wire-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  function raw(port: number, head: string, body = ''): Promise<string> {
    return new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1', () => socket.end(head + body));
      let out = '';
      socket.setEncoding('latin1');
      socket.on('data', (d: string) => (out += d));
      socket.on('close', () => resolve(out));
      socket.on('error', () => resolve(out));
      socket.setTimeout(5000, () => socket.destroy());
    });
  }

  it(
    'huge headers, malformed request lines, a lying content-length ' +
      'and a 2 MB body: 4xx or closed, never 5xx, still serving',
    async () => {
      const service = await startService({ dataDir });
      const unit = signHs256(
        { ...actorClaims('CONSTRUCTION_UNIT', 'D01'), exp: Math.floor(Date.now() / 1000) + 600 },
        SERVICE_SECRET,
      );
      try {
        const answers = [
          await raw(
            service.port,
            `GET /projects HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${'a'.repeat(100_000)}\r\n\r\n`,
          ),
          await raw(
            service.port,
            'GET /projects HTTP/1.1\r\nHost: x\r\n' +
              `${Array.from({ length: 3000 }, (_, i) => `X-H${i}: v`).join('\r\n')}\r\n\r\n`,
          ),
          await raw(service.port, 'GARBAGE / HTTP/9.9\r\n\r\n'),
          await raw(
            service.port,
            'POST /projects HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
              'Content-Length: 99999\r\n\r\n{"a":1}',
          ),
          await raw(
            service.port,
            'POST /projects HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
              `Content-Length: ${2 * 1024 * 1024 + 8}\r\n\r\n`,
            `{"a":"${'x'.repeat(2 * 1024 * 1024)}"}`,
          ),
          await raw(
            service.port,
            'POST /projects HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n',
          ),
          await raw(
            service.port,
            `POST /projects HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${unit}\r\n` +
              `Content-Type: application/json\r\nContent-Length: ${2 * 1024 * 1024 + 8}\r\n\r\n`,
            `{"a":"${'x'.repeat(2 * 1024 * 1024)}"}`,
          ),
        ];
        for (const answer of answers) expect(answer).not.toMatch(/^HTTP\/1\.1 5\d\d/);
        const health = await service.request('GET', '/health');
        expect(health.status).toBe(200);
        expect(service.child.exitCode).toBeNull();
        // Without a token the 2 MB body is refused before any of it is read (issue 11: the token is
        // checked before the body); with one, it is refused as too large before it is read whole.
        expect(answers[4]).toMatch(/^HTTP\/1\.1 401/);
        expect(answers[6]).toMatch(/^HTTP\/1\.1 413/);
      } finally {
        await service.kill();
      }
      void httpRequest;
    },
  );
});
