import { Args, Flags } from '@oclif/core';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { BaseCommand } from '../../src/cli/base-command.js';
import type { DrillReport } from '../../src/db/migration-drill.js';
import type { MigrationResult } from '../../src/db/migrator.js';
import { ConfigError } from '../../src/config.js';
import { InvalidInputError } from '../../src/errors.js';

export default class Migrate extends BaseCommand<typeof Migrate> {
  static override description =
    'Apply database migrations (latest, the default), roll back the last migration (one step; asks first unless --yes), show status, or run the rollback drill on a restored copy';
  static override examples = [
    '<%= config.bin %> migrate',
    '<%= config.bin %> migrate rollback --yes',
    '<%= config.bin %> migrate status --json',
    'DATABASE_URL=postgres://localhost/visionaire <%= config.bin %> migrate drill',
  ];
  static override args = {
    action: Args.string({
      options: ['latest', 'rollback', 'status', 'drill'],
      default: 'latest',
      description: 'what to do',
    }),
  };
  static override flags = {
    yes: Flags.boolean({ char: 'y', description: 'roll back without asking for confirmation', default: false }),
  };

  protected override migrateEmbedded = false;

  async run(): Promise<MigrationResult | DrillReport> {
    if (this.args.action === 'drill') return this.drill();
    // Asked before the database is opened: a refusal (no terminal, as in cron) leaves nothing to close.
    if (
      this.args.action === 'rollback' &&
      !this.flags.yes &&
      !(await this.confirm('Roll back the last migration? Its tables and columns are dropped with their data. [y/N] '))
    ) {
      throw new InvalidInputError(
        process.stdin.isTTY
          ? 'Rollback not confirmed: nothing changed'
          : 'Rollback not confirmed: there is no terminal to ask on, so nothing changed (pass --yes in scripts)',
      );
    }
    const c = await this.services();
    const { runMigrations } = await import('../../src/db/migrator.js');
    const result = await runMigrations(c.db, this.args.action as 'latest' | 'rollback' | 'status');
    if (result.action === 'status') {
      this.log(`completed: ${result.completed.join(', ') || '(none)'}`);
      this.log(`pending:   ${result.pending.join(', ') || '(none)'}`);
    } else {
      this.log(
        result.changed.length ? `${result.action}: ${result.changed.join(', ')}` : `${result.action}: nothing to do`,
      );
    }
    return result;
  }

  private async drill(): Promise<DrillReport> {
    const { database } = this.appConfig;
    if (database.kind !== 'postgres')
      throw new ConfigError('The rollback drill needs a PostgreSQL DATABASE_URL (it uses pg_dump and pg_restore)');
    const c = await this.services();
    const { migrationDrill } = await import('../../src/db/migration-drill.js');
    const report = await migrationDrill({
      databaseUrl: database.url,
      backupDir: path.join(c.config.dataDir, 'backups'),
      now: c.clock.now(),
      logger: c.logger,
    });
    for (const s of report.steps) this.log(`${s.step.padEnd(28)} ${s.detail}`);
    this.log(report.ok ? 'drill passed' : 'drill FAILED');
    if (!report.ok) this.failed('DRILL_FAILED', 'the schema after rollback and migrate differs from the original');
    return report;
  }

  /** Asks on the terminal; with no terminal (a script, CI) the answer is no. */
  private async confirm(question: string): Promise<boolean> {
    if (!process.stdin.isTTY) return false;
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return /^y(es)?$/i.test((await rl.question(question)).trim());
    } finally {
      rl.close();
    }
  }
}
