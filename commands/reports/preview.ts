import { writeFile } from 'node:fs/promises';
import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../src/cli/base-command.js';

export type PreviewResult = { analysis_id: string; frequency: 'weekly' | 'monthly'; format: 'html' | 'text'; subject: string; file: string | null; bytes: number };

export default class ReportsPreview extends BaseCommand<typeof ReportsPreview> {
  static override description = 'Render the weekly or monthly report email of an analysis, as HTML or plain text; sends nothing';
  static override examples = [
    '<%= config.bin %> reports preview 550e8400-e29b-41d4-a716-446655440000 -o report.html',
    '<%= config.bin %> reports preview 550e8400-e29b-41d4-a716-446655440000 --frequency monthly --format text',
  ];
  static override args = { id: Args.string({ required: true, description: 'analysis id' }) };
  static override flags = {
    frequency: Flags.string({ description: 'which report', options: ['weekly', 'monthly'], default: 'weekly' }),
    format: Flags.string({ description: 'HTML part or plain-text part', options: ['html', 'text'], default: 'html' }),
    output: Flags.string({ char: 'o', description: 'write to this file instead of stdout' }),
  };

  async run(): Promise<PreviewResult> {
    const c = await this.services();
    const frequency = this.flags.frequency as 'weekly' | 'monthly';
    const format = this.flags.format as 'html' | 'text';
    const mail = await c.deliveries.preview(this.args.id, frequency);
    const body = format === 'html' ? mail.html : mail.text;
    const file = this.flags.output ?? null;
    if (file) {
      await writeFile(file, body);
      this.log(`${mail.subject}\nwrote ${format} to ${file}`);
    } else if (!this.jsonEnabled()) {
      process.stdout.write(body);
    }
    return { analysis_id: this.args.id, frequency, format, subject: mail.subject, file, bytes: Buffer.byteLength(body) };
  }
}
