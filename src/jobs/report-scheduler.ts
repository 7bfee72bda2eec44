import { Cron } from 'croner';
import type { Logger } from '../logger.js';
import type { Clock } from '../clock.js';
import { isSendTimePast, REPORT_SCHEDULES } from '../domain/report-schedule.js';
import type { Frequency } from '../domain/report-period.js';
import type { DeliveryService } from '../services/delivery-service.js';

export type ReportScheduler = { jobs: { frequency: Frequency; cron: Cron }[]; stop(): Promise<void> };

const FREQUENCIES: readonly Frequency[] = ['weekly', 'monthly'];

/**
 * croner jobs that enqueue the due reports on schedule (UTC), plus one catch-up run at start
 * when this period's send time has already passed. `onEnqueued` wakes the delivery worker.
 */
export function startReportScheduler(deps: {
  deliveries: DeliveryService;
  clock: Clock;
  logger: Logger;
  onEnqueued?: () => void;
  catchUp?: boolean;
}): ReportScheduler {
  const inFlight = new Set<Promise<void>>();
  const enqueue = (frequency: Frequency): Promise<void> => {
    const run = deps.deliveries.enqueueDue(frequency).then(
      (result) => {
        if (result.enqueued > 0) deps.onEnqueued?.();
      },
      (err: unknown) => deps.logger.error({ err, frequency }, 'enqueueing report deliveries failed'),
    );
    inFlight.add(run);
    return run.finally(() => inFlight.delete(run));
  };
  const jobs = FREQUENCIES.map((frequency) => ({
    frequency,
    cron: new Cron(REPORT_SCHEDULES[frequency], { timezone: 'UTC', protect: true }, () => enqueue(frequency)),
  }));
  if (deps.catchUp ?? true) {
    const now = deps.clock.now();
    for (const frequency of FREQUENCIES) if (isSendTimePast(frequency, now)) void enqueue(frequency);
  }
  return {
    jobs,
    stop: async () => {
      for (const job of jobs) job.cron.stop();
      await Promise.allSettled([...inFlight]);
    },
  };
}
