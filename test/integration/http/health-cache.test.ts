import { expect } from 'chai';
import { api, type Harness } from '../../helpers/harness.js';
import { startCacheHarness } from '../../helpers/cache.js';
import { until } from '../../helpers/instances.js';
import { OwnRedis } from '../../helpers/redis-server.js';

describe('GET /health with a frozen Redis (SIGSTOP: socket open, nothing answers)', function () {
  this.timeout(90_000);
  let redis: OwnRedis;
  let h: Harness;
  beforeEach(async () => {
    redis = await OwnRedis.start();
    h = await startCacheHarness('redis', { env: { REDIS_URL: redis.url } });
  });
  afterEach(async () => {
    await h.close();
    await redis.stop();
  });

  const health = async () => {
    const res = await api(h.baseUrl).get('/health');
    expect(res.status, 'the database is up: 200 either way').to.equal(200);
    return res.body as { status: string; cache: { status: string } };
  };

  it('says degraded on the first probe after the freeze, and up again once Redis answers, with no other traffic', async () => {
    expect(await health()).to.deep.include({ status: 'ok', cache: { status: 'up', backend: 'redis' } });
    const timeouts = h.container.cache.redis!.events.timeouts;

    redis.pause();
    // No request has touched the cache since: /health finds out by itself, under its own deadline.
    expect(await health()).to.deep.include({ status: 'degraded', cache: { status: 'down', backend: 'redis' } });
    expect(h.container.cache.redis!.events.timeouts - timeouts, 'its PING timed out').to.be.at.least(1);

    redis.resume();
    await until(async () => (await health()).cache.status === 'up', 30_000, '/health to say the cache is up');
    expect(await health()).to.deep.include({ status: 'ok' });
  });

  it('finds a hung Redis out, and finds it back, without any request at all', async () => {
    const events = h.container.cache.redis!.events;
    const probes = events.probes;
    redis.pause();
    await until(() => !h.container.cache.available, 30_000, 'the cache to be marked down');
    redis.resume();
    await until(() => h.container.cache.available, 30_000, 'the cache to be found back');
    expect(events.probes - probes, 'background probes did it').to.be.at.least(2);
  });
});
