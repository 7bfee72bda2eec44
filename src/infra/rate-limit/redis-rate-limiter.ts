import type { Logger } from '../../logger.js';
import { MemoryRateLimiter, type RateLimiter, type RateVerdict } from './rate-limiter.js';
import type { RedisConnection } from '../redis/redis-connection.js';

/**
 * Fixed-window counting shared by every instance through Redis: one MULTI (`SET NX PX` then
 * `INCR`) per hit, so the window's expiry is set atomically with its first count. While Redis is
 * unavailable it fails open to this process's own counters: limits stay local, requests never fail.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly local = new MemoryRateLimiter();

  constructor(private readonly deps: { redis: RedisConnection; namespace: string; logger: Logger }) {}

  async hit(key: string, limit: number, windowSeconds: number, now: Date): Promise<RateVerdict> {
    const windowMs = windowSeconds * 1000;
    const start = Math.floor(now.getTime() / windowMs) * windowMs;
    const redisKey = `${this.deps.namespace}:ratelimit:${key}:${start}`;
    const { client } = this.deps.redis;
    let count: number;
    try {
      const replies = await this.deps.redis.run(() => client.multi().set(redisKey, '0', { condition: 'NX', expiration: { type: 'PX', value: windowMs + 1000 } }).incr(redisKey).exec());
      count = Number(replies[1]);
    } catch (err) {
      this.deps.logger.debug({ err }, 'rate limiter: Redis unavailable, counting locally');
      return this.local.hit(key, limit, windowSeconds, now);
    }
    const allowed = count <= limit;
    return {
      allowed,
      remaining: Math.max(0, limit - count),
      retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((start + windowMs - now.getTime()) / 1000)),
    };
  }
}
