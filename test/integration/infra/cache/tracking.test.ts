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
  let other: Harness;
  // A long lease, so that a loaded test machine cannot let it lapse between two requests.
  const env = () => ({ REDIS_URL: redis.url, CACHE_LEASE_MS: '250', CACHE_NAMESPACE: 'test-tracking-hits' });
  before(async () => {
    redis = await OwnRedis.start();
    other = await startCacheHarness('redis', { env: env() });
    h = await startCacheHarness('redis', { env: env() });
  });
  after(async () => {
    await other?.close();
    await h?.close();
    await redis?.stop();
  });

  it('sends no command to Redis for a cached hit (only lease-renewing PINGs and the counter flush)', async () => {
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

  it('renews a lapsed lease with one PING shared by the waiting reads, without reading the tags again', async () => {
    const id = await specAnalysis(h.baseUrl);
    const client = api(h.baseUrl);
    for (let i = 0; i < 2; i++) expect((await client.get(`/dashboard/${id}`)).status).to.equal(200);
    await new Promise((r) => setTimeout(r, 400)); // past the 250 ms lease: nothing renewed it
    const hitsBefore = (await h.container.cache.stats()).hits;
    const commands = await monitored(redis, async () => {
      const answers = await Promise.all(Array.from({ length: 5 }, () => client.get(`/dashboard/${id}`)));
      expect(answers.map((a) => a.status)).to.deep.equal([200, 200, 200, 200, 200]);
    });
    expect((await h.container.cache.stats()).hits - hitsBefore).to.equal(5);
    const byRequests = commands.filter((c) => !COUNTERS.has(c));
    expect(
      byRequests.filter((c) => c !== 'PING'),
      commands.join(' '),
    ).to.deep.equal([]);
    expect(byRequests.length, commands.join(' ')).to.be.within(1, 2);
  });

  it('registers this process as a holder before it reads the tags, in that order', async () => {
    const id = await specAnalysis(h.baseUrl);
    const client = api(h.baseUrl);
    await client.get(`/dashboard/${id}`);
    expect(
      (await client.post(`/dashboard/${id}/progress`, { opportunity_id: 'value_creation', status: 'IN_PROGRESS' }))
        .status,
    ).to.equal(200);
    const commands = await monitored(redis, async () => {
      expect((await client.get(`/dashboard/${id}`)).status).to.equal(200); // the write dropped the tag: read it again
    });
    const reads = commands.filter((c) => ['SADD', 'PEXPIRE', 'MGET'].includes(c));
    expect(reads.slice(0, 3), commands.join(' ')).to.deep.equal(['SADD', 'PEXPIRE', 'MGET']);
  });

  it('answers a held hit before routing with the bytes and headers the routed answer had', async () => {
    const id = await specAnalysis(h.baseUrl);
    const omit = new Set(['date', 'x-request-id']);
    const headersOf = (res: Response) => [...res.headers].filter(([name]) => !omit.has(name));
    for (const tail of ['', '/metrics', '/recommendations', '/badges']) {
      const url = `${h.baseUrl}/dashboard/${id}${tail}`;
      const routed = await fetch(url); // a miss: through the router and the service
      const routedBody = Buffer.from(await routed.arrayBuffer());
      const kind = tail === '' ? 'dashboard' : tail.slice(1);
      expect(h.container.cache.peekAnalysis(id, kind as 'dashboard'), `${kind} held`).to.not.equal(undefined);
      const early = await fetch(url); // a held hit: answered before routing
      expect(early.status).to.equal(200);
      expect(Buffer.from(await early.arrayBuffer()).equals(routedBody), `${kind} bytes`).to.equal(true);
      expect(headersOf(early), `${kind} headers`).to.deep.equal(headersOf(routed));

      const etag = early.headers.get('etag')!;
      const notModified = await fetch(url, { headers: { 'If-None-Match': etag } });
      expect([notModified.status, await notModified.text()]).to.deep.equal([304, '']);
      const head = await fetch(url, { method: 'HEAD' });
      expect([head.status, head.headers.get('etag'), await head.text()]).to.deep.equal([200, etag, '']);
      // Another spelling of the id, or a query string, takes the routed path to the same answer.
      for (const other of [`${h.baseUrl}/dashboard/${id.toUpperCase()}${tail}`, `${url}?x=1`]) {
        const res = await fetch(other);
        expect(res.status).to.equal(200);
        expect(res.headers.get('etag')).to.equal(etag);
      }
    }
  });

  it('makes a write wait out a lease only when another instance may hold the tag', async () => {
    const id = await specAnalysis(h.baseUrl);
    const client = api(h.baseUrl);
    const post = async (c: ReturnType<typeof api>, status: string) =>
      expect((await c.post(`/dashboard/${id}/progress`, { opportunity_id: 'value_creation', status })).status).to.equal(
        200,
      );
    await client.get(`/dashboard/${id}`);
    await client.get(`/dashboard/${id}`);
    const waits = h.container.cache.leaseWaits;
    await post(client, 'IN_PROGRESS');
    expect(h.container.cache.leaseWaits - waits, 'alone: its own held tag is dropped, nothing to wait for').to.equal(0);

    expect(statusOf((await api(other.baseUrl).get(`/dashboard/${id}`)).body, 'value_creation')).to.equal('IN_PROGRESS');
    await post(client, 'NOT_STARTED');
    expect(h.container.cache.leaseWaits - waits, 'another instance read the tag').to.equal(1);
    expect(statusOf((await api(other.baseUrl).get(`/dashboard/${id}`)).body, 'value_creation')).to.equal('NOT_STARTED');
  });
});

describe('cache coherence with generation tags held under CLIENT TRACKING, across two instances, while Redis hangs', function () {
  this.timeout(30_000);
  let redis: OwnRedis;
  let a: Harness;
  let b: Harness;
  before(async () => {
    redis = await OwnRedis.start();
    const env = { REDIS_URL: redis.url, CACHE_NAMESPACE: `test-tracking-${randomUUID()}`, CACHE_LEASE_MS: '250' };
    a = await startCacheHarness('redis', { env });
    b = await startCacheHarness('redis', { env });
  });
  after(async () => {
    await a?.close();
    await b?.close();
    await redis?.stop();
  });

  it('does not serve a held tag once a write has returned while Redis hangs, and replays it when Redis is back', async () => {
    const id = await specAnalysis(a.baseUrl);
    const [ca, cb] = [api(a.baseUrl), api(b.baseUrl)];
    await cb.get(`/dashboard/${id}`);
    expect(statusOf((await cb.get(`/dashboard/${id}`)).body, 'digital_presence')).to.equal('NOT_STARTED');

    redis.pause(); // the sockets stay open; nothing answers, no invalidation is pushed
    try {
      expect(
        (await ca.post(`/dashboard/${id}/progress`, { opportunity_id: 'digital_presence', status: 'IN_PROGRESS' }))
          .status,
      ).to.equal(200);
      for (const c of [cb, ca])
        expect(statusOf((await c.get(`/dashboard/${id}`)).body, 'digital_presence')).to.equal('IN_PROGRESS');
    } finally {
      redis.resume();
    }
    expect(await a.container.cache.ready(10_000)).to.equal(true);
    expect(await b.container.cache.ready(10_000)).to.equal(true);
    for (let i = 0; i < 3; i++) {
      for (const c of [cb, ca])
        expect(statusOf((await c.get(`/dashboard/${id}`)).body, 'digital_presence')).to.equal('IN_PROGRESS');
    }
  });
});
