import type { Logger } from '../logger.js';

/** One pass over an outbox; `shouldStop` turns true when the worker is stopping. */
export type OutboxPass = (opts: { shouldStop: () => boolean }) => Promise<{ claimed: number }>;

/**
 * Runs an outbox's passes in a loop: after each pass it sleeps `pollMs` (picking up retries whose
 * backoff ended and leases that expired) or until `wake()`. Every kind of email has one.
 */
export class OutboxWorker {
  private stopping = false;
  private running: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private woken = false;

  constructor(private readonly deps: { name: string; pass: OutboxPass; logger: Logger; pollMs: number }) {}

  start(): this {
    this.running ??= this.loop();
    return this;
  }

  /** Starts a pass now instead of at the end of the sleep (or right after the pass in flight). */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Finishes the mails in flight, gives back the rest of the batch, and resolves. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.running;
  }

  private async loop(): Promise<void> {
    const { name, logger } = this.deps;
    while (!this.stopping) {
      this.woken = false;
      try {
        const result = await this.deps.pass({ shouldStop: () => this.stopping });
        if (result.claimed > 0) logger.info(result, `${name} pass done`);
      } catch (err) {
        logger.error({ err }, `${name} pass failed; retrying after the poll interval`);
      }
      if (this.stopping) break;
      if (this.woken) continue; // woken during the pass: what woke it may have come after its claim
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.deps.pollMs);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = null;
    }
  }
}
