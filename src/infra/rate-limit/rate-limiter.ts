import { RateLimiterRedis, type RateLimiterRes } from 'rate-limiter-flexible';
import type { RedisConnection } from '../redis/redis-connection.js';

/** The verdict for one request: whether it may go on, and what the RateLimit-* headers say. */
export type RateVerdict = { allowed: boolean; limit: number; remaining: number; resetSeconds: number };

/** A fixed window: `points` requests per `durationSeconds`, counted per key under `name`. */
export type RateRule = { name: string; points: number; durationSeconds: number };

export type RateLimiterDeps = {
  redis: RedisConnection | null;
  namespace: string;
  commandTimeoutMs: number;
  onReject?: (rule: string) => void;
  /** How far all instances together may admit past the limit while their counts are on their way to Redis. */
  overAdmission?: number;
  /** How many instances share the limit (for the share of `overAdmission` each may admit unsynchronised). */
  instances?: number;
  /** Counts admitted locally are sent to Redis at least this often. */
  syncMs?: number;
  /** Milliseconds since some fixed point; a test clock in tests. */
  now?: () => number;
};

/** One key's fixed window as this process sees it. */
type Window = {
  endsAt: number;
  /** The shared count Redis last returned (or, while Redis is away, this process's own count). */
  synced: number;
  /** Admitted here, not yet sent to Redis. */
  pending: number;
  /** Admitted here, sent to Redis, not yet answered. */
  inFlight: number;
  flight: Promise<void> | null;
};

/**
 * Fixed-window counting per key, shared by every instance through Redis (rate-limiter-flexible's
 * atomic INCRBY+PEXPIRE script), without a Redis round trip per request. Each process decides
 * from the shared count Redis last returned plus what it admitted since, and sends its count in
 * batches: when `batch / 2` hits are waiting, and every `syncMs`. A process never has more than
 * `batch` admitted hits that Redis has not counted (the next one waits for the batch to land),
 * so N instances admit at most about N × batch past the limit: `batch` is the instance's share
 * of `overAdmission`. Too small a limit for any share (batch 0) counts each hit in Redis before
 * answering. While Redis is down, slow or not yet trusted again, each process counts alone.
 */
export class RateLimiter {
  /** Hits this process may admit before Redis has counted them. */
  readonly batch: number;
  private readonly flushAt: number;
  private readonly shared: RateLimiterRedis | null;
  private readonly windows = new Map<string, Window>();
  private readonly dirty = new Set<string>();
  private readonly now: () => number;
  private readonly timer: NodeJS.Timeout | null = null;
  private sweptAt = 0;

  constructor(
    readonly rule: RateRule,
    private readonly deps: RateLimiterDeps,
  ) {
    const share = ((deps.overAdmission ?? 0.1) * rule.points) / (deps.instances ?? 3);
    this.batch = Math.floor(share);
    this.flushAt = Math.max(1, Math.ceil(this.batch / 2));
    this.now = deps.now ?? (() => performance.now());
    this.shared = deps.redis
      ? new RateLimiterRedis({
          keyPrefix: `${deps.namespace}:ratelimit:${rule.name}`,
          points: rule.points,
          duration: rule.durationSeconds,
          storeClient: deps.redis.client,
          useRedisPackage: true,
          rejectIfRedisNotReady: true,
        })
      : null;
    if (this.shared) {
      this.timer = setInterval(() => this.sync(), deps.syncMs ?? 100);
      this.timer.unref();
    }
  }

  /** Whether counts go to Redis now; never waits. */
  private get sharing(): boolean {
    return this.shared !== null && this.deps.redis!.available;
  }

  /**
   * Counts one request for `key`. The verdict is synchronous whenever this process can decide
   * alone (the usual case); a Promise when it must hear from Redis first.
   */
  count(key: string): RateVerdict | Promise<RateVerdict> {
    if (this.batch === 0 && this.sharing) return this.countInRedis(key);
    const now = this.now();
    const w = this.window(key, now);
    if (w.synced + w.pending + w.inFlight >= this.rule.points) return this.verdict(false, w, now);
    if (this.sharing && w.pending + w.inFlight >= this.batch) {
      return (w.flight ?? this.flush(key, w) ?? Promise.resolve()).then(() => this.count(key));
    }
    w.pending++;
    if (!this.sharing) this.settleLocally(w);
    else if (w.pending >= this.flushAt && !w.flight) this.flush(key, w);
    else this.dirty.add(key);
    return this.verdict(true, w, now);
  }

