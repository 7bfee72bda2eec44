import { randomBytes } from 'node:crypto';
import Keyv from 'keyv';
import KeyvRedis from '@keyv/redis';
import { LRUCache } from 'lru-cache';
import type { Logger } from '../../logger.js';
import { requireUuid } from '../../domain/ids.js';
import { ServiceUnavailableError } from '../../errors.js';
import { decodeCacheValue, encodeCacheValue } from './cache-codec.js';
import { cachedSize } from './cached-body.js';
import { CacheCounters } from './cache-counters.js';
import { RedisConnection, RedisUnavailableError } from '../redis/redis-connection.js';
import { GenerationTracker, holdersKey, longestOtherLease } from './generation-tracker.js';
import { MissedInvalidations } from './missed-invalidations.js';

/** What is cached per analysis under `{kind}:{id}`; reports add `report:{id}:{sections}`. */
const ANALYSIS_CACHE_KINDS = ['dashboard', 'metrics', 'recommendations', 'badges'] as const;

/** The contract's cache keys per analysis: `{kind}:{id}` and `report:{id}:{sections}`. */
export type AnalysisCacheKind = (typeof ANALYSIS_CACHE_KINDS)[number] | `report:${string}`;

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

/** Fault-injection seam for tests: runs after a read-through load and before its result is stored. */
export type CacheHooks = { afterLoad?: (key: string) => Promise<void> | void };

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
};

/*
 * Why generations: a reader that loaded before a write and stores after it would put stale data
 * back; deleting keys cannot prevent that. So each entry is stored as `{g, v}` where `g` is the
 * tag (namespace epoch + the analysis's generation) the reader saw *before* its database query,
 * and a write replaces the generation with a fresh random token *after* its commit and before it
 * returns. A late store carries an old tag and is never served. No lock, no delete, one MGET of
 * the tag per read (the decoded entry is kept per process for as long as its tag is current), and
 * it holds across processes because the tags live in Redis. Random tokens (not counters) cannot
 * be reused after a reset; generations expire after GEN_TTL, longer than any entry. A process
 * holds the tags it read under Redis's invalidation pushes (generation-tracker.ts), so a hit
 * usually needs no round trip at all.
 */
const EPOCH_KEY = 'epoch';
const GEN_TTL_MS = 24 * 3600 * 1000;
const MAX_ENTRY_TTL_MS = 2 * 3600 * 1000;
type Entry = { g: string; v: unknown };

const token = () => randomBytes(9).toString('base64url');
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const genKey = (analysisId: string) => `gen:${analysisId}`;

/** The contract's key for one kind of cached data. */
export function analysisCacheKey(analysisId: string, kind: AnalysisCacheKind): string {
  return kind.startsWith('report:') ? `report:${analysisId}:${kind.slice('report:'.length)}` : `${kind}:${analysisId}`;
}

/** Read-through cache over Keyv: Redis when configured, a bounded in-process LRU otherwise. */
export class CacheService {
  /** The guarded Redis connection, shared with the rate limiter; null in memory mode. */
  readonly redis: RedisConnection | null;
  /** Generation tags held locally under Redis's invalidation pushes: hits without a round trip. */
  private readonly tracker: GenerationTracker | null = null;
  private readonly keyv: Keyv;
  /** Epoch and generations: in memory mode kept apart from the LRU so they are never evicted. */
  private readonly meta: Keyv;
  private readonly lru: LRUCache<string, string> | null = null;
  private readonly flights = new Map<string, Promise<unknown>>();
  /** Decoded entries, valid only while their tag is the current one (read from the store each time). */
  private readonly near = new LRUCache<string, Entry>({
    max: 5000,
    ttl: 60_000,
    maxSize: 64 * 1024 * 1024,
    sizeCalculation: (e) => cachedSize(e.v),
  });
  /** Analyses whose invalidation failed while Redis was away; replayed before the cache is used again. */
  /** Invalidations Redis could not take, replayed before it is read again. */
  private readonly missed = new MissedInvalidations({
    analysis: (id) => this.bumpGeneration(id),
    all: () => this.bumpEpoch(),
  });
  private readonly counters: CacheCounters;
  /** Writes that waited out another process's lease before returning (generation-tracker.ts). */
  private waitedForLeases = 0;

