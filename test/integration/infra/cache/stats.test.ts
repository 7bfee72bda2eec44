import { expect } from 'chai';
import { api, type Harness } from '../../../helpers/harness.js';
import { CACHE_BACKENDS, specAnalysis, startCacheHarness, useOwnRedisHarness } from '../../../helpers/cache.js';

for (const backend of CACHE_BACKENDS) {
  describe(`GET /cache/stats [${backend}]`, function () {
    let h: Harness;
    before(async () => {
      h = await startCacheHarness(backend);
    });
    after(() => h.close());

    it("returns the contract's fields with the service's own hit and miss counts", async () => {
      const client = api(h.baseUrl);
      const empty = await client.get('/cache/stats');
      expect(empty.status).to.equal(200);
      expect(empty.body).to.have.all.keys(
        'health',
        'backend',
        'hits',
        'misses',
        'hit_rate',
        'memory_used',
        'connected_clients',
      );
      expect(empty.body).to.include({ health: 'healthy', backend, hits: 0, misses: 0, hit_rate: 0 });

      const id = await specAnalysis(h.baseUrl);
      for (let i = 0; i < 3; i++) await client.get(`/dashboard/${id}`);
      await client.get(`/dashboard/${id}/badges`);
      const { body } = await client.get('/cache/stats');
      expect(body).to.include({ hits: 2, misses: 2, hit_rate: 50 });
      expect(body.memory_used).to.match(/^\d+(\.\d+)?[BKMG]$/);
      if (backend === 'redis') expect(body.connected_clients).to.be.a('number').and.at.least(1);
      else expect(body.connected_clients).to.equal(null);
    });

    it('counts one miss and then hits for each kind cached per analysis', async () => {
      const client = api(h.baseUrl);
      const id = await specAnalysis(h.baseUrl);
      const before = (await client.get('/cache/stats')).body;
      for (const path of ['', '/metrics', '/recommendations', '/badges']) {
        for (let i = 0; i < 3; i++) expect((await client.get(`/dashboard/${id}${path}`)).status).to.equal(200);
      }
      const { body } = await client.get('/cache/stats');
      expect({ hits: body.hits - before.hits, misses: body.misses - before.misses }).to.deep.equal({
        hits: 8,
        misses: 4,
      });
    });
  });
}

describe('GET /health and /cache/stats with Redis down', function () {
  this.timeout(30_000);
  const t = useOwnRedisHarness();

  it('report the cache as degraded at once, without waiting on Redis', async () => {
    const client = api(t.h.baseUrl);
    expect((await client.get('/health')).body.cache).to.deep.equal({ status: 'up', backend: 'redis' });
    await t.redis.kill();
    while (t.h.container.cache.available) await new Promise((r) => setTimeout(r, 10)); // the client sees the socket close
    const events = { ...t.h.container.cache.redis!.events };
    const health = await client.get('/health');
    const stats = await client.get('/cache/stats');
    expect(t.h.container.cache.redis!.events.timeouts - events.timeouts, 'command timeouts waited for').to.equal(0);
    expect(health.status).to.equal(200);
    expect(health.body).to.deep.include({ status: 'degraded', cache: { status: 'down', backend: 'redis' } });
    expect(stats.status).to.equal(200);
    expect(stats.body).to.include({ health: 'degraded', memory_used: null, connected_clients: null });
  });
});
