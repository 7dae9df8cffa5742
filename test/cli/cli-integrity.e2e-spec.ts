import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SqliteEventStore } from '../../src/event-store/sqlite-event-store';
import { builtMain, SERVICE_SECRET } from '../reliability/support/service';

/** Runs the compiled CLI as an operator would; never throws, returns what the operator sees. */
function cli(dataDir: string, args: string[]): { code: number; stdout: string; stderr: string } {
  const path = join(dirname(builtMain()), 'cli', 'ordos.js');
  try {
    const stdout = execFileSync(process.execPath, [path, ...args], {
      env: { PATH: process.env.PATH, NODE_ENV: 'test', DATA_DIR: dataDir, JWT_SECRET: SERVICE_SECRET },
      stdio: 'pipe',
      timeout: 60_000,
    });
    return { code: 0, stdout: String(stdout), stderr: '' };
  } catch (error) {
    const e = error as { status?: number; stdout?: Buffer; stderr?: Buffer };
    return { code: e.status ?? -1, stdout: String(e.stdout ?? ''), stderr: String(e.stderr ?? '') };
  }
}

const metadata = () => ({
  eventId: randomUUID(),
  occurredAt: '2026-03-02T02:00:00.000Z',
  actor: { sub: 't', name: 't', role: 'SYSTEM' },
  correlationId: randomUUID(),
  causationId: randomUUID(),
  policy: 'n/a',
  schemaVersion: 1,
});

/** A store with `streams` streams of `perStream` events of about 1 kB each. */
async function filledStore(dataDir: string, streams: number, perStream: number): Promise<string[]> {
  const store = SqliteEventStore.open(join(dataDir, 'events.db'));
  const ids = Array.from({ length: streams }, () => `filler-${randomUUID()}`);
  for (const id of ids) {
    const events = Array.from({ length: perStream }, (_, i) => ({
      type: 'FillerRecorded',
      data: { i, padding: 'x'.repeat(1000) },
      metadata: metadata(),
    }));
    await store.append(id, events, 'no_stream');
  }
  await store.close();
  return ids;
}

describe('CLI verify on the stores an operator points it at', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const dir = mkdtempSync(join(tmpdir(), 'ordos-cli-'));
    dirs.push(dir);
    return dir;
  };
  beforeAll(() => builtMain(), 240_000);
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('refuses a DATA_DIR without an event store (exit 2) instead of verifying a new empty one', () => {
    const empty = tmp();
    const result = cli(empty, ['verify']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `no event store at ${join(empty, 'events.db')}: set DATA_DIR to the service's data directory`,
    );
    expect(result.stdout).not.toMatch(/"ok"/);
    expect(readdirSync(empty)).toEqual([]);
    expect(cli(join(empty, 'missing'), ['history', randomUUID()]).code).toBe(2);
    expect(existsSync(join(empty, 'missing'))).toBe(false);
  });

  it('lists every broken event with a count, and exits 1', async () => {
    const dir = tmp();
    const [a, b] = await filledStore(dir, 2, 5);
    expect(cli(dir, ['verify'])).toMatchObject({ code: 0 });
    const raw = new Database(join(dir, 'events.db'));
    raw.exec('DROP TRIGGER events_no_update');
    raw
      .prepare(
        "UPDATE events SET data = json_set(data, '$.i', 99) " +
          'WHERE (stream = ? AND revision IN (1, 3)) OR (stream = ? AND revision = 0)',
      )
      .run(a, b);
    raw.close();
    const result = cli(dir, ['verify']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({
      ok: false,
      checked: 10,
      brokenCount: 3,
      brokenAt: { streamId: a, revision: 1, reason: 'HASH_MISMATCH' },
    });
    expect(
      report.broken.map((x: { streamId: string; revision: number }) => `${x.streamId === a ? 'a' : 'b'}${x.revision}`),
    ).toEqual(['a1', 'a3', 'b0']);
  });

  it('says "corrupt" (exit 1) for a damaged file, not "try again later"', async () => {
    const dir = tmp();
    await filledStore(dir, 1, 500);
    const file = join(dir, 'events.db');
    const pageSize = 4096;
    const pages = Math.floor(statSync(file).size / pageSize);
    expect(pages).toBeGreaterThan(50);
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, Math.floor(pages / 2) * pageSize);
    closeSync(fd);
    const result = cli(dir, ['verify']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      ok: false,
      status: 'corrupt',
      reason: expect.stringMatching(/backup/),
    });
    expect(result.stdout + result.stderr).not.toMatch(/try again|unavailable/i);
  });
});
