import { Flags } from '@oclif/core';
import { BaseCommand } from '../../src/cli/base-command.js';
import { requireUuid } from '../../src/domain/ids.js';
import type { CacheClearResult } from '../../src/infra/cache/cache-service.js';

export default class CacheClear extends BaseCommand<typeof CacheClear> {
  static override description = 'Empty the cache namespace (SCAN, never KEYS), or only what is cached for one analysis';
  static override examples = [
    '<%= config.bin %> cache clear',
    '<%= config.bin %> cache clear --analysis 550e8400-e29b-41d4-a716-446655440000',
  ];
  static override flags = {
    analysis: Flags.string({ description: 'only this analysis id' }),
  };

  async run(): Promise<CacheClearResult> {
    this.requireRedis('the cache lives inside the serving process and empties when it restarts');
    const analysisId = this.flags.analysis === undefined ? undefined : requireUuid(this.flags.analysis, 'analysis');
    const c = await this.servicesWithRedis();
    const result = await c.cache.clear({ analysisId });
    this.log(
      `cleared ${result.scope === 'all' ? 'the cache namespace' : `analysis ${result.analysis_id}`}: ${result.deleted} key(s) deleted`,
    );
    return result;
  }
}
