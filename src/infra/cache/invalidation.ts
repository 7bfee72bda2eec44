import type { Knex } from 'knex';
import type Keyv from 'keyv';
import type { Logger } from '../../logger.js';
import { ServiceUnavailableError } from '../../errors.js';
import { EPOCH_KEY, GEN_TTL_MS, genKey, newToken } from './cache-keys.js';
import { leaseToOutlive, type GenerationTracker } from './generation-tracker.js';
import { JournalGate } from './journal-gate.js';
import { MissedInvalidations } from './missed-invalidations.js';
import { RedisUnavailableError, type RedisConnection } from '../redis/redis-connection.js';

/** One pending invalidation: an analysis, or every analysis (`analysis_id` null). */
export type PendingInvalidation = { id: string; analysis_id: string | null };

/**
 * Where invalidations not yet acknowledged by Redis are kept durably, for one namespace
 * (PostgreSQL: src/db/invalidation-repo.ts, wired by the container).
 */
export type InvalidationJournal = {
  /** Records pending invalidations in the write's own transaction; returns their ids. */
  record(trx: Knex.Transaction, analysisIds: readonly (string | null)[]): Promise<string[]>;
  /** Deletes invalidations Redis has taken. */
  settle(ids: readonly string[]): Promise<void>;
  /** The analyses (null: every one) with one recorded at least `olderThanMs` ago; at most `limit`. */
  pending(olderThanMs: number, limit: number): Promise<(string | null)[]>;
  /** The newest pending id, or null. */
  last(): Promise<string | null>;
  /** True while any up to `upTo` is left, including those another instance is replaying. */
  left(upTo: string): Promise<boolean>;
  /** Claims a batch in id order, runs `apply`, deletes it; returns how many. */
  replay(
    opts: { limit: number; olderThanMs: number; upTo?: string | null },
    apply: (rows: PendingInvalidation[]) => Promise<void>,
  ): Promise<number>;
};

export type InvalidationDeps = {
  meta: Keyv;
  redis: RedisConnection | null;
  tracker: GenerationTracker | null;
  namespace: string;
  journal: InvalidationJournal | null;
  logger: Logger;
  /**
   * The journal gate's window (journal-gate.ts): every instance checks the journal each quarter of
   * it, and replays what is at least that old (its writer normally settles it first).
   */
  journalWindowMs?: number;
};

const REPLAY_BATCH = 500;
/** Past this many analyses pending, every analysis is treated as pending. */
const MAX_PENDING_NAMED = 1000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** PostgreSQL's undefined_table: the schema is not migrated yet, so nothing can be pending. */
const noJournalYet = (err: unknown) => (err as { code?: string } | null)?.code === '42P01';

/**
 * Invalidation: a write makes everything cached for its analysis unreadable, in every process
 * sharing the namespace, before it returns. With Redis, a write records the invalidation in its
 * own transaction (the journal); once Redis took the new generation the writer deletes the record.
 * What Redis could not take stays recorded, and the write is acknowledged two journal windows
 * later: every instance checks the journal each quarter window, replays what a writer left behind,
 * and does not serve from the cache an analysis still named there (journal-gate.ts). Every
 * instance also replays all of it before it reads from Redis again after an outage of its own, and
 * this process remembers its own misses in memory (missed-invalidations.ts), so its recovery does
 * not depend on the database answering.
 */
export class Invalidation {
  private readonly missed = new MissedInvalidations({
    analysis: (id) => this.bumpGeneration(id),
    all: () => this.bumpEpoch(),
  });
  private waitedForLeases = 0;
  private replayedRows = 0;
  private readonly poller: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private pollStartedAt = -Infinity;
  /** Null when no write can be acknowledged without its invalidation (no journal, or no Redis). */
  private readonly gate: JournalGate | null = null;

  constructor(private readonly deps: InvalidationDeps) {
    if (!deps.redis) return;
    deps.redis.onRecovery({ run: (guard) => this.recover(guard), done: () => this.missed.none });
    if (!deps.journal) return;
    this.gate = new JournalGate(deps.journalWindowMs ?? 1000);
    this.poller = setInterval(() => this.poll(), this.gate.windowMs / 4).unref();
    this.poll();
  }

