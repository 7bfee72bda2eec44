import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { api, DB_MODES, startHarness, type Harness } from '../../helpers/harness.js';
import { TEST_REDIS_URL } from '../../helpers/env.js';
import { OwnRedis } from '../../helpers/redis-server.js';
import { specAnalysis } from '../../helpers/cache.js';

// A long cache lease, so that a held tag cannot lapse between two requests on a loaded machine.
const LIMIT = { RATE_LIMIT_PER_MINUTE: '100', CACHE_LEASE_MS: '250' };

/** Sends `n` requests one after another and returns their statuses. */
async function burst(baseUrl: string, n: number, headers: Record<string, string> = {}): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < n; i++) statuses.push((await fetch(`${baseUrl}/dashboard/not-a-uuid`, { headers })).status);
  return statuses;
}

for (const mode of DB_MODES) {
  const redis = mode === 'postgres';
  describe(`per-IP rate limit [${mode} + ${redis ? 'redis' : 'memory'}]`, function () {
    this.timeout(60_000); // the first PGlite of a test process is made from scratch: slow on a busy machine
    let h: Harness;
    beforeEach(async () => {
      h = await startHarness(mode, { redis, env: LIMIT });
      if (redis) expect(await h.container.cache.ready(), 'counting in Redis from the first request').to.equal(true);
    });
    afterEach(() => h.close());

    it('answers request 101 in a minute 429 RATE_LIMIT_EXCEEDED with Retry-After and the RateLimit-* headers', async () => {
      const statuses = await burst(h.baseUrl, 100);
      expect(
        statuses.filter((s) => s === 429),
        'the first 100 pass',
      ).to.have.length(0);
      const res = await fetch(`${h.baseUrl}/dashboard/not-a-uuid`);
      expect(res.status).to.equal(429);
      const body = (await res.json()) as { error: string };
      expect(body.error).to.equal('RATE_LIMIT_EXCEEDED');
      expect(Number(res.headers.get('retry-after'))).to.be.within(1, 60);
      expect(res.headers.get('ratelimit-limit')).to.equal('100');
      expect(res.headers.get('ratelimit-remaining')).to.equal('0');
      expect(Number(res.headers.get('ratelimit-reset'))).to.be.within(1, 60);
      const metrics = await api(h.baseUrl).get('/health');
      expect(metrics.status, '/health is never limited').to.equal(200);
    });

    it('puts the RateLimit-* headers on every limited response, counting down', async () => {
      const first = await fetch(`${h.baseUrl}/health`);
      expect(first.headers.get('ratelimit-limit'), '/health is exempt: no headers').to.equal(null);
      const a = await fetch(`${h.baseUrl}/dashboard/not-a-uuid`);
      const b = await fetch(`${h.baseUrl}/dashboard/not-a-uuid`);
      expect(a.headers.get('ratelimit-limit')).to.equal('100');
      expect([a.headers.get('ratelimit-remaining'), b.headers.get('ratelimit-remaining')]).to.deep.equal(['99', '98']);
    });

    it('never limits /health, so probes keep working', async () => {
      await burst(h.baseUrl, 101);
      const health = [];
      for (let i = 0; i < 20; i++) health.push((await fetch(`${h.baseUrl}/health`)).status);
      expect(health.every((s) => s === 200)).to.equal(true);
    });

    if (redis) {
      it('counts cached hits the cache answers without Redis too, and limits them', async () => {
        const id = await specAnalysis(h.baseUrl); // counted: 1
        const remaining: (string | null)[] = [];
        for (let i = 0; i < 4; i++)
          remaining.push((await fetch(`${h.baseUrl}/dashboard/${id}`)).headers.get('ratelimit-remaining'));
        expect(remaining).to.deep.equal(['98', '97', '96', '95']);
        expect(h.container.cache.peekAnalysis(id, 'dashboard'), 'held: answered before routing').to.not.equal(
          undefined,
        );
        // The same answer as the routed one (a query string takes the router), but for the request's own headers.
        const own = new Set(['date', 'x-request-id', 'ratelimit-remaining']);
        const [held, routed] = [
          await fetch(`${h.baseUrl}/dashboard/${id}`),
          await fetch(`${h.baseUrl}/dashboard/${id}?x=1`),
        ];
        expect([...held.headers].filter(([n]) => !own.has(n))).to.deep.equal(
          [...routed.headers].filter(([n]) => !own.has(n)),
        );
        expect(await held.text()).to.equal(await routed.text());
        await burst(h.baseUrl, 93);
        const res = await fetch(`${h.baseUrl}/dashboard/${id}`);
        expect([res.status, ((await res.json()) as { error: string }).error]).to.deep.equal([
          429,
          'RATE_LIMIT_EXCEEDED',
        ]);
      });
    }

    it('ignores X-Forwarded-For unless TRUST_PROXY is set', async () => {
      // Without TRUST_PROXY a client cannot dodge the limit by inventing addresses.
      const spoofed = [];
      for (let i = 0; i < 101; i++)
        spoofed.push(
          (await fetch(`${h.baseUrl}/dashboard/not-a-uuid`, { headers: { 'x-forwarded-for': `10.0.0.${i}` } })).status,
        );
      expect(spoofed.at(-1)).to.equal(429);
    });
  });
}

