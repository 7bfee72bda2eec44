import { Cron } from 'croner';
import type { Logger } from '../logger.js';
import type { DeliveryService } from '../services/delivery-service.js';

export type ReportScheduler = {
  /** Queues what has come due now; what the cron runs every few minutes. */
  tick(): Promise<void>;
  stop(): Promise<void>;
};

/** How often the scheduler looks for reports whose 09:00 local has come, in any time zone. */
export const REPORT_TICK_PATTERN = '*/5 * * * *';

/**
 * A croner tick every five minutes, and one at start, that queues the reports that have come due
 * (09:00 in each subscription's zone, or earlier within the catch-up window) through
 * `DeliveryService.sendDue`; `onEnqueued` wakes the delivery worker. `autoStart: false` leaves the
 * ticks to the caller (tests drive them with a test clock).
 */
export function startReportScheduler(deps: {
  deliveries: DeliveryService;
  logger: Logger;
  onEnqueued?: () => void;
  autoStart?: boolean;
}): ReportScheduler {
  const inFlight = new Set<Promise<void>>();
  const tick = (): Promise<void> => {
    const run = deps.deliveries.sendDue({ drain: false }).then(
      (result) => {
        if (result.periods.some((p) => p.enqueued > 0)) deps.onEnqueued?.();
      },
      (err: unknown) => deps.logger.error({ err }, 'enqueueing report deliveries failed'),
    );
    inFlight.add(run);
    return run.finally(() => inFlight.delete(run));
  };
  const autoStart = deps.autoStart ?? true;
  const cron = autoStart ? new Cron(REPORT_TICK_PATTERN, { protect: true }, () => tick()) : null;
  if (autoStart) void tick();
  return {
    tick,
    stop: async () => {
      cron?.stop();
      await Promise.allSettled([...inFlight]);
    },
  };
}
