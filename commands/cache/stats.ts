import { API_PREFIX } from '../../src/api-paths.js';
import { BaseCommand } from '../../src/cli/base-command.js';
import type { CacheStats } from '../../src/infra/cache/cache-service.js';

export default class CacheStatsCommand extends BaseCommand<typeof CacheStatsCommand> {
  static override description =
    'Cache hit rate (shared by every instance on the same Redis namespace), Redis memory and clients';
  static override examples = ['<%= config.bin %> cache stats', '<%= config.bin %> cache stats --json'];

  async run(): Promise<CacheStats> {
    this.requireRedis(
      `the cache lives inside the serving process; ask it with GET ${API_PREFIX}/cache/stats or \`visionaire console\``,
    );
    const c = await this.servicesWithRedis();
    const s = await c.cache.stats();
    this.log(`health      ${s.health} (${s.backend})`);
    this.log(`hits        ${s.hits}`);
    this.log(`misses      ${s.misses}`);
    this.log(`hit rate    ${s.hit_rate}%`);
    this.log(`memory      ${s.memory_used ?? 'n/a'}`);
    this.log(`clients     ${s.connected_clients ?? 'n/a'}`);
    return s;
  }
}
