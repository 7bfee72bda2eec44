import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { createContainer, type Container } from '../../../../src/container.js';
import { testConfig } from '../../../helpers/harness.js';
import { TEST_REDIS_URL } from '../../../helpers/env.js';
import { OwnRedis } from '../../../helpers/redis-server.js';
import { RedisRateLimiter } from '../../../../src/infra/rate-limit/redis-rate-limiter.js';

const NOW = new Date('2026-03-02T10:00:10Z');

describe('RedisRateLimiter', function () {
  let a: Container;
  let b: Container;
  before(async () => {
    const env = { REDIS_URL: TEST_REDIS_URL, CACHE_NAMESPACE: `test-rl-${randomUUID()}` };
    a = createContainer(testConfig('postgres', env));
    b = createContainer(testConfig('postgres', env));
    expect(await a.cache.ready()).to.equal(true);
    expect(await b.cache.ready()).to.equal(true);
  });
  after(async () => {
    await a.close();
    await b.close();
  });

  it('is what the container uses when REDIS_URL is set', () => {
    expect(a.rateLimiter).to.be.instanceOf(RedisRateLimiter);
  });

  it('shares one fixed window across instances', async () => {
    const key = `pdf:${randomUUID()}`;
    const verdicts = [];
    for (let i = 0; i < 6; i++) verdicts.push(await (i % 2 ? b : a).rateLimiter.hit(key, 5, 60, NOW));
    expect(verdicts.map((v) => v.allowed)).to.deep.equal([true, true, true, true, true, false]);
    expect(verdicts[4]).to.include({ remaining: 0 });
    expect(verdicts[5]).to.include({ retryAfterSeconds: 50 });
    // The next window starts afresh.
    expect((await a.rateLimiter.hit(key, 5, 60, new Date(NOW.getTime() + 60_000))).allowed).to.equal(true);
  });

  it('counts atomically under concurrency', async () => {
    const key = `pdf:${randomUUID()}`;
    const verdicts = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? b : a).rateLimiter.hit(key, 10, 60, NOW)));
    expect(verdicts.filter((v) => v.allowed)).to.have.length(10);
  });
});

describe('RedisRateLimiter with Redis down', function () {
  this.timeout(30_000);
  let redis: OwnRedis;
  let c: Container;
  before(async () => {
    redis = await OwnRedis.start();
    c = createContainer(testConfig('postgres', { REDIS_URL: redis.url }));
    expect(await c.cache.ready()).to.equal(true);
  });
  after(async () => {
    await c.close();
    await redis.stop();
  });

  it('fails open to local counting, without waiting on Redis, and goes back to Redis when it returns', async () => {
    const key = `pdf:${randomUUID()}`;
    expect((await c.rateLimiter.hit(key, 2, 60, NOW)).allowed).to.equal(true);
    await redis.kill();
    const timeouts = c.cache.redis!.events.timeouts;
    const local = [];
    for (let i = 0; i < 3; i++) local.push((await c.rateLimiter.hit(key, 2, 60, NOW)).allowed);
    expect(c.cache.redis!.events.timeouts - timeouts, 'command timeouts waited for').to.equal(0);
    expect(local).to.deep.equal([true, true, false]);
    await redis.restart();
    expect(await c.cache.ready(10_000)).to.equal(true);
    const shared = await c.rateLimiter.hit(key, 2, 60, NOW); // a fresh Redis: its count starts again
    expect(shared).to.include({ allowed: true, remaining: 1 });
  });
});
