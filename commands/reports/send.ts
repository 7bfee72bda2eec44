import { Flags } from '@oclif/core';
import { BaseCommand } from '../../src/cli/base-command.js';
import type { Frequency } from '../../src/domain/report-period.js';
import type { DrainResult } from '../../src/services/delivery-service.js';

type Period = { frequency: Frequency; period_key: string; due: number; enqueued: number };
type Planned = { subscription_id: string; analysis_id: string; period_key: string; company_name?: string | null; attempts?: number };
export type SendResult = { dry_run: boolean; periods: Period[]; would_send: Planned[]; delivered: DrainResult | null };

export default class ReportsSend extends BaseCommand<typeof ReportsSend> {
  static override description = 'Queue the reports due now (last full week / month) and send everything queued; --dry-run only lists them';
  static override examples = ['<%= config.bin %> reports send', '<%= config.bin %> reports send --frequency weekly --dry-run --json'];
  static override flags = {
    frequency: Flags.string({ description: 'only this frequency (default: both)', options: ['weekly', 'monthly'] }),
    'dry-run': Flags.boolean({ description: 'list what would be sent; send and write nothing' }),
  };

  async run(): Promise<SendResult> {
    const c = await this.services();
    const frequencies: Frequency[] = this.flags.frequency ? [this.flags.frequency as Frequency] : ['weekly', 'monthly'];
    const now = c.clock.now();
    if (this.flags['dry-run']) {
      const plans = await Promise.all(frequencies.map((f) => c.deliveries.planDue(f, now)));
      const queued = (await c.deliveries.claimable(now)).filter((d) => frequencies.includes(d.frequency));
      const would_send: Planned[] = [
        ...queued.map((d) => ({ subscription_id: d.subscription_id, analysis_id: d.analysis_id, period_key: d.period_key, attempts: d.attempts })),
        ...plans.flatMap((p) => p.due.map((d) => ({ ...d, period_key: p.period_key }))),
      ];
      for (const p of plans) this.log(`${p.frequency} ${p.period_key}: ${p.due.length} report(s) due, not queued yet`);
      this.log(`${queued.length} report(s) already queued and ready; would send ${would_send.length} in all (dry run: nothing sent or written)`);
      for (const w of would_send) this.log(`  ${w.period_key}  subscription ${w.subscription_id}  analysis ${w.analysis_id}${w.company_name ? `  (${w.company_name})` : ''}`);
      return { dry_run: true, periods: plans.map((p) => ({ frequency: p.frequency, period_key: p.period_key, due: p.due.length, enqueued: 0 })), would_send, delivered: null };
    }
    c.unsubscribeTokens.ensureReady();
    const periods: Period[] = [];
    for (const f of frequencies) {
      const r = await c.deliveries.enqueueDue(f, now);
      periods.push({ frequency: f, period_key: r.period_key, due: r.enqueued, enqueued: r.enqueued });
      this.log(`${f} ${r.period_key}: queued ${r.enqueued} report(s)${r.leader ? '' : ' (another scheduler is enqueueing)'}`);
    }
    const delivered = await c.deliveries.drain();
    this.log(`sent ${delivered.sent}, will retry ${delivered.retrying}, failed ${delivered.failed}, cancelled ${delivered.cancelled} (via ${c.mailer.kind === 'smtp' ? 'SMTP' : `.eml files in ${c.config.dataDir}/outbox`})`);
    if (delivered.failed > 0) this.exitStatus = 1;
    return { dry_run: false, periods, would_send: [], delivered };
  }
}
