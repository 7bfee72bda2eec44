import type { Knex } from 'knex';
import type Keyv from 'keyv';
import type { Logger } from '../../logger.js';
import { ServiceUnavailableError } from '../../errors.js';
import { EPOCH_KEY, GEN_TTL_MS, genKey, newToken } from './cache-keys.js';
import { leaseToOutlive, type GenerationTracker } from './generation-tracker.js';
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
  /** True when one was recorded at least `olderThanMs` ago (one cheap query). */
  due(olderThanMs: number): Promise<boolean>;
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
  /** How often every instance looks for invalidations left behind (a writer cut off from Redis, or dead). */
  replayEveryMs?: number;
  /** How old one must be before another instance replays it: its writer normally settles it first. */
  replayGraceMs?: number;
};

const REPLAY_BATCH = 500;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** PostgreSQL's undefined_table: the schema is not migrated yet, so nothing can be pending. */
const noJournalYet = (err: unknown) => (err as { code?: string } | null)?.code === '42P01';

/**
 * Invalidation: a write makes everything cached for its analysis unreadable, in every process
 * sharing the namespace, before it returns. With Redis, a write records the invalidation in its
 * own transaction (the journal); once Redis took the new generation the writer deletes the record.
 * What Redis could not take stays recorded: any live instance replays it within seconds (a poll of
 * the journal every `replayEveryMs`), and every instance replays all of it before it reads from
 * Redis again after an outage of its own. This process also remembers its own misses in memory
 * (missed-invalidations.ts), so its recovery does not depend on the database answering.
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

  constructor(private readonly deps: InvalidationDeps) {
    if (!deps.redis) return;
    deps.redis.onRecovery({ run: (guard) => this.recover(guard), done: () => this.missed.none });
    if (deps.journal) this.poller = setInterval(() => this.poll(), deps.replayEveryMs ?? 1000).unref();
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
    if (rows.some((r) => r.analysis_id === null)) await this.bumpEpoch();
    else await Promise.all([...new Set(rows.map((r) => r.analysis_id!))].map((id) => this.bumpGeneration(id)));
    this.replayedRows += rows.length;
  }

  /** Every instance, every `replayEveryMs`: replays what writers left behind, while Redis answers here. */
  private poll(): void {
    if (this.polling || !this.deps.redis?.available) return;
    this.polling = this.replayDue()
      .catch((err: unknown) => this.deps.logger.debug({ err }, 'cache: replay of pending invalidations failed'))
      .finally(() => (this.polling = null));
  }

  private async replayDue(): Promise<void> {
    const { journal, redis } = this.deps;
    const olderThanMs = this.deps.replayGraceMs ?? 1000;
    if (!journal || !redis || !(await journal.due(olderThanMs))) return;
    let n: number;
    do n = await journal.replay({ limit: REPLAY_BATCH, olderThanMs }, (rows) => redis.run(() => this.apply(rows)));
    while (n === REPLAY_BATCH);
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
    let n: number;
    do n = await journal.replay({ limit: REPLAY_BATCH, olderThanMs: 0, upTo }, (rows) => guard(this.apply(rows)));
    while (n === REPLAY_BATCH);
    if (await journal.left(upTo)) throw new Error('pending invalidations are still being replayed');
  }

  async close(): Promise<void> {
    if (this.poller) clearInterval(this.poller);
    await this.polling;
  }
}
