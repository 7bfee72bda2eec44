import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../src/cli/base-command.js';
import { startProgress } from '../../src/cli/progress.js';
import { splitImport } from '../../src/domain/import-file.js';
import { InvalidInputError } from '../../src/errors.js';
import type { ImportReport } from '../../src/services/analysis-service.js';

export default class AnalysesImport extends BaseCommand<typeof AnalysesImport> {
  static override description =
    'Import analyses from a JSON array or NDJSON file of {url, results_summary, created_at?}, streamed in batches; idempotent by URL';
  static override examples = [
    '<%= config.bin %> analyses import analyses.ndjson',
    '<%= config.bin %> analyses import export.json --json',
  ];
  static override args = {
    file: Args.string({ required: true, description: 'path to a .json (array) or .ndjson file' }),
  };
  static override flags = {
    'batch-size': Flags.integer({ description: 'rows per insert and transaction', default: 2000, min: 1, max: 5000 }),
  };

  async run(): Promise<ImportReport> {
    const file = this.args.file;
    const info = await stat(file).catch((err: NodeJS.ErrnoException) => {
      throw new InvalidInputError(`cannot read ${file}: ${err.code ?? err.message}`, [
        { field: 'file', message: err.code ?? err.message },
      ]);
    });
    if (!info.isFile())
      throw new InvalidInputError(`cannot read ${file}: not a file`, [{ field: 'file', message: 'not a file' }]);
    const c = await this.services();
    const kb = Math.max(1, Math.ceil(info.size / 1024));
    const progress = await startProgress({ label: 'import', unit: 'KB', quiet: this.jsonEnabled() });
    const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 256 * 1024 });
    const report = await c.analyses
      .importAnalyses(splitImport(stream), {
        batchSize: this.flags['batch-size'],
        onProgress: (r) =>
          progress.update(
            Math.min(kb, Math.ceil(stream.bytesRead / 1024)),
            kb,
            `created ${r.created}, skipped ${r.skipped}, failed ${r.failed}`,
          ),
      })
      .finally(() => progress.stop());
    this.log(`created ${report.created}, skipped ${report.skipped} (URL already known), failed ${report.failed}`);
    for (const e of report.errors.slice(0, 50)) this.log(`  line ${e.line}: ${e.error}`);
    if (report.errors.length > 50) this.log(`  … and ${report.errors.length - 50} more (see --json)`);
    // Exit 1 so scripts notice; the report is still printed in full.
    if (report.failed > 0)
      this.failed(
        'ROWS_FAILED',
        `${report.failed} row(s) could not be imported; the report lists them with line numbers`,
      );
    return report;
  }
}
