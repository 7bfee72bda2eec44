import { expect } from 'chai';
import { api, type Harness } from '../../../helpers/harness.js';
import { LoadProbe, specAnalysis, startCacheHarness } from '../../../helpers/cache.js';
import { until } from '../../../helpers/instances.js';
import { OwnRedis } from '../../../helpers/redis-server.js';
import { TcpProxy } from '../../../helpers/tcp-proxy.js';

describe('a half-open Redis connection (bytes swallowed, socket open, as after a NAT timeout)', function () {
  this.timeout(90_000);
  let redis: OwnRedis;
  let proxy: TcpProxy;
  let h: Harness;
  const probe = new LoadProbe();
  beforeEach(async () => {
    redis = await OwnRedis.start();
    proxy = await TcpProxy.start(redis.port);
    h = await startCacheHarness('redis', { env: { REDIS_URL: proxy.url }, probe });
  });
  afterEach(async () => {
    await h.close();
    await proxy.close();
    await redis.stop();
  });

  it('tears the connection down after a command times out, and serves hits again once the link heals', async () => {
    const client = api(h.baseUrl);
    const id = await specAnalysis(h.baseUrl);
    const key = `dashboard:${id}`;
    for (let i = 0; i < 2; i++) expect((await client.get(`/dashboard/${id}`)).status).to.equal(200);
    expect(probe.count(key)).to.equal(1);
    const events = h.container.cache.redis!.events;
    const before = { ...events };

    proxy.swallowing = true;
    // Past the tracking lease (5 ms by default), a hit must ask Redis again.
    await new Promise((r) => setTimeout(r, 50));
    expect((await client.get(`/dashboard/${id}`)).status, 'answered from the database').to.equal(200);
    // With or without traffic, a command times out (a read's, or the idle PING's) and the
    // connection is torn down: the socket stays open, so nothing else would ever close it.
    await until(() => events.rebuilds > before.rebuilds, 30_000, 'the connection to be rebuilt');
    expect(events.timeouts - before.timeouts, 'after a command timed out').to.be.at.least(1);
    expect(h.container.cache.available).to.equal(false);
    expect((await client.get(`/dashboard/${id}`)).status, 'answered from the database').to.equal(200);

    proxy.swallowing = false;
    await until(() => h.container.cache.available, 30_000, 'the cache to come back on a new connection');
    const loads = probe.count(key);
    for (let i = 0; i < 3; i++) expect((await client.get(`/dashboard/${id}`)).status).to.equal(200);
    expect(probe.count(key) - loads, 'cached again: one load at most').to.be.at.most(1);
  });
});
