import { Flags } from '@oclif/core';
import { BaseCommand } from '../../src/cli/base-command.js';
import type { AnalysisListItem } from '../../src/db/analysis-repo.js';
import { NotFoundError } from '../../src/errors.js';

export default class AnalysesList extends BaseCommand<typeof AnalysesList> {
  static override description = 'List the newest analyses with their id, status, company and URL';
  static override examples = [
    '<%= config.bin %> analyses list',
    '<%= config.bin %> analyses list --url-contains example.com --limit 5 --json',
  ];
  static override flags = {
    'url-contains': Flags.string({ description: 'only analyses whose URL contains this text (case-insensitive)' }),
    limit: Flags.integer({ description: 'how many', default: 20, min: 1, max: 1000 }),
  };

  async run(): Promise<AnalysisListItem[]> {
    const c = await this.services();
    const rows = await c.analyses.listAnalyses({ urlContains: this.flags['url-contains'], limit: this.flags.limit });
    for (const r of rows) {
      this.log(
        `${r.id}  ${r.status.padEnd(8)}  ${r.created_at.toISOString().slice(0, 10)}  ${(r.company_name ?? '—').slice(0, 30).padEnd(30)}  ${r.url}`,
      );
    }
    if (rows.length === 0) {
      // Asked for something that is not there: say so and exit non-zero, as grep does.
      if (this.flags['url-contains'] !== undefined)
        throw new NotFoundError(`No analysis URL contains "${this.flags['url-contains']}"`);
      this.log('no analyses yet');
    }
    return rows;
  }
}
