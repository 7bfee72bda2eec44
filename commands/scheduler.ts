import { Flags } from '@oclif/core';
import { BaseCommand } from '../src/cli/base-command.js';
import { shutdownSignal } from '../src/cli/shutdown.js';
import { assertMailReady } from '../src/config.js';

export type SchedulerResult = { mailer: 'smtp' | 'outbox'; stopped_by: string };

export default class Scheduler extends BaseCommand<typeof Scheduler> {
  static override description =
    "Run the report scheduler (weekly: Monday 09:00, monthly: the 1st 09:00, in each analysis's time zone) and the delivery worker until SIGINT/SIGTERM. Any number may run against one PostgreSQL.";
  static override examples = [
    'DATABASE_URL=postgres://localhost/visionaire SMTP_URL=smtp://mail:587 UNSUBSCRIBE_SECRET=… <%= config.bin %> scheduler',
  ];
  static override flags = {
    'poll-interval': Flags.integer({
      description: 'seconds between outbox polls (retries, expired leases)',
      default: 10,
      min: 1,
      max: 3600,
    }),
  };
  protected override defaultLogLevel = 'info';
  protected override logsOnStdout = true;

  async run(): Promise<SchedulerResult> {
    assertMailReady(this.appConfig); // before anything is opened
    const c = await this.services();
    const { startReportJobs } = await import('../src/jobs/report-jobs.js');
    // Listening before anything says it runs: a signal that comes before a listener kills the process outright.
    const stopped = shutdownSignal(c.logger);
    const jobs = startReportJobs(c, { pollMs: this.flags['poll-interval'] * 1000 });
    this.logToStderr(
      `report scheduler running (${c.mailer.kind === 'smtp' ? 'SMTP' : `.eml files in ${c.config.dataDir}/outbox`}); Ctrl-C to stop`,
    );
    const signal = await stopped;
    this.logToStderr('stopping: finishing the mails in flight…');
    await jobs.stop();
    return { mailer: c.mailer.kind, stopped_by: signal };
  }
}
