import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { createClient } from '@redis/client';
import { runCli, tempDir } from '../helpers/cli.js';
import { TEST_DATABASE_URL } from '../helpers/env.js';
import { api, type Harness } from '../helpers/harness.js';
import { LoadProbe, specAnalysis, startCacheHarness } from '../helpers/cache.js';
import { freePort, OwnRedis } from '../helpers/redis-server.js';

describe('visionaire cache stats / cache clear', function () {
  this.timeout(60_000);
  let redis: OwnRedis;
  let h: Harness;
  const probe = new LoadProbe();
  const namespace = `test-cli-${randomUUID()}`;
  let env: Record<string, string>;
  before(async () => {
    redis = await OwnRedis.start();
    env = { DATABASE_URL: TEST_DATABASE_URL, REDIS_URL: redis.url, CACHE_NAMESPACE: namespace };
    h = await startCacheHarness('redis', { env: { REDIS_URL: redis.url, CACHE_NAMESPACE: namespace }, probe });
  });
  after(async () => {
    await h.close();
    await redis.stop();
  });

  async function redisCommandCalls(): Promise<Record<string, number>> {
    const client = createClient({ url: redis.url });
    await client.connect();
    const info = await client.info('commandstats');
    await client.close();
    return Object.fromEntries([...info.matchAll(/^cmdstat_(\w+):calls=(\d+)/gm)].map((m) => [m[1]!, Number(m[2])]));
  }

  it('stats --json shows the hit rate shared by the serving instance, and Redis memory and clients', async () => {
    const id = await specAnalysis(h.baseUrl);
    for (let i = 0; i < 4; i++) await api(h.baseUrl).get(`/dashboard/${id}`);
    await h.container.cache.stats(); // flushes this instance's counts
    const res = await runCli(['cache', 'stats', '--json'], env);
    expect(res.code, res.stderr).to.equal(0);
    const stats = JSON.parse(res.stdout);
    expect(stats).to.include({ health: 'healthy', backend: 'redis', hits: 3, misses: 1, hit_rate: 75 });
    expect(stats.memory_used).to.match(/^\d+(\.\d+)?[KMG]$/);
    expect(stats.connected_clients).to.be.at.least(2);

    const human = await runCli(['cache', 'stats'], env);
    expect(human.stdout).to.match(/hit rate\s+75%/);
  });

  it('clear --analysis clears one analysis only; clear empties the namespace with SCAN, never KEYS', async () => {
    const [one, two] = [await specAnalysis(h.baseUrl), await specAnalysis(h.baseUrl)];
    const client = api(h.baseUrl);
    for (const id of [one, two]) for (const p of ['', '/metrics', '/badges']) await client.get(`/dashboard/${id}${p}`);

    const cleared = await runCli(['cache', 'clear', '--analysis', one, '--json'], env);
    expect(cleared.code, cleared.stderr).to.equal(0);
    expect(JSON.parse(cleared.stdout)).to.deep.equal({ scope: 'analysis', analysis_id: one, deleted: 3 });
    const loads = [probe.count(`dashboard:${one}`), probe.count(`dashboard:${two}`)];
    await client.get(`/dashboard/${one}`);
    await client.get(`/dashboard/${two}`);
    expect([probe.count(`dashboard:${one}`) - loads[0]!, probe.count(`dashboard:${two}`) - loads[1]!]).to.deep.equal([
      1, 0,
    ]);

    const all = await runCli(['cache', 'clear', '--json'], env);
    expect(all.code, all.stderr).to.equal(0);
    expect(JSON.parse(all.stdout).deleted).to.be.at.least(5);
    const before = probe.count(`dashboard:${two}`);
    await client.get(`/dashboard/${two}`);
    expect(probe.count(`dashboard:${two}`) - before).to.equal(1);

    const calls = await redisCommandCalls();
    expect(calls.scan).to.be.at.least(1);
    expect(calls.keys ?? 0).to.equal(0);
  });

  it('rejects a malformed analysis id with exit code 2', async () => {
    const res = await runCli(['cache', 'clear', '--analysis', 'nope'], env);
    expect(res.code).to.equal(2);
    expect(res.stderr).to.match(/INVALID_INPUT/);
  });

  it('says the cache lives in the server process when there is no REDIS_URL (embedded mode)', async () => {
    for (const cmd of ['stats', 'clear']) {
      const res = await runCli(['cache', cmd, '--json'], { DATA_DIR: tempDir('cache-cli') });
      expect(res.code).to.equal(2);
      expect(JSON.parse(res.stdout)).to.include({ error: 'INVALID_CONFIG' });
      expect(JSON.parse(res.stdout).detail).to.match(/No REDIS_URL/);
    }
  });

  it('clear and stats fail with exit code 1 and say Redis is unreachable, rather than print zeros', async () => {
    const port = await freePort();
    const down = { ...env, REDIS_URL: `redis://127.0.0.1:${port}` };
    for (const cmd of ['clear', 'stats']) {
      const res = await runCli(['cache', cmd, '--json'], down);
      expect(res.code, res.stdout).to.equal(1);
      expect(JSON.parse(res.stdout)).to.deep.equal({
        error: 'SERVICE_UNAVAILABLE',
        detail: `Redis is unreachable at 127.0.0.1:${port}: no answer within 2 s`,
      });
      const human = await runCli(['cache', cmd], down);
      expect(human.code).to.equal(1);
      expect(human.stdout).to.equal('');
      expect(human.stderr).to.equal(
        `SERVICE_UNAVAILABLE: Redis is unreachable at 127.0.0.1:${port}: no answer within 2 s\n`,
      );
    }
  });
});
