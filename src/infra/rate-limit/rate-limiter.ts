import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  RLWrapperTimeouts,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { RedisConnection } from '../redis/redis-connection.js';

/** The verdict for one request: whether it may go on, and what the RateLimit-* headers say. */
export type RateVerdict = { allowed: boolean; limit: number; remaining: number; resetSeconds: number };

/** A fixed window: `points` requests per `durationSeconds`, counted per key under `name`. */
export type RateRule = { name: string; points: number; durationSeconds: number };

/**
 * Fixed-window counting by rate-limiter-flexible. With Redis the count is shared by every instance
 * (one atomic INCR+EXPIRE script per hit); while Redis is down, slow or not yet trusted again,
 * each process counts locally instead, so limits still hold and requests never wait on Redis.
 */
export class RateLimiter {
  private readonly local: RateLimiterMemory;
  private readonly shared: RateLimiterAbstract | RLWrapperTimeouts | null;

  constructor(
    readonly rule: RateRule,
    private readonly deps: {
      redis: RedisConnection | null;
      namespace: string;
      commandTimeoutMs: number;
      onReject?: (rule: string) => void;
    },
  ) {
    const keyPrefix = `${deps.namespace}:ratelimit:${rule.name}`;
    const opts = { keyPrefix, points: rule.points, duration: rule.durationSeconds };
    this.local = new RateLimiterMemory(opts);
    this.shared = deps.redis
      ? new RLWrapperTimeouts({
          limiter: new RateLimiterRedis({
            ...opts,
            storeClient: deps.redis.client,
            useRedisPackage: true,
            rejectIfRedisNotReady: true,
          }),
          insuranceLimiter: this.local,
          timeoutMs: deps.commandTimeoutMs,
        })
      : null;
  }

  /** Counts one request for `key`. */
  async hit(key: string): Promise<RateVerdict> {
    const limiter = this.shared && this.deps.redis?.available ? this.shared : this.local;
    try {
      return this.verdict(true, await limiter.consume(key));
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      this.deps.onReject?.(this.rule.name);
      return this.verdict(false, err);
    }
  }

  private verdict(allowed: boolean, res: RateLimiterRes): RateVerdict {
    return {
      allowed,
      limit: this.rule.points,
      remaining: res.remainingPoints,
      resetSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
    };
  }
}
