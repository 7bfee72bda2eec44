export type BreakerState = 'closed' | 'open' | 'probing';

export type BreakerOptions = {
  /** Consecutive failures that open the breaker. */
  failureThreshold: number;
  /** How long an open breaker waits before it lets a probe decide. */
  cooldownMs: number;
  /** Resolves when the dependency is usable again; its rejection keeps the breaker open. */
  probe: () => Promise<void>;
  /** Checked synchronously at the moment of closing; false makes the breaker probe again at once. */
  canClose?: () => boolean;
  onChange?: (state: BreakerState) => void;
  startOpen?: boolean;
  now?: () => number;
};

/**
 * Closed: calls go through. Open: callers skip the dependency at once, costing nothing. Past the
 * cooldown, one background probe decides; a trip during the probe wins over its success, so a
 * connection lost mid-probe never closes the breaker.
 */
export class CircuitBreaker {
  private current: BreakerState;
  private failures = 0;
  private openedAt: number;
  private trips = 0;
  private readonly now: () => number;

  constructor(private readonly opts: BreakerOptions) {
    this.now = opts.now ?? (() => performance.now());
    this.current = opts.startOpen ? 'open' : 'closed';
    this.openedAt = opts.startOpen ? -Infinity : 0;
  }

  get state(): BreakerState {
    return this.current;
  }

  /** True when a call may go through; an open breaker past its cooldown starts a probe. */
  allows(): boolean {
    if (this.current === 'closed') return true;
    if (this.current === 'open' && this.now() - this.openedAt >= this.opts.cooldownMs) this.probe();
    return false;
  }

  succeeded(): void {
    this.failures = 0;
  }

  failed(): void {
    if (++this.failures >= this.opts.failureThreshold) this.trip();
  }

  /** Opens the breaker now (a lost connection, a write that must not be skipped silently). */
  trip(): void {
    this.trips++;
    this.openedAt = this.now();
    if (this.current === 'closed') this.set('open');
  }

  /** Runs the probe now unless one is running. */
  probe(): void {
    if (this.current === 'probing') return;
    const trips = this.trips;
    this.set('probing');
    this.opts.probe().then(
      () => {
        this.failures = 0;
        if (this.trips !== trips) this.set('open');
        else if (this.opts.canClose && !this.opts.canClose()) {
          this.current = 'open';
          this.probe();
        } else this.set('closed');
      },
      () => {
        this.openedAt = this.now();
        this.set('open');
      },
    );
  }

  private set(state: BreakerState): void {
    if (state === this.current) return;
    this.current = state;
    this.opts.onChange?.(state);
  }
}
