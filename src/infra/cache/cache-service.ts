import type { Knex } from 'knex';
import Keyv from 'keyv';
import KeyvRedis from '@keyv/redis';
import { LRUCache } from 'lru-cache';
import type { Logger } from '../../logger.js';
import { requireUuid } from '../../domain/ids.js';
import { decodeCacheValue, encodeCacheValue } from './cache-codec.js';
import { CacheCounters } from './cache-counters.js';
import type { AnalysisCacheKind } from './cache-keys.js';
import { deleteCachedKeys } from './cache-clear.js';
import { GenerationTracker } from './generation-tracker.js';
import { Invalidation, type InvalidationJournal } from './invalidation.js';
import { MemoryTags } from './memory-tags.js';
import { ReadThrough, type CacheHooks } from './read-through.js';
import { RedisConnection } from '../redis/redis-connection.js';

export { analysisCacheKey, type AnalysisCacheKind } from './cache-keys.js';
export type { CacheHooks } from './read-through.js';
export type { InvalidationJournal } from './invalidation.js';

export type CacheStats = {
  health: 'healthy' | 'degraded';
  backend: 'redis' | 'memory';
  hits: number;
  misses: number;
  hit_rate: number;
  memory_used: string | null;
  connected_clients: number | null;
};

export type CacheClearResult = { scope: 'all' | 'analysis'; analysis_id: string | null; deleted: number };

export type CacheServiceDeps = {
  redisUrl: string | null;
  namespace: string;
  logger: Logger;
  commandTimeoutMs?: number;
  /** False: every read loads from the database (invalidations are still written). */
  enabled?: boolean;
  /** Redis mode: how long tags are held without asking Redis (generation-tracker.ts); 0 asks on every read. */
  leaseMs?: number;
  hooks?: CacheHooks;
  /** Told of every analysis read: its kind (`report` for any sections) and whether it hit. */
  onLookup?: (kind: string, result: 'hit' | 'miss') => void;
  /** Redis mode: where invalidations wait durably until Redis took them (invalidation.ts). */
  journal?: InvalidationJournal | null;
};

/** /health's own deadline for Redis: a hung Redis must not hold the answer. */
const HEALTH_PING_MS = 250;

/**
 * The cache: Redis when configured, a bounded in-process LRU otherwise, over Keyv. Its jobs live
 * apart: reading through (read-through.ts), invalidating with the record of what Redis missed
 * (invalidation.ts), and the tracking lease (generation-tracker.ts); this class builds them and
 * answers for the whole (health, stats, clear).
 */
export class CacheService {
  /** The guarded Redis connection, shared with the rate limiter; null in memory mode. */
  readonly redis: RedisConnection | null;
  /** Generation tags held locally under Redis's invalidation pushes: hits without a round trip. */
  private readonly tracker: GenerationTracker | null = null;
  private readonly keyv: Keyv;
  /** Epoch and generations: in memory mode kept apart from the LRU so they are never evicted. */
  private readonly meta: Keyv;
  private readonly lru: LRUCache<string, string> | null = null;
  private readonly memoryTags: MemoryTags | null = null;
  private readonly reads: ReadThrough;
  private readonly invalidation: Invalidation;
  private readonly counters: CacheCounters;

