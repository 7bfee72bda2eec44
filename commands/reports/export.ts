import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../src/cli/base-command.js';
import { outputTarget, writeOutput } from '../../src/cli/output-file.js';
import { requireUuid } from '../../src/domain/ids.js';
import {
  parseSections,
  REPORT_SECTIONS,
  unknownSectionsMessage,
  type ReportSection,
} from '../../src/domain/report-sections.js';
import { InvalidInputError } from '../../src/errors.js';

export type ReportExportResult = { path: string; bytes: number; sections: ReportSection[] };

export default class ReportsExport extends BaseCommand<typeof ReportsExport> {
  static override aliases = ['report:export'];
  static override description = 'Write the PDF progress report of an analysis to a file, or to standard output (-o -)';
  static override examples = [
    '<%= config.bin %> reports export 550e8400-e29b-41d4-a716-446655440000 -o report.pdf',
    '<%= config.bin %> reports export 550e8400-e29b-41d4-a716-446655440000 -o summary.pdf --sections summary,metrics --json',
    '<%= config.bin %> reports export 550e8400-e29b-41d4-a716-446655440000 -o - > report.pdf',
  ];
  static override args = { id: Args.string({ required: true, description: 'analysis id' }) };
  static override flags = {
    output: Flags.string({ char: 'o', required: true, description: 'PDF file to write (- for standard output)' }),
    sections: Flags.string({ description: `comma-separated sections among ${REPORT_SECTIONS.join(',')} (default: all)` }),
  };

  async run(): Promise<ReportExportResult> {
    const id = requireUuid(this.args.id, 'id');
    const parsed = parseSections(this.flags.sections);
    if (!parsed.ok) {
      const message = unknownSectionsMessage(parsed.unknown);
      throw new InvalidInputError(message, [{ field: 'sections', message }]);
    }
    const target = await outputTarget(this.flags.output);
    if (target.kind === 'stdout' && this.jsonEnabled())
      this.refuseOutput('-o - puts the PDF on standard output, which --json needs for its result: use one or the other');
    if (target.kind === 'stdout' && process.stdout.isTTY)
      this.refuseOutput('-o - would print a PDF on the terminal: redirect it (-o - > report.pdf) or name a file');
    const c = await this.services();
    const { pdf, sections } = await c.pdfReports.exportPdf(id, parsed.sections);
    await writeOutput(target, pdf);
    const where = target.kind === 'file' ? target.path : '-';
    // With -o -, standard output carries the PDF alone.
    const say = target.kind === 'file' ? this.log.bind(this) : this.logToStderr.bind(this);
    say(`wrote ${target.kind === 'file' ? where : 'standard output'} (${pdf.length} bytes; sections: ${sections.join(', ')})`);
    return { path: where, bytes: pdf.length, sections };
  }

  private refuseOutput(message: string): never {
    throw new InvalidInputError(message, [{ field: 'output', message }]);
  }
}
