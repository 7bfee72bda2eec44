import { writeFile } from 'node:fs/promises';
import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../src/cli/base-command.js';
import { writableOutputFile } from '../../src/cli/output-file.js';
import { requireUuid } from '../../src/domain/ids.js';
import { parseSections, REPORT_SECTIONS, unknownSectionsMessage, type ReportSection } from '../../src/domain/report-sections.js';
import { InvalidInputError } from '../../src/errors.js';

export type ReportExportResult = { path: string; bytes: number; sections: ReportSection[] };

export default class ReportsExport extends BaseCommand<typeof ReportsExport> {
  static override aliases = ['report:export'];
  static override description = 'Write the PDF progress report of an analysis to a file';
  static override examples = [
    '<%= config.bin %> reports export 550e8400-e29b-41d4-a716-446655440000 -o report.pdf',
    '<%= config.bin %> reports export 550e8400-e29b-41d4-a716-446655440000 -o summary.pdf --sections summary,metrics --json',
  ];
  static override args = { id: Args.string({ required: true, description: 'analysis id' }) };
  static override flags = {
    output: Flags.string({ char: 'o', required: true, description: 'PDF file to write' }),
    sections: Flags.string({ description: `comma-separated sections among ${REPORT_SECTIONS.join(',')} (default: all)` }),
  };

  async run(): Promise<ReportExportResult> {
    const id = requireUuid(this.args.id, 'id');
    const parsed = parseSections(this.flags.sections);
    if (!parsed.ok) {
      const message = unknownSectionsMessage(parsed.unknown);
      throw new InvalidInputError(message, [{ field: 'sections', message }]);
    }
    const file = await writableOutputFile(this.flags.output);
    const c = await this.services();
    const { pdf, sections } = await c.pdfReports.exportPdf(id, parsed.sections);
    await writeFile(file, pdf);
    this.log(`wrote ${file} (${pdf.length} bytes; sections: ${sections.join(', ')})`);
    return { path: file, bytes: pdf.length, sections };
  }
}