  constructor(private readonly deps: CacheServiceDeps) {
    const codec = {
      serialize: encodeCacheValue,
      deserialize: decodeCacheValue as never,
      useKeyPrefix: false,
      throwOnErrors: true,
    };
    const commandTimeoutMs = deps.commandTimeoutMs ?? 150;
    if (deps.redisUrl) {
      this.redis = new RedisConnection({ url: deps.redisUrl, commandTimeoutMs, logger: deps.logger });
      const store = new KeyvRedis(this.redis.client, {
        namespace: deps.namespace,
        throwOnErrors: true,
        throwOnConnectError: true,
      });
      this.keyv = new Keyv({ store, namespace: deps.namespace, ...codec });
      this.meta = this.keyv;
      const leaseMs = deps.leaseMs ?? 0;
      if (leaseMs > 0)
        this.tracker = new GenerationTracker({
          url: deps.redisUrl,
          namespace: deps.namespace,
          keyvOptions: codec,
          leaseMs,
          commandTimeoutMs,
          connectTimeoutMs: Math.max(500, (deps.commandTimeoutMs ?? 150) * 4),
        });
    } else {
      this.redis = null;
      this.lru = new LRUCache<string, string>({ maxSize: 64 * 1024 * 1024, sizeCalculation: (v) => v.length || 1 });
      const lru = this.lru;
      const store = {
        get: (k: string) => lru.get(k),
        set: (k: string, v: string, ttl?: number) => void lru.set(k, v, { ttl }),
        delete: (k: string) => lru.delete(k),
        clear: () => lru.clear(),
      };
      this.keyv = new Keyv({ store: store as never, namespace: deps.namespace, ...codec });
      const tags = new MemoryTags();
      this.memoryTags = tags;
      this.meta = new Keyv({
        store: tags.store,
        namespace: deps.namespace,
        useKeyPrefix: false,
        serialize: undefined,
        deserialize: undefined,
      });
    }
    this.counters = new CacheCounters({ redis: this.redis, key: `${deps.namespace}:stats` });
    for (const k of new Set([this.keyv, this.meta]))
      k.on('error', (err: unknown) => deps.logger.debug({ err }, 'cache error'));
    const parts = { keyv: this.keyv, meta: this.meta, redis: this.redis, tracker: this.tracker };
    this.reads = new ReadThrough({
      ...parts,
      enabled: deps.enabled !== false,
      hooks: deps.hooks,
      looked: (kind, result) => this.looked(kind, result),
      vouch: { now: (id) => this.invalidation.vouches(id), soon: (id) => this.invalidation.vouched(id) },
      memoryTag: this.memoryTags ? (id) => this.memoryTags!.tag(id) : null,
    });
    this.invalidation = new Invalidation({
      ...parts,
      namespace: deps.namespace,
      journal: deps.journal ?? null,
      logger: deps.logger,
    });
  }

  get backend(): 'redis' | 'memory' {
    return this.redis ? 'redis' : 'memory';
  }

  /**
   * Whether hits can be vouched for without asking Redis (`peekAnalysis`, `heldAnalysis`): tags
   * held under tracking, or the memory cache, which is all in this process.
   */
  get holdsTags(): boolean {
    return (this.tracker !== null || this.redis === null) && this.deps.enabled !== false;
  }

  /** Whether the cache is answering; never waits (the breaker's state). */
  get available(): boolean {
    return this.redis ? this.redis.available : true;
  }

  get health(): 'healthy' | 'degraded' {
    return this.available ? 'healthy' : 'degraded';
  }

  /**
   * Whether the cache answers right now: Redis must reply to a PING within its own short deadline
   * and be in use (not skipped after an outage). At most HEALTH_PING_MS; for /health.
   */
  async probe(): Promise<boolean> {
    if (!this.redis) return true;
    return (await this.redis.ping(HEALTH_PING_MS)) && this.redis.available;
  }

  /** Runs a cache operation, or throws at once when Redis is unavailable. */
  private run<T>(op: () => Promise<T>): Promise<T> {
    return this.redis ? this.redis.run(op) : op();
  }

  /** A read that fails is a miss: the cache is an optimisation. */
  async get<T>(key: string): Promise<T | undefined> {
    if (this.deps.enabled === false) return undefined;
    return this.run(() => this.keyv.get<T>(key)).catch(() => undefined);
  }

  async set(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    if (this.deps.enabled === false) return;
    try {
      await this.run(() => this.keyv.set(key, value, ttlSeconds * 1000));
    } catch {
      /* the cache is an optimisation: a failed write is not an error */
    }
  }

  private looked(kind: AnalysisCacheKind, result: 'hit' | 'miss'): void {
    this.counters.count(result === 'hit' ? 'hits' : 'misses');
    this.deps.onLookup?.(kind.startsWith('report:') ? 'report' : kind, result);
  }

