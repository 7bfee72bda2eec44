import type { Logger } from '../logger.js';
import type { ConsentService } from '../services/consent-service.js';
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
  let stopping = false;
  let again = false;
  let running: Promise<void> | null = null;
  const pass = (): void => {
    if (stopping) return;
    if (running) {
      again = true;
      return;
    }
    running = deps.consents
      .sendConfirmations()
      .then(
        () => undefined,
        (err: unknown) => deps.logger.error({ err }, 'confirmation email pass failed; retrying at the next poll'),
      )
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          pass();
        }
      });
  };
  const timer = setInterval(pass, deps.pollMs ?? 5_000);
  timer.unref();
  const unlisten = deps.consents.onRequested(pass);
  pass();
  return {
    stop: async () => {
      stopping = true;
      clearInterval(timer);
      unlisten();
      while (running) await running;
      await beat?.stop();
    },
  };
}
