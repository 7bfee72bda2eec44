import { expect } from 'chai';
import { api, startHarness, type Harness } from './harness.js';
import { SPEC_RESULTS, uniqueUrl } from './fixtures.js';
import type { CacheHooks } from '../../src/infra/cache/cache-service.js';
import { OwnRedis } from './redis-server.js';

export type CacheBackend = 'redis' | 'memory';
export const CACHE_BACKENDS: readonly CacheBackend[] = ['redis', 'memory'];

/**
 * The two ways a Redis-backed process knows an entry is current: reading the generation tags on
 * every hit (one MGET), or holding them under CLIENT TRACKING for a lease. The lease here is long,
 * so that a loaded test machine does not let it lapse between two requests.
 */
export const REDIS_DESIGNS = [
  { name: 'tags read on every hit', env: { CACHE_LEASE_MS: '0' } },
  { name: 'tags held under CLIENT TRACKING', env: { CACHE_LEASE_MS: '250' } },
] as const;

/** Counts read-through loads per cache key, and lets a test pause one of them. */
export class LoadProbe {
  readonly loads: string[] = [];
  private paused: { key: string; reached: () => void; gate: Promise<void> } | null = null;

  readonly hooks: CacheHooks = {
    afterLoad: async (key) => {
      this.loads.push(key);
      const p = this.paused;
      if (p && p.key === key) {
        this.paused = null;
        p.reached();
        await p.gate;
      }
    },
  };

  count(key: string): number {
    return this.loads.filter((k) => k === key).length;
  }

  /** Holds the next load of `key` after its database query; resolves `reached` once it is held. */
  pauseNext(key: string): { reached: Promise<void>; release: () => void } {
    let release!: () => void;
    let reached!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const reachedP = new Promise<void>((r) => (reached = r));
    this.paused = { key, reached, gate };
    return { reached: reachedP, release };
  }
}

/** A harness on real PostgreSQL with the given cache backend, waiting until the cache answers. */
export async function startCacheHarness(
  backend: CacheBackend,
  opts: { env?: Record<string, string>; probe?: LoadProbe } = {},
): Promise<Harness> {
  const h = await startHarness('postgres', {
    redis: backend === 'redis',
    env: opts.env,
    overrides: opts.probe ? { hooks: { cache: opts.probe.hooks } } : {},
  });
  expect(await h.container.cache.ready(5000), 'cache ready').to.equal(true);
  return h;
}

/** Creates an analysis with the spec's three opportunities through the API. */
export async function specAnalysis(baseUrl: string): Promise<string> {
  const res = await api(baseUrl).post('/analyses', { url: uniqueUrl(), results_summary: SPEC_RESULTS });
  expect(res.status).to.equal(201);
  return res.body.analysis_id as string;
}

/** Status of one opportunity in a dashboard body. */
export const statusOf = (body: { opportunities: { opportunity_id: string; status: string }[] }, id: string) =>
  body.opportunities.find((o) => o.opportunity_id === id)?.status;

/** Mocha hooks for a Redis-backed harness on a redis-server of the test's own, which it may kill. */
export function useOwnRedisHarness() {
  const t = {} as { redis: OwnRedis; h: Harness };
  before(async () => {
    t.redis = await OwnRedis.start();
    t.h = await startCacheHarness('redis', { env: { REDIS_URL: t.redis.url } });
  });
  after(async () => {
    await t.h?.close();
    await t.redis?.stop();
  });
  return t;
}