  constructor(private readonly deps: CacheServiceDeps) {
    const codec = {
      serialize: encodeCacheValue,
      deserialize: decodeCacheValue as never,
      useKeyPrefix: false,
      throwOnErrors: true,
    };
    if (deps.redisUrl) {
      this.redis = new RedisConnection({
        url: deps.redisUrl,
        commandTimeoutMs: deps.commandTimeoutMs ?? 150,
        logger: deps.logger,
      });
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
          epochKey: EPOCH_KEY,
          genKey,
          keyvOptions: codec,
          leaseMs,
          connectTimeoutMs: Math.max(500, (deps.commandTimeoutMs ?? 150) * 4),
        });
      this.redis.onRecovery({ run: (guard) => this.missed.replay(guard), done: () => this.missed.none });
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
      this.meta = new Keyv({ store: new Map(), namespace: deps.namespace, ...codec });
    }
    this.counters = new CacheCounters({ redis: this.redis, key: `${deps.namespace}:stats` });
    for (const k of new Set([this.keyv, this.meta]))
      k.on('error', (err: unknown) => deps.logger.debug({ err }, 'cache error'));
  }

  get backend(): 'redis' | 'memory' {
    return this.redis ? 'redis' : 'memory';
  }

  /** Whether hits can be vouched for without asking Redis (`peekAnalysis`): tags held under tracking. */
  get holdsTags(): boolean {
    return this.tracker !== null && this.deps.enabled !== false;
  }

  /** Whether the cache is answering; never waits (the breaker's state). */
  get available(): boolean {
    return this.redis ? this.redis.available : true;
  }

  get health(): 'healthy' | 'degraded' {
    return this.available ? 'healthy' : 'degraded';
  }

  /** Runs a cache operation, or throws at once when Redis is unavailable. */
  private run<T>(op: () => Promise<T>): Promise<T> {
    return this.redis ? this.redis.run(op) : op();
  }

  async get<T>(key: string): Promise<T | undefined> {
    if (this.deps.enabled === false) return undefined;
    try {
      return (await this.run(() => this.keyv.get(key))) as T | undefined;
    } catch {
      return undefined;
    }
  }

  async set(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    if (this.deps.enabled === false) return;
    try {
      await this.run(() => this.keyv.set(key, value, ttlSeconds * 1000));
    } catch {
      /* the cache is an optimisation: a failed write is not an error */
    }
  }

  /**
   * The tag a read must match: held by the tracker while Redis vouches for it (no round trip),
   * else one MGET of the epoch and generation.
   */
  private async currentTag(analysisId: string): Promise<string> {
    if (this.tracker) {
      if (!this.redis!.available) throw new RedisUnavailableError();
      const held = this.tracker.held(analysisId);
      if (held !== undefined) return held;
      const tracker = this.tracker;
      if (tracker.ready) return this.run(() => tracker.tag(analysisId));
    }
    const [epoch, gen] = await this.run(() => this.meta.getMany<string>([EPOCH_KEY, genKey(analysisId)]));
    return `${epoch ?? '0'}.${gen ?? '0'}`;
  }

  /**
   * The tag a read must match, and the entry found for it; undefined when the cache cannot answer.
   * The entry comes from this process's near cache when it holds one with the same tag (no
   * transfer, no decoding), else from the store.
   */
  private async lookup(
    analysisId: string,
    key: string,
  ): Promise<{ tag: string; entry: Entry | undefined } | undefined> {
    if (this.deps.enabled === false) return undefined;
    try {
      const tag = await this.currentTag(analysisId);
      const near = this.near.get(key);
      if (near?.g === tag) return { tag, entry: near };
      const entry = (await this.run(() => this.keyv.get<Entry>(key))) as Entry | undefined;
      if (entry?.g === tag) this.near.set(key, entry);
      return { tag, entry };
    } catch {
      return undefined;
    }
  }

  /**
   * The cached value for an analysis when this process can vouch for it without waiting: its tag
   * held under the tracker's lease and the entry for that tag in the near cache. Undefined
   * otherwise (then `wrapAnalysis` asks Redis, or loads); a hit is counted as `wrapAnalysis` would.
   */
  peekAnalysis<T>(analysisId: string, kind: AnalysisCacheKind): T | undefined {
    if (!this.tracker || !this.redis!.available) return undefined;
    return this.nearHit(analysisId, kind, this.tracker.held(analysisId));
  }

  /**
   * `peekAnalysis`, once a lapsed lease is renewed when this process holds the tag (the PING the
   * reads waiting share, waited for a lease at most); never reads a tag or an entry from Redis.
   */
  async heldAnalysis<T>(analysisId: string, kind: AnalysisCacheKind): Promise<T | undefined> {
    if (!this.tracker || !this.redis!.available) return undefined;
    return this.nearHit(analysisId, kind, await this.tracker.renewedHeld(analysisId));
  }

  private nearHit<T>(analysisId: string, kind: AnalysisCacheKind, tag: string | undefined): T | undefined {
    if (tag === undefined) return undefined;
    const near = this.near.get(analysisCacheKey(analysisId, kind));
    if (near?.g !== tag) return undefined;
    this.looked(kind, 'hit');
    return near.v as T;
  }

  private looked(kind: AnalysisCacheKind, result: 'hit' | 'miss'): void {
    this.counters.count(result === 'hit' ? 'hits' : 'misses');
    this.deps.onLookup?.(kind.startsWith('report:') ? 'report' : kind, result);
  }

  /**
   * Returns the cached value for an analysis, or loads, stores and returns it. Concurrent misses
   * on one key and generation share one load; while the cache cannot answer, every read loads.
   * Values may be shared between callers: treat them as read-only.
   */
  async wrapAnalysis<T>(
    analysisId: string,
    kind: AnalysisCacheKind,
    ttlSeconds: number,
    load: () => Promise<T>,
  ): Promise<T> {
    const key = analysisCacheKey(analysisId, kind);
    const found = await this.lookup(analysisId, key);
    if (found?.entry && found.entry.g === found.tag) {
      this.looked(kind, 'hit');
      return found.entry.v as T;
    }
    this.looked(kind, 'miss');
    if (!found) return load();
    const flightKey = `${key}@${found.tag}`;
    const inFlight = this.flights.get(flightKey);
    if (inFlight) return inFlight as Promise<T>;
    const flight = this.loadAndStore(key, found.tag, ttlSeconds, load).finally(() => this.flights.delete(flightKey));
    this.flights.set(flightKey, flight);
    return flight;
  }

  private async loadAndStore<T>(key: string, tag: string, ttlSeconds: number, load: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const value = await load();
    await this.deps.hooks?.afterLoad?.(key);
    const ttlMs = Math.min(ttlSeconds * 1000, MAX_ENTRY_TTL_MS);
    // A load slower than this could outlive the generation it was tagged with.
    if (performance.now() - started < GEN_TTL_MS - MAX_ENTRY_TTL_MS) {
      const entry: Entry = { g: tag, v: value };
      await this.set(key, entry, ttlMs / 1000);
      this.near.set(key, entry);
    }
    return value;
  }

  /**
   * Makes everything cached for one analysis unreadable, in every process sharing the namespace,
   * before returning. If Redis cannot take it now, it is remembered and replayed before the cache
   * is used again.
   */
  async invalidateAnalysis(analysisId: string): Promise<void> {
    this.tracker?.forget(analysisId);
    let leaseMs = this.tracker?.leaseMs ?? 0;
    try {
      await this.run(() => this.bumpGeneration(analysisId));
      // A read of this process that was in flight may have held the old tag meanwhile.
      this.tracker?.forget(analysisId);
      // Outlive every lease another process may hold on the old tag (generation-tracker.ts).
      if (this.redis) {
        const client = this.redis.client;
        const holders = await this.run(() => client.sMembers(holdersKey(this.deps.namespace, analysisId)));
        leaseMs = longestOtherLease(holders, this.tracker?.member ?? null);
      }
    } catch (err) {
      this.missed.remember(analysisId);
      // A command that failed (rather than being skipped) means Redis may come back holding
      // the old generation: stop reading from it until the replay has run.
      if (!(err instanceof RedisUnavailableError)) this.redis?.trip();
    }
    if (leaseMs > 0) {
      this.waitedForLeases++;
      await sleep(leaseMs);
    }
  }

  /** A new tag for one analysis: what was cached for it can no longer be read. */
  private bumpGeneration(analysisId: string): Promise<boolean> {
    return this.meta.set(genKey(analysisId), token(), GEN_TTL_MS);
  }

  /** A new tag for every analysis. */
  private bumpEpoch(): Promise<boolean> {
    return this.meta.set(EPOCH_KEY, token());
  }

  /** How many invalidations waited out a lease: only those that another process may have held. */
  get leaseWaits(): number {
    return this.waitedForLeases;
  }

  /**
   * Empties the namespace, or one analysis. Bumping the tag makes it take effect at once; the keys
   * are then deleted by SCAN (never KEYS) to free memory. Returns how many keys were deleted.
   */
  async clear(opts: { analysisId?: string } = {}): Promise<CacheClearResult> {
    const id = opts.analysisId === undefined ? null : requireUuid(opts.analysisId, 'analysis');
    if (id === null) this.near.clear();
    this.tracker?.forget(id ?? undefined);
    await this.run(() => (id === null ? this.bumpEpoch() : this.bumpGeneration(id))).catch((err: unknown) => {
      throw err instanceof RedisUnavailableError
        ? new ServiceUnavailableError('The cache (Redis) is unavailable')
        : err;
    });
    if (this.tracker) await sleep(this.tracker.leaseMs);
    const patterns = id === null ? ['*'] : ANALYSIS_CACHE_KINDS.map((k) => `${k}:${id}`).concat(`report:${id}:*`);
    const keep = (key: string) => key === EPOCH_KEY || key.startsWith('gen:') || key.startsWith('holders:');
    let deleted = 0;
    if (this.redis) {
      const client = this.redis.client;
      const prefix = `${this.deps.namespace}::`;
      const glob = prefix.replace(/[*?[\]\\]/g, '\\$&');
      for (const pattern of patterns) {
        for await (const batch of client.scanIterator({ MATCH: glob + pattern, COUNT: 500 })) {
          const doomed = batch.filter((k) => !keep(k.slice(prefix.length)));
          if (doomed.length) deleted += await this.run(() => client.unlink(doomed));
        }
      }
    } else if (this.lru) {
      const re = new RegExp(
        `^(?:${patterns.map((p) => p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')).join('|')})$`,
      );
      for (const key of [...this.lru.keys()]) if (!keep(key) && re.test(key) && this.lru.delete(key)) deleted++;
    }
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
    await this.counters.flush();
    await Promise.all([this.redis?.close(), this.tracker?.close()]);
  }
}
