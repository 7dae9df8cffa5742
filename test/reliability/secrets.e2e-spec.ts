/**
 * Guarantee 6 — secrets and data. The built service runs with LOG_LEVEL=debug and its whole
 * output is searched for every secret it was handed: the bearer tokens, JWT_SECRET, the webhook
 * secret, Idempotency-Keys. JWT_SECRET is required outside development/test, with a minimum
 * length. Webhook secrets are stored encrypted (the database files never contain them) and never
 * returned by the API. /dev/identities does not exist in production.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/infrastructure/config';
import { startHarness } from '../support/harness';
import { actorClaims, signHs256 } from './support/jwt';
import { registrationBody } from './support/lifecycle';
import { builtMain, SERVICE_SECRET, startService } from './support/service';
import { randomUUID } from 'node:crypto';

jest.setTimeout(90_000);

describe('configuration: JWT_SECRET (guarantee 6)', () => {
  const base = { DATA_DIR: '/tmp/x' };
  it.each(['production', 'staging', 'prod', ''])('NODE_ENV=%s without JWT_SECRET refuses to start', (nodeEnv) => {
    const env = nodeEnv === '' ? { ...base, NODE_ENV: 'PRODUCTION' } : { ...base, NODE_ENV: nodeEnv };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(/JWT_SECRET is required/);
  });

  it.each(['short', 'x'.repeat(31), ' '.repeat(40), 'development-only-secret-change-me-0123456789'])(
    'NODE_ENV=production refuses the weak or well-known JWT_SECRET %j',
    (secret) => {
      expect(() => loadConfig({ ...base, NODE_ENV: 'production', JWT_SECRET: secret })).toThrow(ConfigError);
    },
  );

  it('NODE_ENV=production accepts a 32-character secret and reports every problem at once otherwise', () => {
    expect(
      loadConfig({ ...base, NODE_ENV: 'production', JWT_SECRET: '7f3a9c1e5b2d8f4a6c0e9b1d3f5a7c9e' }).jwtSecret,
    ).toHaveLength(32);
    try {
      loadConfig({ ...base, NODE_ENV: 'production', JWT_SECRET: 'short', PORT: 'abc', TEST_CLOCK: '1' });
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(/JWT_SECRET must be at least 32/);
      expect((error as Error).message).toMatch(/PORT/);
      expect((error as Error).message).toMatch(/TEST_CLOCK/);
      expect((error as Error).message).not.toContain('short');
    }
  });

  it(
    'the built service exits with the configuration message ' + '(and without the secret) when JWT_SECRET is too short',
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'ordos-cfg-'));
      try {
        const service = await startService({
          dataDir,
          env: { NODE_ENV: 'production', JWT_SECRET: 'tooShortSecret42' },
          waitFor: 'nothing',
        });
        let timer: NodeJS.Timeout | undefined;
        const exit = await Promise.race([
          service.exited,
          new Promise<'hung'>((r) => (timer = setTimeout(() => r('hung'), 20_000))),
        ]);
        clearTimeout(timer);
        await service.kill();
        expect(exit).toEqual({ code: 1, signal: null });
        expect(service.stderr()).toMatch(/JWT_SECRET must be at least 32 characters/);
        expect(service.stderr() + service.stdout()).not.toContain('tooShortSecret42');
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  );

  it('/dev/identities does not exist in production (no signed tokens handed out)', async () => {
    const h = await startHarness({ env: { NODE_ENV: 'production', TEST_CLOCK: '0', DEV_IDENTITIES: '1' } });
    try {
      const answer = await h.request('GET', '/dev/identities');
      expect(answer.status).toBe(404);
      expect(JSON.stringify(answer.body)).not.toMatch(/eyJ[A-Za-z0-9_-]+\./);
    } finally {
      await h.close();
    }
  });
});

describe('no secret in logs, webhook secrets never returned nor stored in clear (guarantee 6)', () => {
  let dataDir: string;
  let receiver: Server;
  let port = 0;
  beforeAll(async () => {
    builtMain();
    dataDir = mkdtempSync(join(tmpdir(), 'ordos-secrets-'));
    receiver = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(500).end('no'));
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    port = (receiver.address() as { port: number }).port;
  });
  afterAll(async () => {
    receiver.closeAllConnections();
    await new Promise((r) => receiver.close(r));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a run at LOG_LEVEL=debug with failing requests, webhooks and errors prints none of the secrets', async () => {
    const webhookSecret = `whsec-${randomUUID()}`;
    const idempotencyKey = `idem-${randomUUID()}`;
    const service = await startService({
      dataDir,
      env: {
        LOG_LEVEL: 'debug',
        WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
        WEBHOOK_MAX_ATTEMPTS: '2',
        WEBHOOK_BACKOFF_BASE_MS: '10',
      },
    });
    const exp = Math.floor(Date.now() / 1000) + 600;
    const office = signHs256({ ...actorClaims('OFFICE'), exp }, SERVICE_SECRET);
    const unit = signHs256({ ...actorClaims('CONSTRUCTION_UNIT', 'DSEC'), exp }, SERVICE_SECRET);
    const forged = signHs256({ ...actorClaims('OFFICE'), exp }, 'wrong-secret-wrong-secret-wrong-secret');
    try {
      const created = await service.request('POST', '/subscriptions', {
        token: office,
        body: { url: `http://127.0.0.1:${port}/hook`, secret: webhookSecret },
      });
      expect(created.status).toBe(201);
      expect(JSON.stringify(created.body)).not.toContain(webhookSecret);
      // Traffic that logs: successes, refusals, a forged token, a bad body, an error, webhook failures.
      const projectId = randomUUID();
      expect(
        (
          await service.request('POST', '/projects', {
            token: unit,
            body: registrationBody(projectId, 'DSEC'),
            headers: { 'idempotency-key': idempotencyKey },
          })
        ).status,
      ).toBe(201);
      await service.request('POST', `/projects/${projectId}/approve-proposal`, { token: unit, body: { opinion: 'x' } });
      await service.request('GET', `/projects?access_token=${unit}`, { token: forged });
      await service.request('POST', `/projects/${projectId}/submit-proposal`, {
        token: unit,
        body: `{"documentRef": "${webhookSecret}"`,
      });
      await service.request('GET', '/projects', {
        headers: {
          authorization: `Basic ${Buffer.from(`admin:${SERVICE_SECRET}`).toString('base64')}`,
          cookie: `session=${unit}`,
        },
      });
      const listed = await service.request('GET', '/subscriptions', { token: office });
      expect(listed.status).toBe(200);
      expect(listed.body.items).toHaveLength(1);
      const status = await service.request('GET', `/subscriptions/${created.body.id}`, { token: office });
      for (const answer of [listed, status]) {
        expect(answer.text).not.toContain(webhookSecret);
        expect(answer.text).not.toMatch(/secret/i);
      }
      // Let the webhook fail and dead-letter (its failures are logged).
      for (
        let i = 0;
        i < 50 &&
        (await service.request('GET', `/subscriptions/${created.body.id}`, { token: office })).body.deadLetterCount ===
          0;
        i++
      ) {
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await service.kill('SIGTERM');
    }
    const output = service.stdout() + service.stderr();
    expect(output.length).toBeGreaterThan(500); // it did log
    for (const [name, secret] of Object.entries({
      office,
      unit,
      forged,
      SERVICE_SECRET,
      webhookSecret,
      idempotencyKey,
      signature: unit.split('.')[2],
    })) {
      expect({ name, inLogs: output.includes(secret) }).toEqual({ name, inLogs: false });
    }
    // At rest: neither database file (nor its WAL) holds the webhook secret in clear.
    for (const file of readdirSync(dataDir)) {
      expect({ file, clear: readFileSync(join(dataDir, file)).includes(Buffer.from(webhookSecret)) }).toEqual({
        file,
        clear: false,
      });
    }
  });
});
