/** Beyond this many analyses, one epoch bump replays them all. */
const MAX_PENDING = 10_000;

/**
 * The invalidations Redis could not take during an outage, replayed before the cache is read
 * again: each analysis's generation is bumped, or, past MAX_PENDING, the epoch (every entry).
 */
export class MissedInvalidations {
  private readonly ids = new Set<string>();
  private all = false;

  constructor(private readonly bump: { analysis(id: string): Promise<unknown>; all(): Promise<unknown> }) {}

  remember(analysisId: string): void {
    if (this.ids.size < MAX_PENDING) this.ids.add(analysisId);
    else this.all = true;
  }

  get none(): boolean {
    return this.ids.size === 0 && !this.all;
  }

  /** Replays what was missed, 500 at a time, each command bounded by `guard`; what failed stays. */
  async replay(guard: <T>(p: Promise<T>) => Promise<T>): Promise<void> {
    if (this.all) {
      await guard(this.bump.all());
      this.all = false;
      this.ids.clear();
    }
    const ids = [...this.ids];
    for (let i = 0; i < ids.length; i += 500) {
      const batch = ids.slice(i, i + 500);
      await guard(Promise.all(batch.map((id) => this.bump.analysis(id))));
      for (const id of batch) this.ids.delete(id);
    }
  }
}
