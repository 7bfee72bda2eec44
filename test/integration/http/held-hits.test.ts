import { expect } from 'chai';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient } from '@redis/client';
import { apiRoutes, createApp, requestListener } from '../../../src/http/app.js';
import { watchedKoa } from '../../helpers/watched-koa.js';
import { API_PREFIX } from '../../../src/http/route.js';
import type { Harness } from '../../helpers/harness.js';
import { specAnalysis, startCacheHarness } from '../../helpers/cache.js';
import { OwnRedis } from '../../helpers/redis-server.js';

async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ server: Server; base: string }> {
  const server = createServer(handler).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}${API_PREFIX}` };
}

/** Status, headers (without Date) and body bytes: everything a client sees of an answer. */
async function seen(res: Response) {
  return {
    status: res.status,
    headers: [...res.headers].filter(([name]) => name !== 'date'),
    body: Buffer.from(await res.arrayBuffer()).toString('base64'),
  };
}

const TAILS = ['', '/metrics', '/recommendations', '/badges'];
const FRONTEND = 'http://localhost:3000';

describe("held hits answered below Koa (the request listener's lane)", function () {
  this.timeout(30_000);
  let redis: OwnRedis;
  let h: Harness;
  let koaOnly: { server: Server; base: string };
  let lane: { server: Server; base: string };
  let koaEntered: () => number;

  before(async () => {
    redis = await OwnRedis.start();
    h = await startCacheHarness('redis', {
      env: { REDIS_URL: redis.url, CACHE_LEASE_MS: '250', CORS_ORIGINS: FRONTEND },
    });
    const c = h.container;
    const routes = apiRoutes(c);
    const koa = createApp(c, routes).callback();
    koaOnly = await listen((req, res) => void koa(req, res));
    // The server's own request listener, handing on to a Koa application that counts who enters it.
    const watched = watchedKoa(c, routes);
    koaEntered = watched.entered;
    lane = await listen(requestListener(c, { routes, app: watched.app }));
  });
  after(async () => {
    lane?.server.close();
    koaOnly?.server.close();
    await h?.close();
    await redis?.stop();
  });

  it('answers a held hit without Koa, with the status, headers and bytes Koa sends for it', async () => {
    const id = await specAnalysis(h.baseUrl);
    const variants: { name: string; init: RequestInit }[] = [
      { name: 'GET', init: {} },
      { name: 'HEAD', init: { method: 'HEAD' } },
      { name: 'from the frontend', init: { headers: { Origin: FRONTEND } } },
      { name: 'from another origin', init: { headers: { Origin: 'http://evil.example' } } },
      { name: 'with its own request id', init: { headers: { 'X-Request-Id': 'trace-42' } } },
      { name: 'with an unusable request id', init: { headers: { 'X-Request-Id': 'bad id!' } } },
    ];
    for (const tail of TAILS) {
      await (await fetch(`${koaOnly.base}/dashboard/${id}${tail}`)).arrayBuffer(); // the miss: loaded, cached, tag held
      const etag = (await fetch(`${koaOnly.base}/dashboard/${id}${tail}`)).headers.get('etag')!;
      variants.push({
        name: `revalidated (${tail || 'dashboard'})`,
        init: { headers: { 'If-None-Match': `W/${etag}` } },
      });
      for (const { name, init } of variants) {
        const calls = koaEntered();
        const below = await seen(await fetch(`${lane.base}/dashboard/${id}${tail}`, init));
        expect(koaEntered() - calls, `${tail} ${name}: answered below Koa`).to.equal(0);
        const routed = await seen(await fetch(`${koaOnly.base}/dashboard/${id}${tail}`, init));
        // Request ids differ unless the caller chose one; everything else is the same.
        const ids = [below, routed].map((s) => s.headers.find(([n]) => n === 'x-request-id')?.[1]);
        if (name === 'with its own request id') expect(ids).to.deep.equal(['trace-42', 'trace-42']);
        else
          expect(ids[0])
            .to.match(/^[\w-]+-[0-9a-z]+$/)
            .and.not.equal(ids[1]);
        const strip = (s: typeof below) => ({ ...s, headers: s.headers.filter(([n]) => n !== 'x-request-id') });
        expect(strip(below), `${tail} ${name}`).to.deep.equal(strip(routed));
      }
      variants.pop();
    }
  });

  it('counts a held hit in the request histogram as Koa does, under the route template', async () => {
    const id = await specAnalysis(h.baseUrl);
    await (await fetch(`${lane.base}/dashboard/${id}`)).arrayBuffer();
    const count = async () =>
      (await h.container.metrics.httpDuration.get()).values.find(
        (v) =>
          v.metricName === 'http_request_duration_seconds_count' &&
          v.labels.route === `${API_PREFIX}/dashboard/:analysisId` &&
          v.labels.status === '200' &&
          v.labels.method === 'GET',
      )?.value ?? 0;
    const before = await count();
    const calls = koaEntered();
    for (let i = 0; i < 3; i++) await (await fetch(`${lane.base}/dashboard/${id}`)).arrayBuffer();
    expect(koaEntered() - calls).to.equal(0);
    expect((await count()) - before).to.equal(3);
  });

  it('renews a lapsed lease with one PING and answers the waiting reads below Koa', async () => {
    const id = await specAnalysis(h.baseUrl);
    await (await fetch(`${lane.base}/dashboard/${id}`)).arrayBuffer();
    await new Promise((r) => setTimeout(r, 400)); // past the 250 ms lease: nothing renewed it
    const commands: string[] = [];
    const monitor = createClient({ url: redis.url });
    await monitor.connect();
    await monitor.monitor((line: string) => commands.push(/"([^"]+)"/.exec(line)?.[1]?.toUpperCase() ?? line));
    await new Promise((r) => setTimeout(r, 50));
    const calls = koaEntered();
    try {
      const answers = await Promise.all(Array.from({ length: 5 }, () => fetch(`${lane.base}/dashboard/${id}`)));
      expect(answers.map((a) => a.status)).to.deep.equal([200, 200, 200, 200, 200]);
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      monitor.destroy();
    }
    expect(koaEntered() - calls, 'answered below Koa').to.equal(0);
    const byReads = commands.filter((c) => !['MULTI', 'HINCRBY', 'EXPIRE', 'EXEC'].includes(c)); // the hit counters' flush
    expect(
      byReads.filter((c) => c !== 'PING'),
      commands.join(' '),
    ).to.deep.equal([]);
    expect(byReads.length, commands.join(' ')).to.be.within(1, 2);
  });

  it('hands everything else to Koa untouched: misses, other spellings, queries, other routes and methods, encoded bodies', async () => {
    const id = await specAnalysis(h.baseUrl);
    await (await fetch(`${lane.base}/dashboard/${id}`)).arrayBuffer();
    const cases: [string, RequestInit, number][] = [
      [`/dashboard/${await specAnalysis(h.baseUrl)}`, {}, 200], // never read: a miss
      [`/dashboard/${id.toUpperCase()}`, {}, 200],
      [`/dashboard/${id}?sections=all`, {}, 200],
      [`/dashboard/${id}/report.pdf`, {}, 200],
      ['/health', {}, 200],
      [`/dashboard/${id}`, { method: 'DELETE' }, 405],
      [`/dashboard/${id}`, { headers: { 'Content-Encoding': 'gzip' } }, 415],
      [
        `/dashboard/${id}/progress`,
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: '{"opportunity_id":"value_creation","status":"IN_PROGRESS"}',
        },
        200,
      ],
    ];
    for (const [path, init, status] of cases) {
      const calls = koaEntered();
      const res = await fetch(`${lane.base}${path}`, init);
      await res.arrayBuffer();
      expect([path, init.method ?? 'GET', res.status, koaEntered() - calls]).to.deep.equal([
        path,
        init.method ?? 'GET',
        status,
        1,
      ]);
    }
    // The write dropped this process's tag: the next read is a miss, through Koa; the one after is held again.
    const counts = [];
    for (let i = 0; i < 2; i++) {
      const calls = koaEntered();
      await (await fetch(`${lane.base}/dashboard/${id}`)).arrayBuffer();
      counts.push(koaEntered() - calls);
    }
    expect(counts).to.deep.equal([1, 0]);
  });
});