  /** True when no journal check forbids serving this analysis from the cache now (journal-gate.ts). */
  vouches(analysisId: string): boolean {
    return this.gate?.vouches(analysisId) ?? true;
  }

  /** `vouches`, after a journal check if the last one is more than a window old. */
  async vouched(analysisId: string): Promise<boolean> {
    if (!this.gate || this.gate.fresh) return this.vouches(analysisId);
    this.poll();
    await this.polling;
    return this.vouches(analysisId);
  }

  /** How many invalidations waited out a lease: only those that another process may have held. */
  get leaseWaits(): number {
    return this.waitedForLeases;
  }

  /** Journal rows this process replayed for writers that could not (poll or recovery). */
  get replayed(): number {
    return this.replayedRows;
  }

  /**
   * Runs `work` in a transaction of `db`. Each analysis passed to `invalidate` is recorded as a
   * pending invalidation in that transaction (with Redis), and invalidated after the commit, before
   * this returns; the records Redis acknowledged are then deleted.
   */
  async transaction<T>(
    db: Knex,
    work: (trx: Knex.Transaction, invalidate: (analysisId: string) => void) => Promise<T>,
  ): Promise<T> {
    const touched = new Set<string>();
    let recorded: string[] = [];
    const journal = this.deps.redis ? this.deps.journal : null;
    const result = await db.transaction(async (trx) => {
      const value = await work(trx, (id) => void touched.add(id));
      if (journal && touched.size > 0) recorded = await journal.record(trx, [...touched]);
      return value;
    });
    const taken: string[] = [];
    for (const [i, id] of [...touched].entries()) {
      if ((await this.invalidateAnalysis(id)) && recorded[i] !== undefined) taken.push(recorded[i]);
    }
    if (journal && taken.length > 0)
      await journal.settle(taken).catch((err: unknown) => this.deps.logger.debug({ err }, 'cache: settle failed'));
    // What Redis did not take: every instance's journal check must find it a window old first.
    if (this.gate && taken.length < recorded.length) await sleep(2 * this.gate.windowMs);
    return result;
  }

  /**
   * Makes everything cached for one analysis unreadable, in every process sharing the namespace,
   * before returning. True when Redis took it; if not, it is remembered and replayed before this
   * process reads from Redis again (and the journal, when the write recorded it, covers the others).
   */
  async invalidateAnalysis(analysisId: string): Promise<boolean> {
    const { redis, tracker } = this.deps;
    tracker?.forget(analysisId);
    let leaseMs = tracker?.leaseMs ?? 0;
    let taken = true;
    try {
      await this.run(() => this.bumpGeneration(analysisId));
      // A read of this process that was in flight may have held the old tag meanwhile.
      tracker?.forget(analysisId);
      // Outlive every lease another process may hold on the old tag (generation-tracker.ts).
      if (redis) leaseMs = await leaseToOutlive(redis, this.deps.namespace, analysisId, tracker?.member ?? null);
    } catch (err) {
      taken = false;
      this.missed.remember(analysisId);
      // A command that failed (rather than being skipped) means Redis may come back holding
      // the old generation: stop reading from it until the replay has run.
      if (!(err instanceof RedisUnavailableError)) redis?.trip();
    }
    if (leaseMs > 0) {
      this.waitedForLeases++;
      await sleep(leaseMs);
    }
    return taken;
  }

  /** A new tag for one analysis (`analysisId`) or all, now: an operator's clear. Throws when Redis is away. */
  async retag(analysisId: string | null): Promise<void> {
    this.deps.tracker?.forget(analysisId ?? undefined);
    await this.run(() => (analysisId === null ? this.bumpEpoch() : this.bumpGeneration(analysisId))).catch(
      (err: unknown) => {
        throw err instanceof RedisUnavailableError
          ? new ServiceUnavailableError('The cache (Redis) is unavailable')
          : err;
      },
    );
    if (this.deps.tracker) await sleep(this.deps.tracker.leaseMs);
  }