  /** A cached value this process can vouch for without waiting, else undefined (read-through.ts). */
  peekAnalysis<T>(analysisId: string, kind: AnalysisCacheKind): T | undefined {
    return this.reads.peek<T>(analysisId, kind);
  }

  /** `peekAnalysis`, once a lapsed lease is renewed when this process holds the tag; never reads from Redis. */
  heldAnalysis<T>(analysisId: string, kind: AnalysisCacheKind): Promise<T | undefined> {
    return this.reads.held<T>(analysisId, kind);
  }

  /** Returns the cached value for an analysis, or loads, stores and returns it (read-through.ts). */
  wrapAnalysis<T>(analysisId: string, kind: AnalysisCacheKind, ttlSeconds: number, load: () => Promise<T>): Promise<T> {
    return this.reads.wrap(analysisId, kind, ttlSeconds, load);
  }

  /**
   * A write that changes cached data: `work` runs in a transaction of `db` and names the analyses
   * it changed; their invalidation is recorded in that transaction and applied before this returns
   * (invalidation.ts).
   */
  invalidatingTransaction<T>(
    db: Knex,
    work: (trx: Knex.Transaction, invalidate: (analysisId: string) => void) => Promise<T>,
  ): Promise<T> {
    return this.invalidation.transaction(db, work);
  }

  /**
   * Makes everything cached for one analysis unreadable, in every process sharing the namespace,
   * before returning. If Redis cannot take it now, this process replays it before it reads from
   * Redis again; a write should use `invalidatingTransaction`, which also records it durably.
   */
  async invalidateAnalysis(analysisId: string): Promise<void> {
    await this.invalidation.invalidateAnalysis(analysisId);
  }

  /** How many invalidations waited out a lease: only those that another process may have held. */
  get leaseWaits(): number {
    return this.invalidation.leaseWaits;
  }

  /** Pending invalidations this process replayed for writers that could not. */
  get invalidationsReplayed(): number {
    return this.invalidation.replayed;
  }

  /**
   * Empties the namespace, or one analysis. Bumping the tag makes it take effect at once; the keys
   * are then deleted by SCAN (never KEYS) to free memory. Returns how many keys were deleted.
   */
  async clear(opts: { analysisId?: string } = {}): Promise<CacheClearResult> {
    const id = opts.analysisId === undefined ? null : requireUuid(opts.analysisId, 'analysis');
    if (id === null) this.reads.clearNear();
    await this.invalidation.retag(id);
    const store = this.redis ? { redis: this.redis } : { lru: this.lru! };
    const deleted = await deleteCachedKeys(store, this.deps.namespace, id);
    return { scope: id === null ? 'all' : 'analysis', analysis_id: id, deleted };
  }

  /** True once the cache answers (at most `timeoutMs`); commands and tests wait, requests never do. */
  async ready(timeoutMs = 2000): Promise<boolean> {
    return this.redis ? this.redis.whenAvailable(timeoutMs) : true;
  }

  /**
   * Hits and misses counted by the service: on Redis, shared by every process of the namespace
   * (this process's own counts while Redis is away); plus Redis's memory and client count.
   */
  async stats(): Promise<CacheStats> {
    const { hits, misses } = await this.counters.read();
    let memory_used: string | null = this.lru ? `${(this.lru.calculatedSize / 1024).toFixed(1)}K` : null;
    let connected_clients: number | null = null;
    if (this.redis?.available) {
      ({ memory_used, connected_clients } = await this.redis
        .info()
        .catch(() => ({ memory_used: null, connected_clients: null })));
    }
    const total = hits + misses;
    return {
      health: this.health,
      backend: this.backend,
      hits,
      misses,
      hit_rate: total === 0 ? 0 : Math.round((hits / total) * 10000) / 100,
      memory_used,
      connected_clients,
    };
  }

  async close(): Promise<void> {
    await this.invalidation.close();
    await this.counters.flush();
    await Promise.all([this.redis?.close(), this.tracker?.close()]);
  }
}