describe('per-IP rate limit behind a proxy (TRUST_PROXY) [pglite + memory]', function () {
  let h: Harness;
  before(async () => {
    h = await startHarness('pglite', { env: { ...LIMIT, TRUST_PROXY: 'true' } });
  });
  after(() => h.close());

  it('counts each client by its X-Forwarded-For address', async () => {
    const first = await burst(h.baseUrl, 101, { 'x-forwarded-for': '203.0.113.7' });
    expect(first.at(-1)).to.equal(429);
    const other = await burst(h.baseUrl, 1, { 'x-forwarded-for': '203.0.113.8' });
    expect(other).to.deep.equal([400]);
  });
});

describe('per-IP rate limit shared by two instances through Redis [postgres + redis]', function () {
  let a: Harness;
  let b: Harness;
  before(async () => {
    const env = { ...LIMIT, CACHE_NAMESPACE: `test-ip-${randomUUID()}`, REDIS_URL: TEST_REDIS_URL };
    a = await startHarness('postgres', { env });
    b = await startHarness('postgres', { env });
    expect(await a.container.cache.ready()).to.equal(true);
    expect(await b.container.cache.ready()).to.equal(true);
  });
  after(async () => {
    await a?.close();
    await b?.close();
  });

  it('counts requests to either instance against one limit, each admitting at most its batch past it', async () => {
    const statuses = [...(await burst(a.baseUrl, 50)), ...(await burst(b.baseUrl, 50))];
    expect(statuses.filter((s) => s === 429)).to.have.length(0);
    // `a` decides from the shared count Redis last gave it: it may not have seen b's last hits yet,
    // but it never admits more than its batch (its share of 10 % of the limit) before it hears.
    const batch = a.container.rateLimits.perIp!.batch;
    const more = await burst(a.baseUrl, batch + 1);
    expect(more.filter((s) => s !== 429).length).to.be.at.most(batch);
    expect(more.at(-1)).to.equal(429);
    // So does `b`, which may not have heard of a's last hits either.
    const fromB = await burst(b.baseUrl, b.container.rateLimits.perIp!.batch + 1);
    expect(fromB.filter((s) => s !== 429).length).to.be.at.most(batch);
    expect(fromB.at(-1)).to.equal(429);
  });
});

describe('per-IP rate limit while Redis is down [postgres + own redis]', function () {
  this.timeout(30_000);
  let redis: OwnRedis;
  let h: Harness;
  before(async () => {
    redis = await OwnRedis.start();
    h = await startHarness('postgres', { env: { ...LIMIT, REDIS_URL: redis.url } });
    expect(await h.container.cache.ready()).to.equal(true);
  });
  after(async () => {
    await h?.close();
    await redis?.stop();
  });

  it('keeps limiting with the local fallback, and answers every allowed request', async () => {
    await redis.kill();
    const statuses = await burst(h.baseUrl, 101);
    expect(
      statuses.slice(0, 100).every((s) => s === 400),
      'the first 100 are answered (400: a malformed id)',
    ).to.equal(true);
    expect(statuses[100]).to.equal(429);
  });
});

describe("the operator's own budget: requests with a valid ADMIN_TOKEN [postgres + redis]", function () {
  this.timeout(60_000);
  const TOKEN = 'test-admin-token-0123456789abcdef';
  const operator = { authorization: `Bearer ${TOKEN}` };
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness('postgres', {
      redis: true,
      env: { ...LIMIT, ADMIN_TOKEN: TOKEN, ADMIN_RATE_LIMIT_PER_MINUTE: '150' },
    });
    expect(await h.container.cache.ready()).to.equal(true);
  });
  afterEach(() => h.close());

  it('are not counted against the public per-IP limit, and are not refused by it', async () => {
    const theirs = await burst(h.baseUrl, 20, operator);
    expect(theirs.every((s) => s === 400)).to.equal(true);
    expect(
      (await burst(h.baseUrl, 100)).every((s) => s === 400),
      'the public budget is whole',
    ).to.equal(true);
    expect(await burst(h.baseUrl, 1), 'the public budget is spent').to.deep.equal([429]);
    const res = await fetch(`${h.baseUrl}/cache/stats`, { headers: operator });
    expect(res.status, 'an operator call from the same address still answers').to.equal(200);
    expect(res.headers.get('ratelimit-limit'), 'counted in its own budget').to.equal('150');
    expect(res.headers.get('ratelimit-remaining')).to.equal(String(150 - 21));
    expect((await burst(h.baseUrl, 1, operator))[0]).to.equal(400);
  });

  it('have their own, more generous limit, with the same 429 past it', async () => {
    const statuses = await burst(h.baseUrl, 151, operator);
    expect(statuses.slice(0, 150).every((s) => s === 400)).to.equal(true);
    expect(statuses[150]).to.equal(429);
    expect((await burst(h.baseUrl, 1))[0], 'the public budget is untouched').to.equal(400);
  });

  it('counts a wrong token in the public budget', async () => {
    const wrong = { authorization: `Bearer ${TOKEN}x` };
    const res = await fetch(`${h.baseUrl}/dashboard/not-a-uuid`, { headers: wrong });
    expect([res.headers.get('ratelimit-limit'), res.headers.get('ratelimit-remaining')]).to.deep.equal(['100', '99']);
  });
});
