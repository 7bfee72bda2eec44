import { Args } from '@oclif/core';
import { BaseCommand } from '../../src/cli/base-command.js';
import type { ActionOutcome, SubscriptionDetail } from '../../src/services/support-service.js';

export default class SubscriptionsResendConfirmation extends BaseCommand<typeof SubscriptionsResendConfirmation> {
  static override description =
    "Queue a pending subscription's confirmation email again; says whether a live worker (a running `serve`) will send it";
  static override examples = [
    '<%= config.bin %> subscriptions resend-confirmation 7e06ba54-0000-4000-8000-000000000000',
  ];
  static override args = { id: Args.string({ required: true, description: 'subscription id' }) };

  async run(): Promise<ActionOutcome & { subscription: SubscriptionDetail }> {
    const c = await this.services();
    const r = await c.support.resendConfirmation(this.args.id);
    this.log(`${r.done}: ${r.note}`);
    return r;
  }
}
