/** The verdict for one request against a limit. */
export type RateVerdict = { allowed: boolean; remaining: number; retryAfterSeconds: number };

/**
 * Fixed-window request counting per key. This in-process version serves the embedded mode;
 * with Redis configured the container uses a shared counter so limits hold across instances.
 */
export interface RateLimiter {
  hit(key: string, limit: number, windowSeconds: number, now: Date): Promise<RateVerdict>;
}

export class MemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  async hit(key: string, limit: number, windowSeconds: number, now: Date): Promise<RateVerdict> {
    const windowMs = windowSeconds * 1000;
    const start = Math.floor(now.getTime() / windowMs) * windowMs;
    const w = this.windows.get(key);
    const current = w && w.start === start ? w : { start, count: 0 };
    current.count++;
    this.windows.set(key, current);
    if (this.windows.size > 10_000) this.prune(start);
    const allowed = current.count <= limit;
    return {
      allowed,
      remaining: Math.max(0, limit - current.count),
      retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((start + windowMs - now.getTime()) / 1000)),
    };
  }

  private prune(currentStart: number): void {
    for (const [k, w] of this.windows) if (w.start < currentStart) this.windows.delete(k);
  }
}