  private run<T>(op: () => Promise<T>): Promise<T> {
    return this.deps.redis ? this.deps.redis.run(op) : op();
  }

  /** A new tag for one analysis: what was cached for it can no longer be read. */
  private bumpGeneration(analysisId: string): Promise<boolean> {
    return this.deps.meta.set(genKey(analysisId), newToken(), GEN_TTL_MS);
  }

  /** A new tag for every analysis. */
  private bumpEpoch(): Promise<boolean> {
    return this.deps.meta.set(EPOCH_KEY, newToken());
  }

  /** Replays one batch of journal rows, in id order: the epoch once if any row names every analysis. */
  private async apply(rows: PendingInvalidation[]): Promise<void> {
    const { tracker } = this.deps;
    const gate = this.gate!; // rows are replayed only with a journal and Redis: the gate is there
    if (rows.some((r) => r.analysis_id === null)) {
      await this.bumpEpoch();
      tracker?.forget();
      gate.cleared(null);
    } else {
      const ids = [...new Set(rows.map((r) => r.analysis_id!))];
      await Promise.all(ids.map((id) => this.bumpGeneration(id)));
      for (const id of ids) tracker?.forget(id);
      gate.cleared(ids);
    }
  }

  /** Replays batches of the journal until one comes short; counts the rows whose replay was committed. */
  private async replayAll(
    opts: { olderThanMs: number; upTo?: string | null },
    apply: (rows: PendingInvalidation[]) => Promise<void>,
  ): Promise<void> {
    let n: number;
    do {
      n = await this.deps.journal!.replay({ limit: REPLAY_BATCH, ...opts }, apply);
      this.replayedRows += n;
    } while (n === REPLAY_BATCH);
  }

  /**
   * Every instance, each quarter journal window: a journal check (journal-gate.ts), replaying what
   * writers left behind while Redis answers here. A check still running after half a window cannot
   * tell, and the gate keeps what the last one found.
   */
  private poll(): void {
    const gate = this.gate!;
    const startedAt = performance.now();
    if (this.polling) {
      if (startedAt - this.pollStartedAt >= gate.windowMs / 2) gate.checked(startedAt);
      return;
    }
    this.pollStartedAt = startedAt;
    this.polling = this.check(startedAt)
      .catch((err: unknown) => {
        if (!noJournalYet(err)) this.deps.logger.debug({ err }, 'cache: journal check failed');
        gate.checked(startedAt, noJournalYet(err) ? [] : undefined);
      })
      .finally(() => (this.polling = null));
  }

  private async check(startedAt: number): Promise<void> {
    const journal = this.deps.journal!;
    const redis = this.deps.redis!;
    const gate = this.gate!;
    const olderThanMs = gate.windowMs;
    const pending = () => journal.pending(olderThanMs, MAX_PENDING_NAMED + 1);
    let found = await pending();
    if (found.length > 0 && redis.available) {
      try {
        await this.replayAll({ olderThanMs }, (rows) => redis.run(() => this.apply(rows)));
      } catch (err) {
        this.deps.logger.debug({ err }, 'cache: replay of pending invalidations failed');
      }
      found = await pending();
    }
    gate.checked(startedAt, found.length > MAX_PENDING_NAMED ? [null] : found);
  }

  /**
   * Before this process reads from Redis again after an outage: its own misses, then every journal
   * row recorded so far (whoever wrote it). The breaker stays open while rows up to that point are
   * still there, even ones another instance is replaying at this moment.
   */
  private async recover(guard: <T>(p: Promise<T>) => Promise<T>): Promise<void> {
    await this.missed.replay(guard);
    const journal = this.deps.journal;
    if (!journal) return;
    const upTo = await journal.last().catch((err: unknown) => {
      if (noJournalYet(err)) return null;
      throw err;
    });
    if (upTo === null) return;
    await this.replayAll({ olderThanMs: 0, upTo }, (rows) => guard(this.apply(rows)));
    if (await journal.left(upTo)) throw new Error('pending invalidations are still being replayed');
  }

  async close(): Promise<void> {
    if (this.poller) clearInterval(this.poller);
    await this.polling;
  }
}
