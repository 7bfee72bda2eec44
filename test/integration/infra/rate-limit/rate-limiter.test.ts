import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { createClient } from '@redis/client';
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

describe('RateLimiter counting locally, synchronised in batches, across 3 instances over Redis', function () {
  this.timeout(60_000);
  let instances: Container[];
  const made: RateLimiter[] = [];
  before(async () => {
    const env = { REDIS_URL: TEST_REDIS_URL, CACHE_NAMESPACE: `test-rl3-${randomUUID()}` };
    instances = [0, 1, 2].map(() => createContainer(testConfig('postgres', env)));
    for (const c of instances) expect(await c.cache.ready()).to.equal(true);
  });
  after(async () => {
    for (const l of made) l.close();
    await Promise.all(instances.map((c) => c.close()));
  });

  /** One limiter per instance for the same rule, as three API processes would have. */
  const limiters = (points: number, opts: { syncMs?: number } = {}) => {
    const r = rule(points);
    const ls = instances.map(
      (c) =>
        new RateLimiter(r, {
          redis: c.cache.redis,
          namespace: c.config.cacheNamespace,
          commandTimeoutMs: 2000,
          ...opts,
        }),
    );
    made.push(...ls);
    return ls;
  };
  const allowed = (vs: { allowed: boolean }[]) => vs.filter((v) => v.allowed).length;

  it("answers most hits without waiting for Redis, and shares out 10 % of the limit as each instance's batch", () => {
    const [l] = limiters(1000);
    expect(l!.batch, 'a third of 10 % of 1000').to.equal(33);
    const verdicts = Array.from({ length: 20 }, () => l!.count('client'));
    expect(
      verdicts.filter((v) => v instanceof Promise),
      'decided in this process',
    ).to.have.length(0);
    expect(limiters(20)[0]!.batch, 'too small a limit to share: every hit is counted in Redis first').to.equal(0);
  });

  for (const points of [100, 1000]) {
    it(`admits the limit and at most 10 % more when all 3 instances are hit at once (${points} a minute)`, async () => {
      const ls = limiters(points);
      // Every hit is asked for in the same turn of the event loop: no instance has heard from Redis yet.
      const verdicts = await Promise.all(Array.from({ length: points * 3 }, (_, i) => ls[i % 3]!.count('client')));
      expect(allowed(verdicts)).to.be.within(points, points * 1.1);
    });

    it(`admits the limit and at most 10 % more when the 3 instances are hit in turn (${points} a minute)`, async () => {
      const ls = limiters(points);
      const verdicts = [];
      for (let i = 0; i < points * 2; i++) verdicts.push(await ls[i % 3]!.count('client'));
      expect(allowed(verdicts)).to.be.within(points, points * 1.1);
      expect(verdicts.at(-1)).to.include({ allowed: false, remaining: 0 });
    });

    it(`admits the limit and at most 10 % more under uneven bursts (${points} a minute)`, async () => {
      const ls = limiters(points);
      const verdicts = [];
      // Bursts of 1 to 40 hits on one instance at a time, each burst asked for at once.
      for (let i = 0, burst = 1; verdicts.length < points * 2; i++, burst = (burst * 7) % 40 || 1)
        verdicts.push(...(await Promise.all(Array.from({ length: burst }, () => ls[i % 3]!.count('client')))));
      expect(allowed(verdicts)).to.be.within(points, points * 1.1);
    });
  }

  it('sends its count to Redis in batches: one INCRBY per half batch', async () => {
    const [l] = limiters(3000, { syncMs: 3_600_000 }); // batch 100: a send every 50 hits, none by the timer
    const monitor = createClient({ url: TEST_REDIS_URL });
    await monitor.connect();
    const sent: string[] = [];
    const key = `${instances[0]!.config.cacheNamespace}:ratelimit:${l!.rule.name}:client`;
    await monitor.monitor((line: string) => {
      if (line.includes(key) && /"eval(sha)?"/i.test(line)) sent.push(line); // the script, not the commands it runs
    });
    try {
      for (let i = 0; i < 1000; i++) await l!.count('client');
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      monitor.destroy();
    }
    expect(sent).to.have.length(20);
    const redis = createClient({ url: TEST_REDIS_URL });
    await redis.connect();
    try {
      expect(await redis.get(key), 'the shared count holds every hit').to.equal('1000');
    } finally {
      redis.destroy();
    }
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
