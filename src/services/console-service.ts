import type { Knex } from 'knex';
import { countDueDeliveries, countSubscriptions, listRecentFailures, type QueueFailure } from '../db/console-repo.js';
import { countByStatus, type DeliveryStatus } from '../db/delivery-repo.js';
import { nextSendTime } from '../domain/report-schedule.js';
import type { Frequency } from '../domain/report-period.js';
import type { CacheService, CacheStats } from '../infra/cache/cache-service.js';
import type { Clock } from '../clock.js';

export type { QueueFailure };

/** What the support console shows at one moment. */
export type ConsoleSnapshot = {
  at: Date;
  database: 'postgres' | 'pglite';
  cache: CacheStats;
  deliveries: Record<DeliveryStatus, number>;
  /** Pending deliveries whose time has come (waiting for a worker). */
  due_now: number;
  subscriptions: Record<Frequency, number> & { awaiting_confirmation: number; inactive: number };
  next_runs: Record<Frequency, Date | null>;
  failures: QueueFailure[];
};

/** Read-only operational figures for the Ink console. */
export class ConsoleService {
  constructor(
    private readonly deps: {
      db: Knex;
      dbKind: 'postgres' | 'pglite';
      cache: CacheService;
      clock: Clock;
      timeZone: string;
    },
  ) {}

  async snapshot(): Promise<ConsoleSnapshot> {
    const { db, clock } = this.deps;
    const now = clock.now();
    const [cache, deliveries, dueNow, subscriptions, failures] = await Promise.all([
      this.deps.cache.stats(),
      countByStatus(db),
      countDueDeliveries(db, now),
      countSubscriptions(db),
      listRecentFailures(db, 5),
    ]);
    // The next 09:00 in REPORT_TIME_ZONE; analyses in other zones follow their own 09:00.
    const nextRun = (f: Frequency) => nextSendTime(f, now, this.deps.timeZone);
    return {
      at: now,
      database: this.deps.dbKind,
      cache,
      deliveries,
      due_now: dueNow,
      subscriptions,
      next_runs: { weekly: nextRun('weekly'), monthly: nextRun('monthly') },
      failures,
    };
  }
}
