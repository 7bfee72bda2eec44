import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { createClient } from '@redis/client';
import { api, type Harness } from '../../../helpers/harness.js';
import { specAnalysis, startCacheHarness, statusOf } from '../../../helpers/cache.js';
import { OwnRedis } from '../../../helpers/redis-server.js';

/** Every command the redis-server receives while `fn` runs, by name (MONITOR). */
async function monitored(redis: OwnRedis, fn: () => Promise<void>): Promise<string[]> {
  const commands: string[] = [];
  const monitor = createClient({ url: redis.url });
  await monitor.connect();
  await monitor.monitor((line: string) => {
    const name = /"([^"]+)"/.exec(line)?.[1];
    if (name) commands.push(name.toUpperCase());
  });
  await new Promise((r) => setTimeout(r, 50));
  try {
    await fn();
    await new Promise((r) => setTimeout(r, 50));
  } finally {
    monitor.destroy();
  }
  return commands;
}

const HEARTBEAT = new Set(['PING']);
const COUNTERS = new Set(['MULTI', 'HINCRBY', 'EXPIRE', 'EXEC']);

describe('cache hits without a Redis round trip', function () {
  this.timeout(30_000);
  let redis: OwnRedis;
  let h: Harness;
  before(async () => {
    redis = await OwnRedis.start();
    // A long lease, so that a loaded test machine cannot let it lapse between two requests.
    h = await startCacheHarness('redis', { env: { REDIS_URL: redis.url, CACHE_LEASE_MS: '250' } });
  });
  after(async () => {
    await h?.close();
    await redis?.stop();
  });

  it('sends no command to Redis for a cached hit (only the background heartbeat and the counter flush)', async () => {
    const id = await specAnalysis(h.baseUrl);
    const client = api(h.baseUrl);
    for (let i = 0; i < 3; i++) expect((await client.get(`/dashboard/${id}`)).status).to.equal(200);
    const hitsBefore = (await h.container.cache.stats()).hits;
    const commands = await monitored(redis, async () => {
      for (let i = 0; i < 50; i++) expect((await client.get(`/dashboard/${id}`)).status).to.equal(200);
    });
    expect((await h.container.cache.stats()).hits - hitsBefore).to.equal(50);
    const byRequests = commands.filter((c) => !HEARTBEAT.has(c) && !COUNTERS.has(c));
    expect(byRequests, byRequests.join(' ')).to.deep.equal([]);
  });
});

describe('cache coherence with generation tags held under CLIENT TRACKING, across two instances', function () {
  this.timeout(30_000);
  let redis: OwnRedis;
  let a: Harness;
  let b: Harness;
  before(async () => {
    redis = await OwnRedis.start();
    const env = { REDIS_URL: redis.url, CACHE_NAMESPACE: `test-tracking-${randomUUID()}` };
    a = await startCacheHarness('redis', { env });
    b = await startCacheHarness('redis', { env });
  });
  after(async () => {
    await a?.close();
    await b?.close();
    await redis?.stop();
  });

  it('shows a write made through one instance on the other as soon as it has returned, 20 times over', async () => {
    const id = await specAnalysis(a.baseUrl);
    const [ca, cb] = [api(a.baseUrl), api(b.baseUrl)];
    for (let i = 0; i < 20; i++) {
      const status = i % 2 === 0 ? 'IN_PROGRESS' : 'NOT_STARTED';
      await cb.get(`/dashboard/${id}`);
      await cb.get(`/dashboard/${id}`); // held locally now
      expect((await ca.post(`/dashboard/${id}/progress`, { opportunity_id: 'value_creation', status })).status).to.equal(200);
      expect(statusOf((await cb.get(`/dashboard/${id}`)).body, 'value_creation'), `round ${i}`).to.equal(status);
    }
  });

  it('does not serve a held tag once a write has returned while Redis hangs, and replays it when Redis is back', async () => {
    const id = await specAnalysis(a.baseUrl);
    const [ca, cb] = [api(a.baseUrl), api(b.baseUrl)];
    await cb.get(`/dashboard/${id}`);
    expect(statusOf((await cb.get(`/dashboard/${id}`)).body, 'digital_presence')).to.equal('NOT_STARTED');

    redis.pause(); // the sockets stay open; nothing answers, no invalidation is pushed
    try {
      expect((await ca.post(`/dashboard/${id}/progress`, { opportunity_id: 'digital_presence', status: 'IN_PROGRESS' })).status).to.equal(200);
      for (const c of [cb, ca]) expect(statusOf((await c.get(`/dashboard/${id}`)).body, 'digital_presence')).to.equal('IN_PROGRESS');
    } finally {
      redis.resume();
    }
    expect(await a.container.cache.ready(10_000)).to.equal(true);
    expect(await b.container.cache.ready(10_000)).to.equal(true);
    for (let i = 0; i < 3; i++) {
      for (const c of [cb, ca]) expect(statusOf((await c.get(`/dashboard/${id}`)).body, 'digital_presence')).to.equal('IN_PROGRESS');
    }
  });
});
