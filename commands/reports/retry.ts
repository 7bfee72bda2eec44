import { Flags } from '@oclif/core';
import { BaseCommand } from '../../src/cli/base-command.js';
import { assertMailReady } from '../../src/config.js';
import { requireUuid } from '../../src/domain/ids.js';
import { requirePeriodKey } from '../../src/domain/report-period.js';
import { NotFoundError } from '../../src/errors.js';
import type { DrainResult, RetryResult } from '../../src/services/delivery-service.js';

export type ReportsRetryResult = RetryResult & { delivered: DrainResult | null };

export default class ReportsRetry extends BaseCommand<typeof ReportsRetry> {
  static override description = 'Requeue failed report deliveries (the same row and Message-ID, attempts reset) and send them now; --dry-run only lists them';
  static override examples = [
    '<%= config.bin %> reports retry --dry-run',
    '<%= config.bin %> reports retry --period 2026-W47',
    '<%= config.bin %> reports retry --id 7e06ba54-0000-4000-8000-000000000000 --json',
  ];
  static override flags = {
    period: Flags.string({ description: 'only the failures of this period (e.g. 2026-W47 or 2026-10)' }),
    id: Flags.string({ description: 'only this delivery' }),
    'dry-run': Flags.boolean({ description: 'list what would be retried; change and send nothing' }),
  };

  async run(): Promise<ReportsRetryResult> {
    const id = this.flags.id === undefined ? undefined : requireUuid(this.flags.id, 'id');
    const periodKey = this.flags.period === undefined ? undefined : requirePeriodKey(this.flags.period, 'period');
    if (!this.flags['dry-run']) assertMailReady(this.appConfig);
    const c = await this.services();
    if (!this.flags['dry-run']) c.links.ensureReady();
    const result = await c.deliveries.retryFailed({ id, periodKey, dryRun: this.flags['dry-run'] });
    // Asked for one delivery or one period, and nothing of it failed: say so, and exit non-zero.
    if ((id ?? periodKey) !== undefined && result.requeued.length + result.skipped.length === 0)
      throw new NotFoundError(
        id === undefined
          ? `No failed delivery in period ${periodKey}`
          : `No failed delivery with ID ${id}${periodKey === undefined ? '' : ` in period ${periodKey}`}`,
      );
    const verb = result.dry_run ? 'would queue again' : 'queued again';
    for (const d of result.requeued) this.log(`  ${verb} ${d.period_key}  ${d.id}  ${d.company_name ?? '—'}  (${d.attempts} attempts: ${d.last_error ?? 'no error kept'})`);
    for (const d of result.skipped) this.log(`  left    ${d.period_key}  ${d.id}  ${d.company_name ?? '—'}  (${d.reason})`);
    this.log(`${verb} ${result.requeued.length} failed deliver${result.requeued.length === 1 ? 'y' : 'ies'}, left ${result.skipped.length}`);
    if (result.dry_run || result.requeued.length === 0) return { ...result, delivered: null };
    // This command is the worker that sends them, whether or not a scheduler runs.
    this.log('sending them now from this command (no need for a running worker)');
    const delivered = await c.deliveries.drain();
    this.log(`sent ${delivered.sent}, will retry ${delivered.retrying}, failed ${delivered.failed}, cancelled ${delivered.cancelled}`);
    if (delivered.failed > 0)
      this.failed('DELIVERY_FAILED', `${delivered.failed} requeued report(s) failed again; see the errors above`);
    return { ...result, delivered };
  }
}
