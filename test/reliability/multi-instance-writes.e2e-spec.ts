/**
 * Several service processes over one DATA_DIR (standing in for several instances over one
 * EventStoreDB + MongoDB): concurrent commands through both instances are all decided, none is
 * refused as "store unavailable" because the other process held the write lock, and both
 * instances' read models converge on every write.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { actorClaims, signHs256 } from './support/jwt';
import { registrationBody } from './support/lifecycle';
import { SERVICE_SECRET, startService, type Service } from './support/service';

jest.setTimeout(240_000);

const token = (role: string, department?: string) =>
  signHs256({ ...actorClaims(role, department), exp: Math.floor(Date.now() / 1000) + 3600 }, SERVICE_SECRET);

describe('three instances over one DATA_DIR: concurrent writes', () => {
  let dataDir: string;
  let a: Service;
  let b: Service;
  let c: Service;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ordos-multi-'));
    a = await startService({ dataDir, timeoutMs: 180_000 });
    b = await startService({ dataDir, timeoutMs: 180_000 });
    c = await startService({ dataDir, timeoutMs: 180_000 });
  });
  afterAll(async () => {
    await Promise.all([a?.kill('SIGTERM'), b?.kill('SIGTERM'), c?.kill('SIGTERM')]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'registrations and proposals sent to all three ' + 'instances at once are all accepted and visible on each',
    async () => {
      const unit = token('CONSTRUCTION_UNIT', 'D01');
      const ids = Array.from({ length: 24 }, () => randomUUID());
      const registered = await Promise.all(
        ids.map((id, i) =>
          [a, b, c][i % 3].request('POST', '/projects', { token: unit, body: registrationBody(id, 'D01') }),
        ),
      );
      expect(registered.map((r) => r.status)).toEqual(ids.map(() => 201));
      const submitted = await Promise.all(
        ids.map((id, i) =>
          [b, c, a][i % 3].request('POST', `/projects/${id}/submit-proposal`, {
            token: unit,
            body: { documentRef: `JY-${i}` },
          }),
        ),
      );
      expect(submitted.map((r) => `${r.status} ${r.body?.code ?? ''}`.trim())).toEqual(ids.map(() => '200'));
      for (const service of [a, b, c]) {
        for (const id of ids) {
          const read = await service.request('GET', `/projects/${id}?minRevision=1&wait=10000`, { token: unit });
          expect(read.status).toBe(200);
          expect(read.body.status).toBe('PROPOSAL');
        }
      }
    },
  );
});
