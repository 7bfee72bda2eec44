import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { createContainer, type Container } from '../../../../src/container.js';
import { RateLimiter } from '../../../../src/infra/rate-limit/rate-limiter.js';
import { testConfig } from '../../../helpers/harness.js';
import { TEST_REDIS_URL } from '../../../helpers/env.js';
import { OwnRedis } from '../../../helpers/redis-server.js';

const rule = (points: number) => ({ name: `test-${randomUUID()}`, points, durationSeconds: 60 });

describe('RateLimiter over Redis', function () {
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

  const limiter = (c: Container, r: ReturnType<typeof rule>) =>
    new RateLimiter(r, { redis: c.cache.redis, namespace: c.config.cacheNamespace, commandTimeoutMs: 150 });

  it('shares one window across instances, with the headers it needs', async () => {
    const r = rule(5);
    const [la, lb] = [limiter(a, r), limiter(b, r)];
    const verdicts = [];
    for (let i = 0; i < 6; i++) verdicts.push(await (i % 2 ? lb : la).hit('client'));
    expect(verdicts.map((v) => v.allowed)).to.deep.equal([true, true, true, true, true, false]);
    expect(verdicts.map((v) => v.remaining)).to.deep.equal([4, 3, 2, 1, 0, 0]);
    expect(verdicts[5]!.limit).to.equal(5);
    expect(verdicts[5]!.resetSeconds).to.be.within(1, 60);
    expect((await la.hit('another client')).allowed, 'keys are counted apart').to.equal(true);
  });

  it('counts atomically under concurrency', async () => {
    const r = rule(10);
    const [la, lb] = [limiter(a, r), limiter(b, r)];
    const verdicts = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? lb : la).hit('client')));
    expect(verdicts.filter((v) => v.allowed)).to.have.length(10);
  });

  it('tells the container of each rejection (the rate_limit_rejections_total counter)', async () => {
    const pdf = a.rateLimits.pdf;
    const key = randomUUID();
    for (let i = 0; i < pdf.rule.points + 2; i++) await pdf.hit(key);
    const text = (await a.metrics.scrape()).text;
    expect(text).to.match(/^rate_limit_rejections_total\{limit="report-pdf"\} 2$/m);
  });
});

describe('RateLimiter with Redis down', function () {
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

  it('falls back to local counting, which still limits, and goes back to Redis when it returns', async () => {
    const l = new RateLimiter(rule(2), {
      redis: c.cache.redis,
      namespace: c.config.cacheNamespace,
      commandTimeoutMs: 150,
    });
    expect((await l.hit('client')).allowed).to.equal(true);
    await redis.kill();
    const timeouts = c.cache.redis!.events.timeouts;
    const local = [];
    for (let i = 0; i < 3; i++) local.push((await l.hit('client')).allowed);
    expect(c.cache.redis!.events.timeouts - timeouts, 'command timeouts waited for').to.equal(0);
    expect(local).to.deep.equal([true, true, false]);
    await redis.restart();
    expect(await c.cache.ready(10_000)).to.equal(true);
    const shared = await l.hit('client'); // a fresh Redis: its count starts again
    expect(shared).to.include({ allowed: true, remaining: 1 });
  });
});
