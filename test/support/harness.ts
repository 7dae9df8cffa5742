import { JwtService } from '@nestjs/jwt';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/infrastructure/config';
import { TestClock } from '../../src/infrastructure/clock';

export const SECRET = 'e2e-secret-0123456789-0123456789-abcdef';

export interface Harness {
  app: NestFastifyApplication;
  clock: TestClock;
  dataDir: string;
  token(role: string, department?: string, sub?: string): string;
  request(
    method: string,
    url: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{
    status: number;
    body: any;
    headers: Record<string, unknown>;
    /** The answer's bytes as sent (a binary file such as an .xlsx export). */
    raw: Buffer;
  }>;
  close(options?: { keepData?: boolean }): Promise<void>;
}

/** The real service on fresh embedded stores, driven through Fastify's in-process inject. */
export async function startHarness(options: { dataDir?: string; env?: Record<string, string> } = {}): Promise<Harness> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'ordos-e2e-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    JWT_SECRET: SECRET,
    TEST_CLOCK: '1',
    ...options.env,
  });
  const clock = new TestClock();
  clock.set(new Date('2026-03-02T02:00:00.000Z'));
  const app = await createApp({ config, clock });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const jwt = new JwtService({ secret: SECRET });
  return {
    app,
    clock,
    dataDir,
    token: (role, department, sub) =>
      jwt.sign(
        {
          sub: sub ?? `${role.toLowerCase()}-${department ?? 'x'}`,
          name: `${role} user`,
          role,
          ...(department ? { department } : {}),
        },
        { expiresIn: '1h' },
      ),
    async request(method, url, { token, body, headers = {} } = {}) {
      const response = await app.inject({
        method: method as 'GET',
        url,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        payload:
          body === undefined
            ? undefined
            : typeof body === 'string' || Buffer.isBuffer(body)
              ? body
              : JSON.stringify(body),
      });
      const type = String(response.headers['content-type'] ?? '');
      return {
        status: response.statusCode,
        body: /application\/(problem\+)?json/.test(type) && response.body ? JSON.parse(response.body) : response.body,
        headers: response.headers as Record<string, unknown>,
        raw: response.rawPayload,
      };
    },
    async close({ keepData = false } = {}) {
      await app.close();
      if (!keepData && !options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A valid registration body for department `dept`. */
export function registration(dept: string, overrides: Record<string, unknown> = {}) {
  return {
    projectId: randomUUID(),
    name: '鄂尔多斯市政务服务一网通办平台升级',
    category: 'SOFTWARE',
    departmentCode: dept,
    planYear: 2026,
    nature: 'UPGRADE',
    estimateFen: 300_000_000,
    basis: '《数字鄂尔多斯建设规划》',
    schedule: '2026年3月至2026年12月',
    cloudResources: '政务云 16核64G ×4',
    dataSharing: '共享人口、法人库',
    networkNeeds: '电子政务外网',
    omGuarantee: '运维团队3人',
    followsMasterPlan: true,
    ...overrides,
  };
}
