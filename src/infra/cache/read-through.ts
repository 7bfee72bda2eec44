import type Keyv from 'keyv';
import { LRUCache } from 'lru-cache';
import { cachedSize } from './cached-body.js';
import {
  analysisCacheKey,
  GEN_TTL_MS,
  MAX_ENTRY_TTL_MS,
  readTag,
  type AnalysisCacheKind,
  type Entry,
} from './cache-keys.js';
import type { GenerationTracker } from './generation-tracker.js';
import type { RedisConnection } from '../redis/redis-connection.js';

/** Fault-injection seam for tests: runs after a read-through load and before its result is stored. */
export type CacheHooks = { afterLoad?: (key: string) => Promise<void> | void };

export type ReadThroughDeps = {
  /** The entries; `meta` holds the epoch and generations (the same store on Redis). */
  keyv: Keyv;
  meta: Keyv;
  redis: RedisConnection | null;
  tracker: GenerationTracker | null;
  /** False: every read loads from the database. */
  enabled: boolean;
  hooks?: CacheHooks | undefined;
  /** Told of every analysis lookup and whether it hit. */
  looked: (kind: AnalysisCacheKind, result: 'hit' | 'miss') => void;
  /**
   * Whether the journal lets this process serve an analysis from Redis (journal-gate.ts): `now`
   * without waiting, `soon` after a journal check when the last one is too old.
   */
  vouch: { now(analysisId: string): boolean; soon(analysisId: string): Promise<boolean> };
  /** Memory mode: the tag an analysis's entries must carry, read synchronously (memory-tags.ts). */
  memoryTag: ((analysisId: string) => string) | null;
};

/**
 * Reads an analysis's cached data through the cache: the entry is served only while its tag is
 * the current one (cache-keys.ts), concurrent misses on one key and tag share one load, and a
 * decoded copy is kept in this process (the near cache) for as long as its tag stays current.
 */
export class ReadThrough {
  private readonly flights = new Map<string, Promise<unknown>>();
  /** Decoded entries, valid only while their tag is the current one (read from the store each time). */
  private readonly near = new LRUCache<string, Entry>({
    max: 5000,
    ttl: 60_000,
    maxSize: 64 * 1024 * 1024,
    sizeCalculation: (e) => cachedSize(e.v),
  });

  constructor(private readonly deps: ReadThroughDeps) {}

  /** Runs a cache operation, or throws at once when Redis is unavailable. */
  private run<T>(op: () => Promise<T>): Promise<T> {
    return this.deps.redis ? this.deps.redis.run(op) : op();
  }

  /** Forgets every decoded entry of this process (a clear of the whole namespace). */
  clearNear(): void {
    this.near.clear();
  }

  /**
   * The tag a read must match: held by the tracker while Redis vouches for it (no round trip),
   * else one MGET of the epoch and generation.
   */
  private async currentTag(analysisId: string): Promise<string> {
    const { tracker, redis } = this.deps;
    const tracked = tracker && redis ? await tracker.tagFor(analysisId, redis) : undefined;
    if (tracked !== undefined) return tracked;
    return (await this.run(() => readTag(this.deps.meta, analysisId))).tag;
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
    if (!this.deps.enabled) return undefined;
    try {
      if (this.deps.redis && !this.deps.vouch.now(analysisId) && !(await this.deps.vouch.soon(analysisId)))
        return undefined;
      const tag = await this.currentTag(analysisId);
      const near = this.near.get(key);
      if (near?.g === tag) return { tag, entry: near };
      const entry = (await this.run(() => this.deps.keyv.get<Entry>(key))) as Entry | undefined;
      if (entry?.g === tag) this.near.set(key, entry);
      return { tag, entry };
    } catch {
      return undefined;
    }
  }

  /**
   * The cached value for an analysis when this process can vouch for it without waiting: its tag
   * held under the tracker's lease (in memory mode, the tag itself) and the entry for that tag in
   * the near cache. Undefined
   * otherwise (then `wrap` asks Redis, or loads); a hit is counted as `wrap` would.
   */
  peek<T>(analysisId: string, kind: AnalysisCacheKind): T | undefined {
    const { tracker, redis, memoryTag } = this.deps;
    if (memoryTag) return this.deps.enabled ? this.nearHit(analysisId, kind, memoryTag(analysisId)) : undefined;
    if (!tracker || !redis!.available || !this.deps.vouch.now(analysisId)) return undefined;
    return this.nearHit(analysisId, kind, tracker.held(analysisId));
  }

  /**
   * `peek`, once a lapsed lease is renewed when this process holds the tag (the PING the reads
   * waiting share, waited for a lease at most); never reads a tag or an entry from Redis.
   * In memory mode, the entry from this process's store. Never loads.
   */
  async held<T>(analysisId: string, kind: AnalysisCacheKind): Promise<T | undefined> {
    const { tracker, redis } = this.deps;
    if (!redis) return this.storedHit(analysisId, kind);
    if (!tracker || !redis.available) return undefined;
    if (!this.deps.vouch.now(analysisId) && !(await this.deps.vouch.soon(analysisId))) return undefined;
    return this.nearHit(analysisId, kind, await tracker.renewedHeld(analysisId));
  }

  /** Memory mode: the entry for the current tag, from this process's own store; never loads. */
  private async storedHit<T>(analysisId: string, kind: AnalysisCacheKind): Promise<T | undefined> {
    const found = await this.lookup(analysisId, analysisCacheKey(analysisId, kind));
    if (!found?.entry || found.entry.g !== found.tag) return undefined;
    this.deps.looked(kind, 'hit');
    return found.entry.v as T;
  }

  private nearHit<T>(analysisId: string, kind: AnalysisCacheKind, tag: string | undefined): T | undefined {
    if (tag === undefined) return undefined;
    const near = this.near.get(analysisCacheKey(analysisId, kind));
    if (near?.g !== tag) return undefined;
    this.deps.looked(kind, 'hit');
    return near.v as T;
  }

  /**
   * Returns the cached value for an analysis, or loads, stores and returns it. Concurrent misses
   * on one key and generation share one load; while the cache cannot answer, every read loads.
   * Values may be shared between callers: treat them as read-only.
   */
  async wrap<T>(analysisId: string, kind: AnalysisCacheKind, ttlSeconds: number, load: () => Promise<T>): Promise<T> {
    const key = analysisCacheKey(analysisId, kind);
    const found = await this.lookup(analysisId, key);
    if (found?.entry && found.entry.g === found.tag) {
      this.deps.looked(kind, 'hit');
      return found.entry.v as T;
    }
    this.deps.looked(kind, 'miss');
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
      await this.run(() => this.deps.keyv.set(key, entry, ttlMs)).catch(() => undefined);
      this.near.set(key, entry);
    }
    return value;
  }
}