  /** `count`, always as a Promise. */
  async hit(key: string): Promise<RateVerdict> {
    return this.count(key);
  }

  /** Sends every waiting count to Redis, and forgets windows that have ended. */
  sync(): void {
    for (const key of this.dirty) {
      const w = this.windows.get(key);
      if (w && !w.flight) this.flush(key, w);
    }
    this.dirty.clear();
    this.sweep(this.now());
  }

  /** Forgets the windows that have ended, once a window's length at most. */
  private sweep(now: number): void {
    if (now - this.sweptAt < this.rule.durationSeconds * 1000) return;
    this.sweptAt = now;
    for (const [key, w] of this.windows) if (w.endsAt <= now && !w.pending && !w.inFlight) this.windows.delete(key);
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private window(key: string, now: number): Window {
    let w = this.windows.get(key);
    if (!w) {
      this.sweep(now);
      w = { endsAt: now + this.rule.durationSeconds * 1000, synced: 0, pending: 0, inFlight: 0, flight: null };
      this.windows.set(key, w);
    } else if (now >= w.endsAt) {
      // A new window; hits still on their way land in it (Redis starts its own at the first one).
      w.endsAt = now + this.rule.durationSeconds * 1000;
      w.synced = 0;
    }
    return w;
  }

  /** Without Redis: what was admitted is the count. */
  private settleLocally(w: Window): void {
    w.synced += w.pending;
    w.pending = 0;
  }

  /** Sends `key`'s pending hits to Redis in one INCRBY; the reply is the shared count. */
  private flush(key: string, w: Window): Promise<void> | null {
    if (w.pending === 0 || w.flight) return w.flight;
    if (!this.sharing) {
      this.settleLocally(w);
      return null;
    }
    const n = w.pending;
    w.pending = 0;
    w.inFlight = n;
    const landed = (synced: number, endsAt?: number) => {
      w.synced = synced;
      if (endsAt !== undefined) w.endsAt = endsAt;
      w.inFlight = 0;
      w.flight = null;
      if (w.pending >= this.flushAt) void this.flush(key, w);
      else if (w.pending > 0) this.dirty.add(key);
    };
    w.flight = this.penalty(key, n).then(
      (res) => landed(res.consumedPoints, this.now() + res.msBeforeNext),
      () => landed(w.synced + n), // Redis did not take them: this process counts them alone
    );
    return w.flight;
  }

  /** For limits too small to share out: each hit is counted in Redis before it is answered. */
  private async countInRedis(key: string): Promise<RateVerdict> {
    let res: RateLimiterRes;
    try {
      res = await this.penalty(key, 1);
    } catch {
      const now = this.now();
      const w = this.window(key, now);
      if (w.synced >= this.rule.points) return this.verdict(false, w, now);
      w.synced++;
      return this.verdict(true, w, now);
    }
    const allowed = res.consumedPoints <= this.rule.points;
    if (!allowed) this.deps.onReject?.(this.rule.name);
    return {
      allowed,
      limit: this.rule.points,
      remaining: Math.max(0, this.rule.points - res.consumedPoints),
      resetSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
    };
  }

  /** One INCRBY in Redis, failing after the command timeout rather than waiting. */
  private penalty(key: string, n: number): Promise<RateLimiterRes> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('rate limit: Redis did not answer')), this.deps.commandTimeoutMs);
    });
    return Promise.race([this.shared!.penalty(key, n), timeout]).finally(() => clearTimeout(timer));
  }

  private verdict(allowed: boolean, w: Window, now: number): RateVerdict {
    if (!allowed) this.deps.onReject?.(this.rule.name);
    return {
      allowed,
      limit: this.rule.points,
      remaining: Math.max(0, this.rule.points - w.synced - w.pending - w.inFlight),
      resetSeconds: Math.max(1, Math.ceil((w.endsAt - now) / 1000)),
    };
  }
}
