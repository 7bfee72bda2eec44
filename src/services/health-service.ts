import type { Knex } from 'knex';
import { pingDatabase } from '../db/ping.js';
import type { CacheService } from '../infra/cache/cache-service.js';
import type { Lifecycle } from '../infra/lifecycle.js';

/**
 * The /health body: `draining` once shutdown has begun, `down` when the database does not answer,
 * `degraded` when only the cache is away.
 */
export type Health = {
  status: 'ok' | 'degraded' | 'down' | 'draining';
  database: { status: 'up' | 'down'; kind: 'postgres' | 'pglite'; latency_ms: number };
  cache: { status: 'up' | 'down'; backend: 'redis' | 'memory' };
};

type HealthDeps = {
  db: Knex;
  dbKind: 'postgres' | 'pglite';
  cache: CacheService;
  lifecycle: Lifecycle;
  pingTimeoutMs?: number;
};

// /health answers within 1 s even when the database hangs: a load balancer's probe must not time out.
const PING_TIMEOUT_MS = 800;

const withTimeout = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);

/** Database and cache health, for load balancers and operators. */
export class HealthService {
  constructor(private readonly deps: HealthDeps) {}

  /** Pings the database and the cache at the same time, each under its own deadline (the cache's is 250 ms). */
  async check(): Promise<Health> {
    const started = performance.now();
    let latency = 0;
    const [dbUp, cacheUp] = await Promise.all([
      withTimeout(pingDatabase(this.deps.db), this.deps.pingTimeoutMs ?? PING_TIMEOUT_MS)
        .then(
          () => true,
          () => false,
        )
        .finally(() => (latency = Math.round((performance.now() - started) * 10) / 10)),
      this.deps.cache.probe(),
    ]);
    return {
      status: this.deps.lifecycle.draining ? 'draining' : !dbUp ? 'down' : cacheUp ? 'ok' : 'degraded',
      database: { status: dbUp ? 'up' : 'down', kind: this.deps.dbKind, latency_ms: latency },
      cache: { status: cacheUp ? 'up' : 'down', backend: this.deps.cache.backend },
    };
  }
}
