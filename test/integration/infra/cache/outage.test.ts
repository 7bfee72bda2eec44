import { expect } from 'chai';
import { api, type Harness } from '../../../helpers/harness.js';
import { LoadProbe, percentile, specAnalysis, startCacheHarness, statusOf } from '../../../helpers/cache.js';
import { OwnRedis } from '../../../helpers/redis-server.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

describe('Redis outage', function () {
  this.timeout(60_000);
  let redis: OwnRedis;
  let h: Harness;
  let client: ReturnType<typeof api>;
  const probe = new LoadProbe();
  beforeEach(async () => {
    redis = await OwnRedis.start();
    h = await startCacheHarness('redis', { env: { REDIS_URL: redis.url }, probe });
    client = api(h.baseUrl);
  });
  afterEach(async () => {
    await h.close();
    await redis.stop();
  });

  it('keeps every request succeeding when Redis is killed mid-traffic, fast, and resumes hits when it is back', async () => {
    const id = await specAnalysis(h.baseUrl);
    const key = `dashboard:${id}`;
    const timings: { at: number; ms: number; down: boolean }[] = [];
    const failures: string[] = [];
    let down = false;
    let stop = false;
    let flips = 0;

    const dashboardLoop = async () => {
      while (!stop) {
        const started = performance.now();
        const wasDown = down;
        const res = await client.get(`/dashboard/${id}`);
        timings.push({ at: started, ms: performance.now() - started, down: wasDown && down });
        if (res.status !== 200) failures.push(`dashboard ${res.status}`);
      }
    };
    const writerLoop = async () => {
      const statuses = ['IN_PROGRESS', 'NOT_STARTED'] as const;
      while (!stop) {
        const status = statuses[flips % 2]!;
        const res = await client.post(`/dashboard/${id}/progress`, { opportunity_id: 'business_management', status });
        if (res.status !== 200) failures.push(`progress ${res.status}`);
        flips++;
        // Read-your-write holds throughout, up or down.
        const seen = statusOf((await client.get(`/dashboard/${id}`)).body, 'business_management');
        if (seen !== status) failures.push(`stale read: wrote ${status}, read ${seen}`);
        for (const p of ['/recommendations', '/badges', '/metrics']) {
          const r = await client.get(`/dashboard/${id}${p}`);
          if (r.status !== 200) failures.push(`${p} ${r.status}`);
        }
        await sleep(20);
      }
    };
    const loops = [dashboardLoop(), dashboardLoop(), dashboardLoop(), writerLoop()];

    await sleep(500);
    const hitsWhileUp = timings.length - probe.count(key);
    expect(hitsWhileUp, 'hits before the outage').to.be.greaterThan(20);

    await redis.kill();
    down = true;
    await sleep(1500);
    const health = await client.get('/health');
    expect(health.status).to.equal(200);
    expect(health.body).to.deep.include({ status: 'degraded' });
    expect(health.body.cache).to.deep.equal({ status: 'down', backend: 'redis' });
    const stats = await client.get('/cache/stats');
    expect(stats.status).to.equal(200);
    expect(stats.body).to.include({ health: 'degraded', backend: 'redis', memory_used: null, connected_clients: null });
    const limited = await h.container.rateLimiter.hit('outage-test', 1, 60, h.clock.now());
    expect(limited.allowed, 'the rate limiter fails open to local counting').to.equal(true);
    expect((await h.container.rateLimiter.hit('outage-test', 1, 60, h.clock.now())).allowed, 'local limits still apply').to.equal(false);

    await redis.restart();
    await until(() => h.container.cache.available, 10_000, 'the cache to come back');
    down = false;
    await sleep(500);
    stop = true;
    await Promise.all(loops);

    expect(failures, failures.slice(0, 5).join('; ')).to.deep.equal([]);
    const whileDown = timings.filter((t) => t.down).map((t) => t.ms);
    expect(whileDown.length, 'dashboard requests while Redis was down').to.be.greaterThan(50);
    const p95 = percentile(whileDown, 95);
    expect(p95, `dashboard p95 while down (${p95.toFixed(1)} ms)`).to.be.lessThan(50);

    // Hits resume: two reads in a row after recovery load once at most.
    const before = probe.count(key);
    await client.get(`/dashboard/${id}`);
    await client.get(`/dashboard/${id}`);
    await client.get(`/dashboard/${id}`);
    expect(probe.count(key) - before).to.be.at.most(1);
    const health2 = await client.get('/health');
    expect(health2.body.cache).to.deep.equal({ status: 'up', backend: 'redis' });
  });

  it('with a hung Redis, costs at most one command timeout per request and replays missed invalidations before serving from it again', async () => {
    const id = await specAnalysis(h.baseUrl);
    const key = `dashboard:${id}`;
    await client.get(`/dashboard/${id}`);
    await client.get(`/dashboard/${id}`);
    expect(probe.count(key)).to.equal(1);

    redis.pause(); // the socket stays open; nothing answers
    // Tags held under CLIENT TRACKING serve hits without Redis for CACHE_LEASE_MS (5 ms) after the
    // last reply; past it, every read asks the hung Redis.
    await sleep(20);
    const slow: number[] = [];
    for (let i = 0; i < 4; i++) {
      const t = performance.now();
      expect((await client.get(`/dashboard/${id}`)).status).to.equal(200);
      slow.push(performance.now() - t);
    }
    expect(Math.max(...slow), `latencies ${slow.map((x) => x.toFixed(0)).join(',')}`).to.be.lessThan(400);
    expect(h.container.cache.available, 'breaker open after repeated timeouts').to.equal(false);

    // The breaker is open: this write's invalidation cannot reach Redis and must be remembered.
    const t = performance.now();
    expect((await client.post(`/dashboard/${id}/progress`, { opportunity_id: 'value_creation', status: 'IN_PROGRESS' })).status).to.equal(200);
    expect(performance.now() - t).to.be.lessThan(100);
    expect(statusOf((await client.get(`/dashboard/${id}`)).body, 'value_creation')).to.equal('IN_PROGRESS');

    redis.resume(); // still holds the entry cached before the write, under the current generation
    await until(() => h.container.cache.available, 10_000, 'the cache to come back');
    const loads = probe.count(key);
    for (let i = 0; i < 3; i++) expect(statusOf((await client.get(`/dashboard/${id}`)).body, 'value_creation')).to.equal('IN_PROGRESS');
    expect(probe.count(key) - loads, 'cached again after recovery').to.equal(1);
  });
});
