import type { Logger } from '../logger.js';
import type { DeliveryService } from '../services/delivery-service.js';

/**
 * Drains the report outbox in a loop: after each pass it sleeps `pollMs` (picking up retries whose
 * backoff ended and leases that expired) or until `wake()`.
 */
export class DeliveryWorker {
  private stopping = false;
  private running: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;

  constructor(private readonly deps: { deliveries: DeliveryService; logger: Logger; pollMs?: number }) {}

  start(): void {
    this.running ??= this.loop();
  }

  /** Starts a pass now instead of at the end of the sleep. */
  wake(): void {
    this.wakeUp?.();
  }

  /** Finishes the mails in flight, gives back the rest of the batch, and resolves. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.running;
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      try {
        const result = await this.deps.deliveries.drain({ shouldStop: () => this.stopping });
        if (result.claimed > 0) this.deps.logger.info(result, 'report delivery pass done');
      } catch (err) {
        this.deps.logger.error({ err }, 'report delivery pass failed; retrying after the poll interval');
      }
      if (this.stopping) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.deps.pollMs ?? 10_000);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = null;
    }
  }
}
