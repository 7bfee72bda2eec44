import { Flags } from '@oclif/core';
import { BaseCommand } from '../../src/cli/base-command.js';
import type { PrivacyExport } from '../../src/services/privacy-service.js';

export default class PrivacyExportCommand extends BaseCommand<typeof PrivacyExportCommand> {
  static override description =
    'Print everything held about an email address, across every analysis: subscriptions, consent records, deliveries, suppression';
  static override examples = [
    '<%= config.bin %> privacy export --email owner@example.com',
    '<%= config.bin %> privacy export --email owner@example.com --json > owner.json',
  ];
  static override flags = {
    email: Flags.string({ description: 'the subscriber address', required: true }),
  };

  async run(): Promise<PrivacyExport> {
    const c = await this.services();
    const data = await c.privacy.exportData(this.flags.email);
    this.log(`${data.email}: ${data.subscriptions.length} subscription(s)`);
    for (const s of data.subscriptions) {
      this.log(
        `- ${s.company_name ?? s.analysis_id} · ${s.frequency} · ${s.state} (subscription ${s.subscription_id})`,
      );
      const k = s.consent;
      this.log(`  requested ${k.requested_at ?? '-'} from ${k.request_ip ?? '-'} (${k.request_user_agent ?? '-'})`);
      this.log(`  confirmed ${k.confirmed_at ?? '-'} from ${k.confirm_ip ?? '-'} (${k.confirm_user_agent ?? '-'})`);
      this.log(`  withdrawn ${k.withdrawn_at ?? '-'} from ${k.withdraw_ip ?? '-'} (${k.withdraw_user_agent ?? '-'})`);
      for (const d of s.deliveries) this.log(`  report ${d.period_key}: ${d.state} (${d.sent_at ?? d.scheduled_at})`);
    }
    const p = data.suppression;
    this.log(
      `suppression: ${p.suspended_subscriptions} suspended, ${p.hard_bounces} hard bounce(s), ${p.erasures.length} earlier erasure(s)`,
    );
    return data;
  }
}
