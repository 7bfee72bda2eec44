import { Flags } from '@oclif/core';
import { BaseCommand } from '../src/cli/base-command.js';
import { apiUrl } from '../src/api-paths.js';
import { assertServable } from '../src/config.js';
import { shutdownSignal } from '../src/cli/shutdown.js';

export type ServeResult = {
  url: string;
  mode: 'embedded' | 'production';
  database: string;
  cache: string;
  scheduler: boolean;
};

export default class Serve extends BaseCommand<typeof Serve> {
  static override description =
    'Start the dashboard API. Embedded mode (no DATABASE_URL) migrates, seeds a demo analysis and runs the scheduler in-process.';
  static override examples = [
    '<%= config.bin %> serve',
    'PORT=9000 <%= config.bin %> serve',
    'DATABASE_URL=postgres://localhost/visionaire REDIS_URL=redis://localhost <%= config.bin %> serve',
  ];
  static override flags = {
    port: Flags.integer({ description: 'port to listen on (overrides PORT)', min: 0, max: 65535 }),
  };
  protected override defaultLogLevel = 'info';
  protected override logsOnStdout = true;

  async run(): Promise<ServeResult> {
    // Before anything is opened: a refusal leaves no connection behind to keep the process alive.
    assertServable(this.appConfig);
    const c = await this.services();
    const [{ startServer }, { startReportJobs }, { startConfirmationWorker }, { DEMO_ANALYSIS_ID }] = await Promise.all(
      [
        import('../src/http/server.js'),
        import('../src/jobs/report-jobs.js'),
        import('../src/jobs/confirmation-worker.js'),
        import('../src/db/demo-seed.js'),
      ],
    );
    const mode = c.config.embedded ? 'embedded' : 'production';
    // SCHEDULER=auto runs the report jobs in-process only in embedded mode; production runs `visionaire scheduler`.
    const withScheduler = c.config.scheduler === 'on' || (c.config.scheduler === 'auto' && c.config.embedded);
    // The API sends the consent confirmation emails itself: it needs the link secret and the postal address.
    c.consents.ensureReady();
    // A signal that comes before a listener kills the process outright: listen for it before anything says it runs.
    const stopped = shutdownSignal(c.logger);
    // Listening first: if the port is taken, nothing else has started (the container is closed on the way out).
    const server = await startServer(c, this.flags.port === undefined ? {} : { port: this.flags.port });
    const jobs = withScheduler ? startReportJobs(c) : null;
    const confirmations = startConfirmationWorker({ consents: c.consents, logger: c.logger, liveness: c.liveness });
    const result: ServeResult = {
      url: server.url,
      mode,
      database:
        c.dbKind === 'pglite'
          ? `PGlite (${c.config.database.kind === 'pglite' ? (c.config.database.dir ?? 'memory') : ''})`
          : 'PostgreSQL',
      cache: c.cache.backend === 'redis' ? 'Redis' : 'in-process memory',
      scheduler: jobs !== null,
    };
    this.log(
      `Vision'AI're dashboard API listening on ${server.url} (${mode} mode: ${result.database}, cache: ${result.cache})`,
    );
    this.log(`  Try: curl ${apiUrl(server.url, `/dashboard/${DEMO_ANALYSIS_ID}`)}`);
    await stopped;
    this.log('shutting down: finishing the requests in flight…');
    await Promise.all([server.close(), jobs?.stop(), confirmations.stop()]);
    return result;
  }
}
