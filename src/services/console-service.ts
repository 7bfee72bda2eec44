import type { Knex } from 'knex';
import { countByStatus, type DeliveryStatus } from '../db/delivery-repo.js';
import { nextSendTime } from '../domain/report-schedule.js';
import type { Frequency } from '../domain/report-period.js';
import type { CacheService, CacheStats } from '../infra/cache/cache-service.js';
import type { Clock } from '../clock.js';

export type QueueFailure = { id: string; period_key: string; attempts: number; last_error: string | null; at: Date };

/** What the support console shows at one moment. */
export type ConsoleSnapshot = {
  at: Date;
  database: 'postgres' | 'pglite';
  cache: CacheStats;
  deliveries: Record<DeliveryStatus, number>;
  /** Pending deliveries whose time has come (waiting for a worker). */
  due_now: number;
  subscriptions: Record<Frequency, number> & { inactive: number };
  next_runs: Record<Frequency, Date | null>;
  failures: QueueFailure[];
};

/** Read-only operational figures for the Ink console. */
export class ConsoleService {
  constructor(private readonly deps: { db: Knex; dbKind: 'postgres' | 'pglite'; cache: CacheService; clock: Clock; timeZone: string }) {}

  async snapshot(): Promise<ConsoleSnapshot> {
    const { db, clock } = this.deps;
    const now = clock.now();
    const [cache, deliveries, dueRow, subs, failures] = await Promise.all([
      this.deps.cache.stats(),
      countByStatus(db),
      db('report_deliveries').where('status', 'pending').andWhere('next_attempt_at', '<=', now).count<{ n: string | number }[]>('* as n').first(),
      db('email_subscriptions').select('frequency', 'active').count<{ frequency: Frequency; active: boolean; n: string | number }[]>('* as n').groupBy('frequency', 'active'),
      db('report_deliveries').where('status', 'failed').orderBy('next_attempt_at', 'desc').limit(5)
        .select('id', 'period_key', 'attempts', 'last_error', 'next_attempt_at as at'),
    ]);
    const subscriptions = { weekly: 0, monthly: 0, inactive: 0 };
    for (const s of subs) {
      if (s.active) subscriptions[s.frequency] += Number(s.n);
      else subscriptions.inactive += Number(s.n);
    }
    // The next 09:00 in REPORT_TIME_ZONE; analyses in other zones follow their own 09:00.
    const nextRun = (f: Frequency) => nextSendTime(f, now, this.deps.timeZone);
    return {
      at: now,
      database: this.deps.dbKind,
      cache,
      deliveries,
      due_now: Number(dueRow?.n ?? 0),
      subscriptions,
      next_runs: { weekly: nextRun('weekly'), monthly: nextRun('monthly') },
      failures: failures as QueueFailure[],
    };
  }
}
