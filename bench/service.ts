import { spawn, type ChildProcess } from 'node:child_process';
import { JwtService } from '@nestjs/jwt';
import { join } from 'node:path';

export const BENCH_SECRET = 'bench-secret-0123456789-0123456789-abcdef';

export interface RunningService {
  child: ChildProcess;
  url: string;
  startupMs: number;
  token(role: string, department?: string): string;
  stop(): Promise<void>;
}

/** Starts the built service as its own process, as `npm start` would, and waits for /health. */
export async function startService(
  dataDir: string,
  port: number,
  extraEnv: Record<string, string> = {},
): Promise<RunningService> {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [join(__dirname, '..', 'src', 'main.js')], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      JWT_SECRET: BENCH_SECRET,
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '100000000',
      DEADLINE_WATCHER_ENABLED: '0',
      SEAL_INTERVAL_MINUTES: '0',
      ...extraEnv,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`service exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${url}/health`);
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  const startupMs = Number(process.hrtime.bigint() - started) / 1e6;
  const jwt = new JwtService({ secret: BENCH_SECRET });
  return {
    child,
    url,
    startupMs,
    token: (role, department) =>
      jwt.sign(
        { sub: `${role}-${department ?? 'x'}`, name: role, role, ...(department ? { department } : {}) },
        { expiresIn: '6h' },
      ),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Prometheus text → value of one sample line. */
export async function metric(url: string, name: string, labels = ''): Promise<number | undefined> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text
    .split('\n')
    .find(
      (l) =>
        l.startsWith(`${name}${labels ? `{${labels}}` : ''} `) ||
        (labels && l.startsWith(`${name}{`) && l.includes(labels)),
    );
  return line ? Number(line.split(' ').pop()) : undefined;
}

/** Upper bound of the bucket holding the p-th percentile of a Prometheus histogram. */
export async function histogramPercentile(
  url: string,
  name: string,
  label: string,
  p: number,
): Promise<number | undefined> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const buckets = text
    .split('\n')
    .filter((l) => l.startsWith(`${name}_bucket{`) && l.includes(label))
    .map((l) => ({ le: /le="([^"]+)"/.exec(l)![1], count: Number(l.split(' ').pop()) }));
  const total = buckets.find((b) => b.le === '+Inf')?.count ?? 0;
  if (total === 0) return undefined;
  const target = (p / 100) * total;
  const bucket = buckets.find((b) => b.count >= target);
  return bucket ? (bucket.le === '+Inf' ? Infinity : Number(bucket.le)) : undefined;
}
