import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { RequestHistogram } from './request-histogram.js';

/** Where the scrape-time gauges read their figures from (the database, the pool). */
export type MetricSources = {
  badgesByType(): Promise<{ type: string; count: number }[]>;
  deliveriesByState(): Promise<{ state: string; count: number }[]>;
  pool(): { used: number; free: number; pending: number } | null;
};

/** A scrape still answers while the database is down: those series are just absent. */
const orNone = <T>(p: Promise<T[]>): Promise<T[]> => p.catch(() => []);

/**
 * The Prometheus registry of one container (never prom-client's global one, so that several
 * containers in one process, as in tests, keep their own figures).
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly httpDuration = new RequestHistogram(
    'http_request_duration_seconds',
    'HTTP request duration by method, route template and status',
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    this.registry,
  );
  /** Cache reads by kind: [hits, misses], in plain numbers (a hit is counted on the hot path); scraped below. */
  private readonly lookups = new Map<string, [number, number]>();
  readonly cacheLookups: Counter<'kind' | 'result'> = new Counter({
    name: 'cache_lookups_total',
    help: 'Cache reads by kind and result (hit or miss)',
    labelNames: ['kind', 'result'] as const,
    registers: [this.registry],
    collect: () => {
      this.cacheLookups.reset();
      for (const [kind, [hits, misses]] of this.lookups) {
        if (hits) this.cacheLookups.inc({ kind, result: 'hit' }, hits);
        if (misses) this.cacheLookups.inc({ kind, result: 'miss' }, misses);
      }
    },
  });
  readonly rateLimited = new Counter({
    name: 'rate_limit_rejections_total',
    help: 'Requests answered 429, by limit',
    labelNames: ['limit'] as const,
    registers: [this.registry],
  });

  constructor(sources: MetricSources) {
    collectDefaultMetrics({ register: this.registry });
    this.countsGauge('badges_awarded', 'Badges held across all analyses, by type', 'type', async () =>
      (await orNone(sources.badgesByType())).map((r) => [r.type, r.count]),
    );
    this.countsGauge('report_deliveries', 'Report deliveries by state', 'state', async () =>
      (await orNone(sources.deliveriesByState())).map((r) => [r.state, r.count]),
    );
    new Gauge({
      name: 'db_pool_connections',
      help: 'Database pool connections by state (used, free, pending acquires); absent for PGlite',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        const use = sources.pool();
        if (!use) return;
        for (const [state, n] of Object.entries(use)) this.set({ state }, n);
      },
    });
  }

  /** A gauge of counts by one label, read from the database at scrape time (empty while it is down). */
  private countsGauge(name: string, help: string, label: string, read: () => Promise<[string, number][]>): void {
    new Gauge({
      name,
      help,
      labelNames: [label],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const [value, count] of await read()) this.set({ [label]: value }, count);
      },
    });
  }

  /** Counts one cache read of `kind`. */
  cacheLookup(kind: string, result: 'hit' | 'miss'): void {
    let counts = this.lookups.get(kind);
    if (!counts) this.lookups.set(kind, (counts = [0, 0]));
    counts[result === 'hit' ? 0 : 1]++;
  }

  /** The registry in Prometheus text format. */
  async scrape(): Promise<{ contentType: string; text: string }> {
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }
}
