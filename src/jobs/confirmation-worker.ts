import type { Logger } from '../logger.js';
import type { ConsentService } from '../services/consent-service.js';
import { OutboxWorker } from './outbox-worker.js';
import type { LivenessService } from '../services/liveness-service.js';

export type ConfirmationWorker = { stop(): Promise<void> };

/**
 * Sends the consent confirmation emails from the API process itself, so they go out within
 * seconds even where no scheduler runs: a pass as soon as a subscribe queues one, and every
 * `pollMs` for retries, other instances' leftovers and the 7-day expiry.
 */
export function startConfirmationWorker(deps: {
  consents: ConsentService;
  logger: Logger;
  pollMs?: number;
  /** Records this sender's heartbeat (role `confirmations`), so an operator's resend knows someone will send. */
  liveness?: LivenessService;
}): ConfirmationWorker {
  const beat = deps.liveness?.start('confirmations');
  const worker = new OutboxWorker({
    name: 'confirmation email',
    pass: (opts) => deps.consents.sendConfirmations(opts),
    logger: deps.logger,
    pollMs: deps.pollMs ?? 5_000,
  }).start();
  const unlisten = deps.consents.onRequested(() => worker.wake());
  return {
    stop: async () => {
      unlisten();
      await worker.stop();
      await beat?.stop();
    },
  };
}
