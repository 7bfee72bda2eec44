import type { Container } from '../container.js';
import { DeliveryWorker } from './delivery-worker.js';
import { startReportScheduler } from './report-scheduler.js';

export type ReportJobs = { stop(): Promise<void> };

/**
 * The scheduler and the delivery worker together, as `visionaire scheduler` and embedded `serve`
 * run them. Fails fast (ConfigError) when unsubscribe links cannot be signed.
 */
export function startReportJobs(c: Container, opts: { pollMs?: number } = {}): ReportJobs {
  c.unsubscribeTokens.ensureReady();
  const worker = new DeliveryWorker({ deliveries: c.deliveries, logger: c.logger, ...opts });
  const scheduler = startReportScheduler({ deliveries: c.deliveries, clock: c.clock, logger: c.logger, onEnqueued: () => worker.wake() });
  worker.start();
  c.logger.info({ mailer: c.mailer.kind, next: scheduler.jobs.map((j) => ({ frequency: j.frequency, at: j.cron.nextRun() })) }, 'report scheduler started');
  return {
    stop: async () => {
      await scheduler.stop();
      await worker.stop();
    },
  };
}
