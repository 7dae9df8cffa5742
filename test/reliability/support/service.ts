import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

/** The repository root (test/reliability/support → ../../..). */
export const ROOT = resolve(__dirname, '..', '..', '..');
export const SERVICE_SECRET = 'reliability-secret-0123456789-abcdefghijklmnop';

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (path.endsWith('.ts')) out.push(path);
  }
  return out.sort();
}

/**
 * Compiles src/ with tsc (tsconfig.build.json) into node_modules/.cache/ordos-reliability/<hash of
 * the sources>, once per source version: the test always runs the code it was given, never a
 * stale dist/, and parallel Jest workers never write into the same directory (each compiles into
 * its own temporary directory and renames it into place; the loser of a race discards its copy).
 * The cache lives under node_modules so the compiled code resolves the project's dependencies.
 */
export function builtMain(): string {
  const hash = createHash('sha256');
  for (const file of [
    ...sourceFiles(join(ROOT, 'src')),
    join(ROOT, 'tsconfig.json'),
    join(ROOT, 'tsconfig.build.json'),
  ]) {
    hash.update(file).update('\0').update(readFileSync(file)).update('\0');
  }
  const cache = join(ROOT, 'node_modules', '.cache', 'ordos-reliability');
  const target = join(cache, hash.digest('hex').slice(0, 16));
  const main = join(target, 'main.js');
  if (existsSync(join(target, '.complete'))) return main;
  mkdirSync(cache, { recursive: true });
  const scratch = join(cache, `tmp-${process.pid}-${randomUUID()}`);
  try {
    execFileSync(
      process.execPath,
      [
        join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
        '-p',
        join(ROOT, 'tsconfig.build.json'),
        '--outDir',
        scratch,
        '--tsBuildInfoFile',
        join(scratch, '.tsbuildinfo'),
        '--sourceMap',
        'false',
      ],
      { cwd: ROOT, stdio: 'pipe' },
    );
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true });
    const e = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`tsc could not build src/: ${String(e.stdout ?? '')}${String(e.stderr ?? '')}`.slice(0, 4000), {
      cause: error,
    });
  }
  execFileSync('touch', [join(scratch, '.complete')]);
  try {
    renameSync(scratch, target);
  } catch {
    rmSync(scratch, { recursive: true, force: true });
  }
  if (!existsSync(join(target, '.complete'))) throw new Error(`build into ${target} failed`);
  // Builds of older sources, not touched for an hour, are removed.
  for (const entry of readdirSync(cache)) {
    const path = join(cache, entry);
    if (path !== target && Date.now() - statSync(path).mtimeMs > 3_600_000)
      rmSync(path, { recursive: true, force: true });
  }
  return main;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export interface Answer {
  status: number;
  body: any;
  headers: Headers;
  text: string;
}

export interface Service {
  port: number;
  base: string;
  child: ChildProcess;
  /** Everything the process wrote so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  request(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string>; timeoutMs?: number },
  ): Promise<Answer>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface StartOptions {
  dataDir: string;
  env?: Record<string, string>;
  /** Wait for /health 200 (default) or only for the port to answer at all. */
  waitFor?: 'healthy' | 'listening' | 'nothing';
  timeoutMs?: number;
}

/** Runs `node <built main.js>` as a child process on its own port and data directory. */
export async function startService(options: StartOptions): Promise<Service> {
  const main = builtMain();
  const port = await freePort();
  const child = spawn(process.execPath, [main], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      DATA_DIR: options.dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      JWT_SECRET: SERVICE_SECRET,
      LOG_LEVEL: 'silent',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) =>
    child.once('exit', (code, signal) => resolveExit({ code, signal })),
  );
  let ended = false;
  void exited.then(() => (ended = true));
  const base = `http://127.0.0.1:${port}`;

  const service: Service = {
    port,
    base,
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    async request(method, path, { token, body, headers = {}, timeoutMs = 15_000 } = {}) {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await response.text();
      let parsed: unknown = text;
      if (/json/.test(response.headers.get('content-type') ?? '') && text) {
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = text;
        }
      }
      return { status: response.status, body: parsed, headers: response.headers, text };
    },
    async kill(signal = 'SIGKILL') {
      if (!ended) child.kill(signal);
      await exited;
    },
  };

  const waitFor = options.waitFor ?? 'healthy';
  if (waitFor === 'nothing') return service;
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    if (ended) throw new Error(`service exited during start-up: ${err || out}`);
    try {
      const health = await service.request('GET', '/health', { timeoutMs: 3000 });
      if (waitFor === 'listening' || health.status === 200) return service;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await service.kill();
      throw new Error(`service not ${waitFor} within ${options.timeoutMs ?? 30_000} ms: ${err}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
