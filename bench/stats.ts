/** Small statistics helpers for the benchmark: percentiles, timers, RSS sampling. */
import { readFileSync } from 'node:fs';

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

export function summarize(samples: number[]): { p50: number; p99: number; max: number; n: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? NaN,
    n: sorted.length,
  };
}

export const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Samples a process's resident set size (this one, or a child by pid via /proc). */
export function rssSampler(pid?: number, everyMs = 50): { stop(): { peakMb: number; startMb: number } } {
  const read = () => {
    if (pid === undefined) return process.memoryUsage().rss;
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const match = /VmRSS:\s+(\d+) kB/.exec(status);
      return match ? Number(match[1]) * 1024 : 0;
    } catch {
      return 0;
    }
  };
  const start = read();
  let peak = start;
  const timer = setInterval(() => {
    peak = Math.max(peak, read());
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, read());
      return { peakMb: round(peak / 1024 / 1024, 1), startMb: round(start / 1024 / 1024, 1) };
    },
  };
}

/** Runs `fn` `count` times sequentially and returns latency percentiles in ms. */
export async function timeEach(
  count: number,
  fn: (i: number) => Promise<unknown>,
): Promise<{ p50: number; p99: number; max: number; n: number }> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = process.hrtime.bigint();
    await fn(i);
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const s = summarize(samples);
  return { p50: round(s.p50), p99: round(s.p99), max: round(s.max), n: s.n };
}
