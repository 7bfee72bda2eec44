import { Args } from '@oclif/core';
import { BaseCommand } from '../../src/cli/base-command.js';
import type { SubscriptionDetail } from '../../src/services/support-service.js';

const at = (iso: string | null) => iso ?? '—';

export default class SubscriptionsShow extends BaseCommand<typeof SubscriptionsShow> {
  static override description =
    "One subscription, as the console's subscription view shows it: ids and email, frequency, time zone, state, consent record, bounces and deliveries (newest first)";
  static override examples = ['<%= config.bin %> subscriptions show 7e06ba54-0000-4000-8000-000000000000 --json'];
  static override args = { id: Args.string({ required: true, description: 'subscription id' }) };

  async run(): Promise<SubscriptionDetail> {
    const c = await this.services();
    const s = await c.support.subscription(this.args.id);
    const k = s.consent;
    this.log(`subscription  ${s.subscription_id}`);
    this.log(`email         ${s.email}`);
    this.log(`company       ${s.company_name ?? '—'}`);
    this.log(`analysis      ${s.analysis_id}`);
    this.log(`reports       ${s.frequency} · ${s.time_zone} · ${s.status} · ${s.bounce_count} bounce(s)`);
    if (s.suspended_at) this.log(`suspended at  ${s.suspended_at}`);
    this.log(
      `consent       requested ${at(k.requested_at)} from ${k.request_ip ?? '?'} (${k.request_user_agent ?? '?'}) · email sent ${at(k.confirmation_sent_at)}`,
    );
    this.log(
      `              ${k.confirmed_at ? `confirmed ${k.confirmed_at} from ${k.confirm_ip ?? '?'} (${k.confirm_user_agent ?? '?'})` : 'not confirmed'}`,
    );
    this.log(`deliveries    ${s.deliveries.length}, newest first`);
    for (const d of s.deliveries)
      this.log(
        `  ${d.period_key}  ${d.state.padEnd(9)}  ${d.attempts} attempt(s)  sent ${at(d.sent_at)}  ${d.id}${d.last_error ? `  ${d.last_error}` : ''}`,
      );
    return s;
  }
}
