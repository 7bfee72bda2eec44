import Keyv from 'keyv';
import KeyvRedis from '@keyv/redis';
import type { Logger } from '../logger.js';

/** What is cached per analysis; the contract's key is `{kind}:{analysisId}`. */
export type AnalysisCacheKind = 'dashboard' | 'metrics' | 'recommendations' | 'badges' | `report:${string}`;

export type CacheStats = {
  health: 'healthy' | 'degraded';
  backend: 'redis' | 'memory';
  hits: number;
  misses: number;
  hit_rate: number;
  memory_used: string | null;
  connected_clients: number | null;
};

/** Read-through cache over Keyv: Redis when configured, an in-process map otherwise. */
export class CacheService {
  private hits = 0;
  private misses = 0;
  private readonly keyv: Keyv;

  constructor(
    private readonly deps: { redisUrl: string | null; namespace: string; logger: Logger },
  ) {
    const store = deps.redisUrl ? new KeyvRedis(deps.redisUrl) : new Map();
    this.keyv = new Keyv({ store, namespace: deps.namespace, useKeyPrefix: false });
    this.keyv.on('error', (err: unknown) => deps.logger.warn({ err }, 'cache error'));
  }

  get backend(): 'redis' | 'memory' {
    return this.deps.redisUrl ? 'redis' : 'memory';
  }

  async get<T>(key: string): Promise<T | undefined> {
    try {
      return (await this.keyv.get(key)) as T | undefined;
    } catch {
      return undefined;
    }
  }

  async set(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    try {
      await this.keyv.set(key, value, ttlSeconds * 1000);
    } catch {
      /* the cache is an optimisation: a failed write is not an error */
    }
  }

  /** Returns the cached value for an analysis, or loads, stores and returns it. */
  async wrapAnalysis<T>(analysisId: string, kind: AnalysisCacheKind, ttlSeconds: number, load: () => Promise<T>): Promise<T> {
    const key = `${kind}:${analysisId}`;
    const cached = await this.get<T>(key);
    if (cached !== undefined) {
      this.hits++;
      return cached;
    }
    this.misses++;
    const value = await load();
    await this.set(key, value, ttlSeconds);
    return value;
  }

  /** Drops everything cached for one analysis. */
  async invalidateAnalysis(analysisId: string): Promise<void> {
    const kinds: AnalysisCacheKind[] = ['dashboard', 'metrics', 'recommendations', 'badges'];
    try {
      await this.keyv.deleteMany(kinds.map((k) => `${k}:${analysisId}`));
    } catch {
      /* see set() */
    }
  }

  /** True when the cache answers. */
  async ping(): Promise<boolean> {
    try {
      await this.keyv.get('__ping__');
      return true;
    } catch {
      return false;
    }
  }

  async stats(): Promise<CacheStats> {
    const total = this.hits + this.misses;
    return {
      health: 'healthy',
      backend: this.backend,
      hits: this.hits,
      misses: this.misses,
      hit_rate: total === 0 ? 0 : Math.round((this.hits / total) * 10000) / 100,
      memory_used: null,
      connected_clients: null,
    };
  }

  async close(): Promise<void> {
    await this.keyv.disconnect().catch(() => undefined);
  }
}
