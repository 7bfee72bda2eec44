import type { Container } from '../container.js';
import { OutboxWorker } from './outbox-worker.js';
import { startReportScheduler } from './report-scheduler.js';
import { startRetentionJob } from './retention-job.js';

export type ReportJobs = { stop(): Promise<void> };

/**
 * The scheduler, the delivery worker and the daily retention pass together, as `visionaire scheduler` and
 * embedded `serve` run them, each with its heartbeat. Fails fast (ConfigError) when reports cannot be sent (no
 * unsubscribe secret or postal address).
 */
export function startReportJobs(c: Container, opts: { pollMs?: number } = {}): ReportJobs {
  c.deliveries.ensureReady();
  const worker = new OutboxWorker({
    name: 'report delivery',
    pass: (o) => c.deliveries.drain(o),
    logger: c.logger,
    pollMs: opts.pollMs ?? 10_000,
  });
  const scheduler = startReportScheduler({
    deliveries: c.deliveries,
    logger: c.logger,
    onEnqueued: () => worker.wake(),
  });
  worker.start();
  const retention = startRetentionJob({ privacy: c.privacy, logger: c.logger });
  const beats = [c.liveness.start('scheduler'), c.liveness.start('worker')];
  c.logger.info(
    { mailer: c.mailer.kind, timeZone: c.config.reportTimeZone, catchUpHours: c.config.reportCatchUpHours },
    'report scheduler started',
  );
  return {
    stop: async () => {
      await scheduler.stop();
      await retention.stop();
      await worker.stop();
      await Promise.all(beats.map((b) => b.stop()));
    },
  };
}
