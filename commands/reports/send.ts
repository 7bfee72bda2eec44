import { Flags } from '@oclif/core';
import { BaseCommand } from '../../src/cli/base-command.js';
import { startProgress } from '../../src/cli/progress.js';
import { assertMailReady } from '../../src/config.js';
import type { Frequency } from '../../src/domain/report-period.js';
import type { SendDueResult } from '../../src/services/delivery-service.js';

export type SendResult = SendDueResult;

export default class ReportsSend extends BaseCommand<typeof ReportsSend> {
  static override description =
    'Queue the reports whose 09:00 local send time has come (within REPORT_CATCHUP_HOURS) and send everything queued; --dry-run only lists them';
  static override examples = ['<%= config.bin %> reports send', '<%= config.bin %> reports send --frequency weekly --dry-run --json'];
  static override flags = {
    frequency: Flags.string({ description: 'only this frequency (default: both)', options: ['weekly', 'monthly'] }),
    'dry-run': Flags.boolean({ description: 'list what would be sent; send and write nothing' }),
  };

  async run(): Promise<SendResult> {
    if (!this.flags['dry-run']) assertMailReady(this.appConfig);
    const c = await this.services();
    const frequencies = this.flags.frequency ? [this.flags.frequency as Frequency] : undefined;
    // A bar on a terminal (stderr), plain lines otherwise, nothing under --json.
    const progress = await startProgress({ label: 'send', unit: 'reports', quiet: this.jsonEnabled() });
    const result = await c.deliveries
      .sendDue({
        frequencies,
        dryRun: this.flags['dry-run'],
        onProgress: (done, total) => progress.update(done, total, 'sending'),
      })
      .finally(() => progress.stop());
    for (const p of result.periods) {
      this.log(`${p.frequency} ${p.period_key} (${p.time_zone}, due ${p.send_at.toISOString()}): ${result.dry_run ? `${p.due} report(s) due, not queued yet` : `queued ${p.enqueued} report(s)`}`);
    }
    if (result.periods.length === 0) this.log(`no period has come due within the last ${c.config.reportCatchUpHours} h (REPORT_CATCHUP_HOURS)`);
    if (result.dry_run) {
      this.log(`would send ${result.would_send.length} report(s) in all (dry run: nothing sent or written)`);
      for (const w of result.would_send) this.log(`  ${w.period_key}  subscription ${w.subscription_id}  analysis ${w.analysis_id}${w.company_name ? `  (${w.company_name})` : ''}`);
      return result;
    }
    const d = result.delivered!;
    this.log(`sent ${d.sent}, will retry ${d.retrying}, failed ${d.failed}, cancelled ${d.cancelled} (via ${c.mailer.kind === 'smtp' ? 'SMTP' : `.eml files in ${c.config.dataDir}/outbox`})`);
    if (d.failed > 0)
      this.failed('DELIVERY_FAILED', `${d.failed} report(s) could not be delivered; see visionaire reports retry --dry-run`);
    return result;
  }
}
