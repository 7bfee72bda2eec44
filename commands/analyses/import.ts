import { readFile } from 'node:fs/promises';
import { Args } from '@oclif/core';
import { BaseCommand } from '../../src/cli/base-command.js';
import type { ImportReport } from '../../src/services/analysis-service.js';

export default class AnalysesImport extends BaseCommand<typeof AnalysesImport> {
  static override description = 'Import analyses from a JSON array or NDJSON file of {url, results_summary, created_at?}; idempotent by URL';
  static override examples = ['<%= config.bin %> analyses import analyses.ndjson', '<%= config.bin %> analyses import export.json --json'];
  static override args = { file: Args.string({ required: true, description: 'path to a .json (array) or .ndjson file' }) };

  async run(): Promise<ImportReport> {
    const text = await readFile(this.args.file, 'utf8').catch((err: NodeJS.ErrnoException) => this.error(`cannot read ${this.args.file}: ${err.code ?? err.message}`, { exit: 2 }));
    const c = await this.services();
    const report = await c.analyses.importAnalyses(text);
    this.log(`created ${report.created}, skipped ${report.skipped} (URL already known), failed ${report.failed}`);
    for (const e of report.errors) this.log(`  line ${e.line}: ${e.error}`);
    if (report.failed > 0) {
      // Exit 1 so scripts notice; the report is still printed in full.
      if (this.jsonEnabled()) this.logJson(report);
      this.exit(1);
    }
    return report;
  }
}
