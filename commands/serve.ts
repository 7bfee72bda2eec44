import { Flags } from '@oclif/core';
import { BaseCommand } from '../src/cli/base-command.js';

export type ServeResult = { url: string; mode: 'embedded' | 'production'; database: string; cache: string; scheduler: boolean };

export default class Serve extends BaseCommand<typeof Serve> {
  static override description = 'Start the dashboard API. Embedded mode (no DATABASE_URL) migrates, seeds a demo analysis and runs the scheduler in-process.';
  static override examples = ['<%= config.bin %> serve', 'PORT=9000 <%= config.bin %> serve', 'DATABASE_URL=postgres://localhost/visionaire REDIS_URL=redis://localhost <%= config.bin %> serve'];
  static override flags = {
    port: Flags.integer({ description: 'port to listen on (overrides PORT)', min: 0, max: 65535 }),
  };
  protected override defaultLogLevel = 'info';
  protected override logsOnStdout = true;

  async run(): Promise<ServeResult> {
    const c = await this.services();
    const [{ startServer }, { startReportJobs }, { DEMO_ANALYSIS_ID }] = await Promise.all([
      import('../src/http/server.js'), import('../src/jobs/report-jobs.js'), import('../src/db/demo-seed.js'),
    ]);
    const mode = c.config.embedded ? 'embedded' : 'production';
    // SCHEDULER=auto runs the report jobs in-process only in embedded mode; production runs `visionaire scheduler`.
    const withScheduler = c.config.scheduler === 'on' || (c.config.scheduler === 'auto' && c.config.embedded);
    const jobs = withScheduler ? startReportJobs(c) : null;
    if (!c.config.unsubscribeSecret && !c.config.embedded) c.logger.warn('UNSUBSCRIBE_SECRET is not set: unsubscribe links answer 503 until it is');
    const server = await startServer(c, this.flags.port === undefined ? {} : { port: this.flags.port });
    const result: ServeResult = {
      url: server.url,
      mode,
      database: c.dbKind === 'pglite' ? `PGlite (${c.config.database.kind === 'pglite' ? (c.config.database.dir ?? 'memory') : ''})` : 'PostgreSQL',
      cache: c.cache.backend === 'redis' ? 'Redis' : 'in-process memory',
      scheduler: jobs !== null,
    };
    this.log(`Vision'AI're dashboard API listening on ${server.url} (${mode} mode: ${result.database}, cache: ${result.cache})`);
    this.log(`  Try: curl ${server.url}/api/v1/dashboard/${DEMO_ANALYSIS_ID}`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    this.log('shutting down…');
    await Promise.all([server.close(), jobs?.stop()]);
    return result;
  }
}
