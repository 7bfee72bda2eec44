import { Flags } from '@oclif/core';
import { BaseCommand } from '../../src/cli/base-command.js';
import { DELIVERY_STATES, type DeliveryState, type DeliveryView } from '../../src/services/support-service.js';

export default class DeliveriesList extends BaseCommand<typeof DeliveriesList> {
  static override description =
    'List report deliveries, newest period first: by state, period or a piece of the email (queued = waiting for a worker)';
  static override examples = [
    '<%= config.bin %> deliveries list --status failed',
    '<%= config.bin %> deliveries list --period 2026-W47 --email cafe-nord --json',
  ];
  static override flags = {
    status: Flags.string({ description: 'only this state', options: [...DELIVERY_STATES] }),
    period: Flags.string({ description: 'only this period (e.g. 2026-W47 or 2026-10)' }),
    email: Flags.string({ description: 'only emails containing this (case-insensitive)' }),
    limit: Flags.integer({ description: 'at most this many', default: 100, min: 1, max: 10_000 }),
  };

  async run(): Promise<DeliveryView[]> {
    const c = await this.services();
    const rows = await c.support.findDeliveries({
      state: this.flags.status as DeliveryState | undefined,
      periodKey: this.flags.period,
      email: this.flags.email,
      limit: this.flags.limit,
    });
    for (const d of rows)
      this.log(
        `${d.period_key}  ${d.state.padEnd(9)}  ${d.attempts} attempt(s)  sent ${d.sent_at ?? '—'}  ${d.id}  ${d.email}  ${d.company_name ?? '—'}${d.last_error ? `  ${d.last_error}` : ''}`,
      );
    this.log(`${rows.length} deliver${rows.length === 1 ? 'y' : 'ies'}`);
    return rows;
  }
}
