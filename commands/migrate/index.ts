import { Args } from '@oclif/core';
import { BaseCommand } from '../../src/cli/base-command.js';
import type { MigrationResult } from '../../src/db/migrator.js';

export default class Migrate extends BaseCommand<typeof Migrate> {
  static override description = 'Apply database migrations (latest, the default), roll back the last batch, or show status';
  static override examples = ['<%= config.bin %> migrate', '<%= config.bin %> migrate rollback', '<%= config.bin %> migrate status --json'];
  static override args = {
    action: Args.string({ options: ['latest', 'rollback', 'status'], default: 'latest', description: 'what to do' }),
  };

  protected override migrateEmbedded = false;

  async run(): Promise<MigrationResult> {
    const c = await this.services();
    const { runMigrations } = await import('../../src/db/migrator.js');
    const result = await runMigrations(c.db, this.args.action as 'latest' | 'rollback' | 'status');
    if (result.action === 'status') {
      this.log(`completed: ${result.completed.join(', ') || '(none)'}`);
      this.log(`pending:   ${result.pending.join(', ') || '(none)'}`);
    } else {
      this.log(result.changed.length ? `${result.action}: ${result.changed.join(', ')}` : `${result.action}: nothing to do`);
    }
    return result;
  }
}
