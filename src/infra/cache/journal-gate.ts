/**
 * What this process may serve from the cache while a write elsewhere may have failed to invalidate
 * it. A write whose invalidation Redis did not take is recorded in the journal (PostgreSQL) and
 * acknowledged only `2 × windowMs` later (invalidation.ts); every instance checks the journal every
 * quarter window. So a read that starts after such a write was acknowledged finds, in a check that
 * started less than a window earlier, the write's record already a window old: the analysis is
 * named there (and not served from the cache) until its invalidation reaches Redis.
 *
 * A check that cannot tell (the database is away or too slow) keeps what the last one found: then
 * only a write acknowledged while this process could not reach PostgreSQL, and whose writer could
 * not reach Redis, may be read stale until the replay (two faults at once).
 */
export class JournalGate {
  private checkedAt = -Infinity;
  private pending = new Set<string>();
  private all = false;

  constructor(
    readonly windowMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** True while the last check started less than a window ago. */
  get fresh(): boolean {
    return this.now() - this.checkedAt < this.windowMs;
  }

  /** True when a check that started less than a window ago named nothing pending for this analysis. */
  vouches(analysisId: string): boolean {
    return this.fresh && !this.all && !this.pending.has(analysisId);
  }

  /**
   * A check that started at `startedAt` found these analyses pending (null: every analysis), or,
   * with `found` undefined, could not tell: what the last check found stands.
   */
  checked(startedAt: number, found?: readonly (string | null)[]): void {
    if (startedAt < this.checkedAt) return;
    this.checkedAt = startedAt;
    if (found === undefined) return;
    this.all = found.includes(null);
    this.pending = new Set(found.filter((id): id is string => id !== null));
  }

  /**
   * Redis took a new tag for these analyses (null: a new epoch) after their records were read from
   * the journal: what was cached for them before can no longer be read, so they may be served again.
   */
  cleared(analysisIds: readonly string[] | null): void {
    if (analysisIds === null) {
      this.all = false;
      this.pending.clear();
    } else for (const id of analysisIds) this.pending.delete(id);
  }
}
