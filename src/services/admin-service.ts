import { recentActivity, suspendedSubscriptions } from '../db/activity-repo.js';
import { listRetrying } from '../db/delivery-repo.js';
import { maskEmail } from '../domain/email-mask.js';
import type { CacheStats } from '../infra/cache/cache-service.js';
import { queuedNote, type Liveness } from '../domain/liveness.js';
import type { ConsoleService } from './console-service.js';
import type { LivenessService } from './liveness-service.js';
import type { DeliveryService, RetryResult } from './delivery-service.js';
import type { ServiceDeps } from './deps.js';

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);
const LIST_LIMIT = 50;
const ACTIVITY_WINDOW_MS = 3_600_000;

/** A failed delivery as the console shows it: company, period, attempts, error, time, masked email. */
export type FailureView = {
  id: string;
  subscription_id: string;
  analysis_id: string;
  company_name: string | null;
  email: string;
  period_key: string;
  attempts: number;
  last_error: string | null;
  failed_at: string | null;
  subscription_state: 'active' | 'suspended' | 'unsubscribed';
};

/**
 * What the support console shows, as served by `GET /admin/console` (under API_PREFIX). Each section is null
 * when it could not be read, so the console says "unknown" instead of 0. Times are ISO strings.
 */
export type AdminOverview = {
  at: string;
  database: 'postgres' | 'pglite';
  /** The report scheduler, delivery workers and confirmation senders, alive or stale. */
  liveness: Liveness | null;
  cache: CacheStats | null;
  subscriptions: {
    weekly: number;
    monthly: number;
    /** Pending double opt-in. */
    awaiting_confirmation: number;
    inactive: number;
    suspended: number;
  } | null;
  deliveries: {
    pending: number;
    sending: number;
    sent: number;
    failed: number;
    cancelled: number;
    due_now: number;
  } | null;
  retrying:
    | {
        id: string;
        company_name: string | null;
        period_key: string;
        attempts: number;
        last_error: string | null;
        next_attempt_at: string | null;
      }[]
    | null;
  failures: FailureView[] | null;
  suspended:
    | {
        subscription_id: string;
        email: string;
        company_name: string | null;
        bounce_count: number;
        suspended_at: string | null;
      }[]
    | null;
  next_runs: { weekly: string | null; monthly: string | null } | null;
  activity: {
    since: string;
    progress_updates: number;
    badges_awarded: number;
    latest: { kind: 'progress' | 'badge'; company_name: string | null; what: string; at: string | null }[];
  } | null;
};

const settled = <T>(r: PromiseSettledResult<T>): T | null => (r.status === 'fulfilled' ? r.value : null);

/** The operator's view of the running service (the console reads it over HTTP) and its actions. */
export class AdminService {
  constructor(
    private readonly deps: ServiceDeps & {
      dbKind: 'postgres' | 'pglite';
      consoleSnapshot: ConsoleService;
      deliveries: DeliveryService;
      liveness: LivenessService;
    },
  ) {}

  async overview(): Promise<AdminOverview> {
    const { db, clock } = this.deps;
    const now = clock.now();
    const since = new Date(now.getTime() - ACTIVITY_WINDOW_MS);
    const [snap, cache, retrying, failures, suspended, activity, live] = await Promise.allSettled([
      this.deps.consoleSnapshot.snapshot(),
      this.deps.cache.stats(),
      listRetrying(db, LIST_LIMIT),
      this.failures({ limit: LIST_LIMIT }),
      suspendedSubscriptions(db, LIST_LIMIT),
      recentActivity(db, since, 8),
      this.deps.liveness.status(),
    ]);
    const s = settled(snap);
    const susp = settled(suspended);
    const act = settled(activity);
    for (const r of [snap, cache, retrying, failures, suspended, activity, live]) {
      if (r.status === 'rejected')
        this.deps.logger.warn({ err: r.reason }, 'admin overview: a section could not be read');
    }
    return {
      at: now.toISOString(),
      database: this.deps.dbKind,
      liveness: settled(live),
      cache: settled(cache),
      subscriptions:
        s && susp
          ? { ...s.subscriptions, inactive: s.subscriptions.inactive - susp.total, suspended: susp.total }
          : null,
      deliveries: s ? { ...s.deliveries, due_now: s.due_now } : null,
      retrying: settled(retrying)?.map((r) => ({ ...r, next_attempt_at: iso(r.next_attempt_at) })) ?? null,
      failures: settled(failures),
      suspended:
        susp?.rows.map((r) => ({
          ...r,
          email: maskEmail(r.email),
          bounce_count: Number(r.bounce_count),
          suspended_at: iso(r.suspended_at),
        })) ?? null,
      next_runs: s ? { weekly: iso(s.next_runs.weekly), monthly: iso(s.next_runs.monthly) } : null,
      activity: act
        ? {
            since: since.toISOString(),
            ...act,
            latest: act.latest.map((a) => ({
              kind: a.kind,
              company_name: a.company_name,
              what: a.what,
              at: iso(a.at),
            })),
          }
        : null,
    };
  }

  /** Failed deliveries with masked emails, newest first. */
  async failures(opts: { periodKey?: string | undefined; limit?: number } = {}): Promise<FailureView[]> {
    const rows = await this.deps.deliveries.failed(opts);
    return rows.map(({ frequency: _frequency, ...r }) => ({
      ...r,
      email: maskEmail(r.email),
      failed_at: iso(r.failed_at),
    }));
  }

  /** Requeues failed deliveries (see DeliveryService.retryFailed); emails masked in the answer. */
  async retry(opts: {
    id?: string | undefined;
    periodKey?: string | undefined;
    dryRun?: boolean;
  }): Promise<RetryResult & { workers_alive: number | null; note: string }> {
    const result = await this.deps.deliveries.retryFailed(opts);
    const mask = <T extends { email: string }>(d: T): T => ({ ...d, email: maskEmail(d.email) });
    const workers = await this.deps.liveness.status().then(
      (l) => l.workers,
      () => null,
    );
    const note = result.dry_run || result.requeued.length === 0 ? 'nothing queued' : queuedNote(workers);
    return {
      ...result,
      requeued: result.requeued.map(mask),
      skipped: result.skipped.map(mask),
      workers_alive: workers,
      note,
    };
  }
}
