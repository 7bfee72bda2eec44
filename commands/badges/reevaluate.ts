import { Flags } from '@oclif/core';
import { BaseCommand } from '../../src/cli/base-command.js';
import { startProgress } from '../../src/cli/progress.js';
import { requireUuid } from '../../src/domain/ids.js';
import type { RejectedDefinition } from '../../src/domain/badges.js';

export type ReevaluateResult = { analyses: number; awarded: number; revoked: number; skipped: RejectedDefinition[] };

export default class BadgesReevaluate extends BaseCommand<typeof BadgesReevaluate> {
  static override description = 'Backfill badges with the current rules, for one analysis or all of them';
  static override examples = [
    '<%= config.bin %> badges reevaluate --analysis 550e8400-e29b-41d4-a716-446655440000',
    '<%= config.bin %> badges reevaluate --all --batch-size 200',
  ];
  static override flags = {
    analysis: Flags.string({ description: 'analysis id', exactlyOne: ['analysis', 'all'] }),
    all: Flags.boolean({ description: 'every analysis', exactlyOne: ['analysis', 'all'] }),
    'batch-size': Flags.integer({ description: 'analyses per batch', default: 2000, min: 1, max: 10000 }),
  };

  async run(): Promise<ReevaluateResult> {
    const analysisId = this.flags.analysis === undefined ? undefined : requireUuid(this.flags.analysis, 'analysis');
    const c = await this.services();
    // A definition that cannot be used is named, the others still apply, and the exit status says so.
    const skipped = await c.badges.rejectedDefinitions();
    if (skipped.length > 0)
      this.failed(
        'INVALID_BADGE_DEFINITION',
        skipped.map((r) => `skipped badge definition ${r.type} v${r.version}: ${r.problem}`).join('; '),
      );
    if (analysisId) {
      const { awarded, revoked } = await c.badges.reevaluate(analysisId);
      this.log(
        `awarded ${awarded.length} badge(s)${awarded.length ? `: ${awarded.map((b) => b.badge_type).join(', ')}` : ''}`,
      );
      if (revoked.length) this.log(`revoked ${revoked.length} badge(s): ${revoked.join(', ')}`);
      return { analyses: 1, awarded: awarded.length, revoked: revoked.length, skipped };
    }
    const progress = await startProgress({ label: 'reevaluate', unit: 'analyses', quiet: this.jsonEnabled() });
    const result = await c.badges
      .reevaluateAll({
        batchSize: this.flags['batch-size'],
        onBatch: (done, total, awarded) => progress.update(done, total, `${awarded} badge(s) awarded`),
      })
      .finally(() => progress.stop());
    this.log(
      `checked ${result.analyses} analyses, awarded ${result.awarded} badge(s), revoked ${result.revoked} badge(s)`,
    );
    return { ...result, skipped };
  }
}
