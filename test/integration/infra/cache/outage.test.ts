import { expect } from 'chai';
import { api, type Harness } from '../../../helpers/harness.js';
import { LoadProbe, REDIS_DESIGNS, specAnalysis, startCacheHarness, statusOf } from '../../../helpers/cache.js';
import { OwnRedis } from '../../../helpers/redis-server.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/*
 * These tests assert the mechanism, never a wall-clock figure (artillery/cache-outage.ts measures
 * the latency): while Redis is down no request fails, and requests wait for the command timeout
 * at most once per breaker probe.
 */
for (const design of REDIS_DESIGNS) {
  describe(`Redis outage (${design.name})`, function () {
    this.timeout(60_000);
    let redis: OwnRedis;
    let h: Harness;
    let client: ReturnType<typeof api>;
    const probe = new LoadProbe();
    beforeEach(async () => {
      redis = await OwnRedis.start();
      h = await startCacheHarness('redis', { env: { ...design.env, REDIS_URL: redis.url }, probe });
      client = api(h.baseUrl);
    });
    afterEach(async () => {
      await h.close();
      await redis.stop();
    });

    it('keeps every request succeeding when Redis is killed mid-traffic, without waiting on it, and resumes hits when it is back', async () => {
      const id = await specAnalysis(h.baseUrl);
      const key = `dashboard:${id}`;
      const redisEvents = h.container.cache.redis!.events;
      let requests = 0;
      let requestsWhileDown = 0;
      const failures: string[] = [];
      let down = false;
      let stop = false;
      let flips = 0;

      const dashboardLoop = async () => {
        while (!stop) {
          const wasDown = down;
          const res = await client.get(`/dashboard/${id}`);
          requests++;
          if (wasDown && down) requestsWhileDown++;
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

      await until(() => requests >= 40, 30_000, '40 dashboard reads');
      const hitsWhileUp = requests - probe.count(key);
      expect(hitsWhileUp, 'hits before the outage').to.be.greaterThan(20);

      await redis.kill();
      down = true;
      const before = { ...redisEvents };
      await until(() => requestsWhileDown >= 50 && flips >= 4, 30_000, 'traffic while Redis is down');
      const health = await client.get('/health');
      expect(health.status).to.equal(200);
      expect(health.body).to.deep.include({ status: 'degraded' });
      expect(health.body.cache).to.deep.equal({ status: 'down', backend: 'redis' });
      const stats = await client.get('/cache/stats');
      expect(stats.status).to.equal(200);
      expect(stats.body).to.include({
        health: 'degraded',
        backend: 'redis',
        memory_used: null,
        connected_clients: null,
      });
      const pdf = h.container.rateLimits.pdf;
      const local = [];
      for (let i = 0; i <= pdf.rule.points; i++) local.push((await pdf.hit('outage-test')).allowed);
      expect(local.slice(0, -1), 'the rate limiter fails open to local counting').to.not.include(false);
      expect(local.at(-1), 'local limits still apply').to.equal(false);
      const timeoutsWhileDown = redisEvents.timeouts - before.timeouts;
      const probesWhileDown = redisEvents.probes - before.probes;
      expect(
        timeoutsWhileDown,
        `${timeoutsWhileDown} command timeouts for ${probesWhileDown} probes over ${requestsWhileDown} reads`,
      ).to.be.at.most(probesWhileDown);

      await redis.restart();
      await until(() => h.container.cache.available, 10_000, 'the cache to come back');
      down = false;
      const after = requests;
      await until(() => requests >= after + 20, 30_000, 'reads after recovery');
      stop = true;
      await Promise.all(loops);

      expect(failures, failures.slice(0, 5).join('; ')).to.deep.equal([]);

      // Hits resume: two reads in a row after recovery load once at most.
      const loadsBefore = probe.count(key);
      await client.get(`/dashboard/${id}`);
      await client.get(`/dashboard/${id}`);
      await client.get(`/dashboard/${id}`);
      expect(probe.count(key) - loadsBefore).to.be.at.most(1);
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
      // Tags held under CLIENT TRACKING serve hits without Redis for the lease after the last reply;
      // past it (and always with an MGET per hit), every read asks the hung Redis.
      await sleep(Number(design.env.CACHE_LEASE_MS) + 20);
      const events = h.container.cache.redis!.events;
      const cost = async <T>(request: () => Promise<T>) => {
        const before = { ...events };
        const result = await request();
        return { result, timeouts: events.timeouts - before.timeouts, probes: events.probes - before.probes };
      };
      const waits: number[] = [];
      for (let i = 0; i < 4; i++) {
        const r = await cost(() => client.get(`/dashboard/${id}`));
        expect(r.result.status).to.equal(200);
        waits.push(r.timeouts - r.probes);
      }
      expect(
        waits.every((w) => w <= 1),
        `command timeouts per request beyond probes: ${waits.join(',')}`,
      ).to.equal(true);
      expect(h.container.cache.available, 'breaker open after repeated timeouts').to.equal(false);

      // The breaker is open: this write's invalidation skips Redis (no wait) and must be remembered.
      const write = await cost(() =>
        client.post(`/dashboard/${id}/progress`, { opportunity_id: 'value_creation', status: 'IN_PROGRESS' }),
      );
      expect(write.result.status).to.equal(200);
      expect(write.timeouts, 'the write waited on Redis').to.be.at.most(write.probes);
      expect(statusOf((await client.get(`/dashboard/${id}`)).body, 'value_creation')).to.equal('IN_PROGRESS');

      redis.resume(); // still holds the entry cached before the write, under the current generation
      await until(() => h.container.cache.available, 10_000, 'the cache to come back');
      const loads = probe.count(key);
      for (let i = 0; i < 3; i++)
        expect(statusOf((await client.get(`/dashboard/${id}`)).body, 'value_creation')).to.equal('IN_PROGRESS');
      expect(probe.count(key) - loads, 'cached again after recovery').to.equal(1);
    });
  });
}
