import { Args } from '@oclif/core';
import { BaseCommand } from '../../src/cli/base-command.js';
import type { ActionOutcome, SubscriptionDetail } from '../../src/services/support-service.js';

export default class SubscriptionsReactivate extends BaseCommand<typeof SubscriptionsReactivate> {
  static override description =
    'Switch a report subscription back on, e.g. after it was suspended for hard bounces; its bounce count starts again at 0. Says whether a live scheduler will queue its reports';
  static override examples = ['<%= config.bin %> subscriptions reactivate 7e06ba54-0000-4000-8000-000000000000'];
  static override args = { id: Args.string({ required: true, description: 'subscription id' }) };

  async run(): Promise<ActionOutcome & { subscription: SubscriptionDetail }> {
    const c = await this.services();
    const r = await c.support.reactivate(this.args.id);
    this.log(
      `subscription ${r.subscription.subscription_id} is active again (${r.subscription.frequency} reports): ${r.note}`,
    );
    return r;
  }
}
