import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../src/cli/base-command.js';
import { outputTarget, writeOutput } from '../../src/cli/output-file.js';
import { requireUuid } from '../../src/domain/ids.js';

export type PreviewResult = {
  analysis_id: string; frequency: 'weekly' | 'monthly'; format: 'html' | 'text'; subject: string; file: string | null; bytes: number;
  /** The rendered part, when it was not written to a file. */
  body?: string;
};

export default class ReportsPreview extends BaseCommand<typeof ReportsPreview> {
  static override description = 'Render the weekly or monthly report email of an analysis, as HTML or plain text, to stdout or a file; sends nothing';
  static override examples = [
    '<%= config.bin %> reports preview 550e8400-e29b-41d4-a716-446655440000 -o report.html',
    '<%= config.bin %> reports preview 550e8400-e29b-41d4-a716-446655440000 --frequency monthly --format text',
  ];
  static override args = { id: Args.string({ required: true, description: 'analysis id' }) };
  static override flags = {
    frequency: Flags.string({ description: 'which report', options: ['weekly', 'monthly'], default: 'weekly' }),
    format: Flags.string({ description: 'HTML part or plain-text part', options: ['html', 'text'], default: 'html' }),
    output: Flags.string({ char: 'o', description: 'write to this file instead of stdout (- is stdout)' }),
  };

  async run(): Promise<PreviewResult> {
    const id = requireUuid(this.args.id, 'id');
    // No -o, or -o -: standard output (or `body` under --json).
    const target = this.flags.output === undefined ? null : await outputTarget(this.flags.output);
    const file = target?.kind === 'file' ? target.path : null;
    const c = await this.services();
    const frequency = this.flags.frequency as 'weekly' | 'monthly';
    const format = this.flags.format as 'html' | 'text';
    const mail = await c.deliveries.preview(id, frequency);
    const body = format === 'html' ? mail.html : mail.text;
    const result: PreviewResult = { analysis_id: id, frequency, format, subject: mail.subject, file, bytes: Buffer.byteLength(body) };
    if (target?.kind === 'file') {
      await writeOutput(target, body);
      this.log(`${mail.subject}\nwrote ${format} to ${file}`);
      return result;
    }
    if (!this.jsonEnabled()) process.stdout.write(body);
    return { ...result, body };
  }
}
