import type { ThrottlerStorage } from '@nestjs/throttler';

interface Window {
  startedAt: number;
  hits: number;
  blockedUntil: number;
}

/**
 * Fixed-window rate-limit counters: O(1) per request. The library's default in-memory storage
 * keeps one timestamp per hit and filters the array on every request, which at thousands of
 * requests a minute from one client cost a fifth of the service's CPU.
 */
export class FixedWindowThrottlerStorage implements ThrottlerStorage {
  private readonly windows = new Map<string, Window>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(sweepEveryMs = 60_000) {
    // Forget idle clients so the map cannot grow without bound.
    this.sweeper = setInterval(() => this.sweep(), sweepEveryMs);
    this.sweeper.unref();
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string) {
    const now = Date.now();
    const id = `${throttlerName}\u0000${key}`;
    let window = this.windows.get(id);
    if (!window || now - window.startedAt >= ttl) {
      window = { startedAt: now, hits: 0, blockedUntil: window && window.blockedUntil > now ? window.blockedUntil : 0 };
      this.windows.set(id, window);
    }
    if (window.blockedUntil > now) {
      return {
        totalHits: window.hits,
        timeToExpire: seconds(window.startedAt + ttl - now),
        isBlocked: true,
        timeToBlockExpire: seconds(window.blockedUntil - now),
      };
    }
    window.hits += 1;
    const isBlocked = window.hits > limit;
    if (isBlocked) window.blockedUntil = now + (blockDuration > 0 ? blockDuration : window.startedAt + ttl - now);
    return {
      totalHits: window.hits,
      timeToExpire: seconds(window.startedAt + ttl - now),
      isBlocked,
      timeToBlockExpire: isBlocked ? seconds(window.blockedUntil - now) : 0,
    };
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, window] of this.windows) {
      if (window.blockedUntil <= now && now - window.startedAt > 10 * 60_000) this.windows.delete(id);
    }
  }
}

const seconds = (ms: number) => Math.max(0, Math.ceil(ms / 1000));
