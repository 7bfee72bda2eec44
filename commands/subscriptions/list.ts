import { Flags } from '@oclif/core';
import { BaseCommand } from '../../src/cli/base-command.js';
import { SUBSCRIPTION_STATES, type SubscriptionSummary } from '../../src/services/support-service.js';
import type { SubscriptionStatus } from '../../src/domain/consent.js';

export default class SubscriptionsList extends BaseCommand<typeof SubscriptionsList> {
  static override description =
    'List report subscriptions, newest first: by a piece of the email, by analysis, by state (ids and emails in full)';
  static override examples = [
    '<%= config.bin %> subscriptions list --email cafe-nord',
    '<%= config.bin %> subscriptions list --status suspended --json',
    '<%= config.bin %> subscriptions list --analysis 550e8400-e29b-41d4-a716-446655440000',
  ];
  static override flags = {
    email: Flags.string({ description: 'only emails containing this (case-insensitive)' }),
    analysis: Flags.string({ description: 'only the subscriptions of this analysis' }),
    status: Flags.string({ description: 'only this state', options: [...SUBSCRIPTION_STATES] }),
    limit: Flags.integer({ description: 'at most this many', default: 100, min: 1, max: 10_000 }),
  };

  async run(): Promise<SubscriptionSummary[]> {
    const c = await this.services();
    const rows = await c.support.findSubscriptions({
      email: this.flags.email,
      analysisId: this.flags.analysis,
      status: this.flags.status as SubscriptionStatus | undefined,
      limit: this.flags.limit,
    });
    for (const r of rows)
      this.log(
        `${r.subscription_id}  ${r.status.padEnd(12)}  ${r.frequency.padEnd(7)}  ${r.email}  ${r.company_name ?? '—'}  analysis ${r.analysis_id}`,
      );
    this.log(`${rows.length} subscription${rows.length === 1 ? '' : 's'}`);
    return rows;
  }
}
