import { Args } from '@oclif/core';
import { BaseCommand } from '../../src/cli/base-command.js';
import type { Subscription } from '../../src/services/subscription-service.js';

export default class SubscriptionsReactivate extends BaseCommand<typeof SubscriptionsReactivate> {
  static override description =
    'Switch a report subscription back on, e.g. after it was suspended for hard bounces; its bounce count starts again at 0';
  static override examples = ['<%= config.bin %> subscriptions reactivate 7e06ba54-0000-4000-8000-000000000000'];
  static override args = { id: Args.string({ required: true, description: 'subscription id' }) };

  async run(): Promise<Subscription> {
    const c = await this.services();
    const sub = await c.subscriptions.reactivate(this.args.id);
    this.log(`subscription ${sub.subscription_id} is active again (${sub.frequency} reports)`);
    return sub;
  }
}
