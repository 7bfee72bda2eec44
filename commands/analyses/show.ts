import { Args } from '@oclif/core';
import { BaseCommand } from '../../src/cli/base-command.js';
import type { AnalysisRow } from '../../src/db/analysis-repo.js';
import type { ConsentRecord } from '../../src/services/consent-service.js';
import { requireUuid } from '../../src/domain/ids.js';
import { CATEGORIES } from '../../src/domain/results-summary.js';

export default class AnalysesShow extends BaseCommand<typeof AnalysesShow> {
  static override description =
    'Show one analysis: URL, status, dates, hourly rate, its opportunities, and its subscriptions with their ids, states and consent records';
  static override examples = [
    '<%= config.bin %> analyses show 550e8400-e29b-41d4-a716-446655440000',
    '<%= config.bin %> analyses show 550e8400-e29b-41d4-a716-446655440000 --json',
  ];
  static override args = { id: Args.string({ required: true, description: 'analysis id' }) };

  async run(): Promise<AnalysisRow & { subscriptions: ConsentRecord[] }> {
    const id = requireUuid(this.args.id, 'id').toLowerCase();
    const c = await this.services();
    const a = await c.analyses.getAnalysis(id);
    const s = a.results_summary;
    this.log(`${a.id}  ${a.status}`);
    this.log(`url         ${a.url}`);
    this.log(`company     ${s?.identity_a1.company_name ?? '—'}${s ? ` (${s.identity_a1.sector})` : ''}`);
    this.log(
      `created     ${a.created_at.toISOString()}${a.completed_at ? ` · completed ${a.completed_at.toISOString()}` : ''}`,
    );
    this.log(`hourly rate ${a.hourly_rate ?? '—'}`);
    for (const key of CATEGORIES) {
      const o = s?.[key];
      if (o)
        this.log(
          `  ${key.padEnd(20)} ${o.hours_per_week} h/week · complexity ${o.complexity_level} · ${o.problem_teaser}`,
        );
    }
    const subscriptions = await c.consents.consentRecords(id);
    this.log(`subscriptions ${subscriptions.length} (id, state, email, frequency, consent)`);
    for (const r of subscriptions) {
      const confirmed = r.confirmed_at
        ? `confirmed ${r.confirmed_at.toISOString()} from ${r.confirm_ip ?? '?'}`
        : 'not confirmed';
      this.log(
        `  ${r.subscription_id}  ${r.status.padEnd(12)}  ${r.email} ${r.frequency} · requested ${r.requested_at?.toISOString() ?? '—'} from ${r.request_ip ?? '?'} · ${confirmed}`,
      );
    }
    return { ...a, subscriptions };
  }
}
