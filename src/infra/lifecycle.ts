/** Whether the process is shutting down; while draining, /health answers 503 `draining` so balancers stop sending. */
export class Lifecycle {
  private drainingSince: Date | null = null;

  get draining(): boolean {
    return this.drainingSince !== null;
  }

  /** Marks the start of the drain (idempotent). */
  beginDrain(now: Date = new Date()): void {
    this.drainingSince ??= now;
  }
}
