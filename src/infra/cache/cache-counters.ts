import type { RedisConnection } from '../redis/redis-connection.js';

const FLUSH_MS = 1000;
/** The shared counters go away after a month without traffic (e.g. a retired namespace). */
const KEEP_SECONDS = 30 * 24 * 3600;
type Counts = { hits: number; misses: number };

/**
 * Hits and misses counted by the cache service. With Redis they are added (at most once a
 * second, and on demand) to a hash shared by every process of the namespace, so `cache stats`
 * from any process reports the whole deployment; without Redis they are this process's own.
 */
export class CacheCounters {
  private readonly own: Counts = { hits: 0, misses: 0 };
  private unflushed: Counts = { hits: 0, misses: 0 };
  private lastFlush = 0;

  constructor(private readonly deps: { redis: RedisConnection | null; key: string }) {}

  count(kind: keyof Counts): void {
    this.own[kind]++;
    this.unflushed[kind]++;
    if (this.deps.redis && performance.now() - this.lastFlush > FLUSH_MS) void this.flush();
  }

  async flush(): Promise<void> {
    this.lastFlush = performance.now();
    const { redis, key } = this.deps;
    const { hits, misses } = this.unflushed;
    if (!redis || hits + misses === 0) return;
    this.unflushed = { hits: 0, misses: 0 };
    try {
      await redis.run(() =>
        redis.client.multi().hIncrBy(key, 'hits', hits).hIncrBy(key, 'misses', misses).expire(key, KEEP_SECONDS).exec(),
      );
    } catch {
      this.unflushed.hits += hits;
      this.unflushed.misses += misses;
    }
  }

  /** The shared totals when Redis answers, else this process's own. */
  async read(): Promise<Counts> {
    const { redis, key } = this.deps;
    if (!redis?.available) return { ...this.own };
    try {
      await this.flush();
      const shared = await redis.run(() => redis.client.hGetAll(key));
      return {
        hits: Number(shared.hits ?? 0) + this.unflushed.hits,
        misses: Number(shared.misses ?? 0) + this.unflushed.misses,
      };
    } catch {
      return { ...this.own };
    }
  }
}
