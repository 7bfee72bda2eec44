import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { requestListener } from '../../../src/http/app.js';
import { API_PREFIX } from '../../../src/http/route.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { specAnalysis } from '../../helpers/cache.js';
import { captureLogs } from '../../helpers/log-capture.js';
import { watchedKoa } from '../../helpers/watched-koa.js';

const FRONTEND = 'http://localhost:3000';

/** The deployments whose cached hits must skip Koa: Redis with the limit on and off, and embedded (memory cache). */
const MODES = [
  { name: 'Redis, per-IP limit on (the default)', mode: 'postgres', redis: true, limit: '1000' },
  { name: 'Redis, per-IP limit off', mode: 'postgres', redis: true, limit: '0' },
  { name: 'embedded: PGlite and the memory cache, per-IP limit on', mode: 'pglite', redis: false, limit: '1000' },
] as const;

for (const m of MODES) {
  describe(`the held-hits lane in the server's request listener [${m.name}]`, function () {
    this.timeout(60_000);
    let h: Harness;
    let server: Server;
    let base: string;
    let koaEntered: () => number;
    const logs = captureLogs('info');

    before(async () => {
      h = await startHarness(m.mode, {
        redis: m.redis,
        env: { RATE_LIMIT_PER_MINUTE: m.limit, CACHE_LEASE_MS: '1000', CORS_ORIGINS: FRONTEND },
        overrides: { logger: logs.logger },
      });
      expect(await h.container.cache.ready(5000)).to.equal(true);
      const watched = watchedKoa(h.container);
      koaEntered = watched.entered;
      server = createServer(requestListener(h.container, { app: watched.app })).listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}${API_PREFIX}`;
    });
    after(async () => {
      server?.close();
      await h?.close();
    });

    const histogramCount = async () =>
      (await h.container.metrics.httpDuration.get()).values.find(
        (v) =>
          v.metricName === 'http_request_duration_seconds_count' &&
          v.labels.route === `${API_PREFIX}/dashboard/:analysisId` &&
          v.labels.status === '200',
      )?.value ?? 0;
    const accessLines = () =>
      logs
        .text()
        .split('\n')
        .filter((l) => l.includes('"msg":"request"') && l.includes('/dashboard/:analysisId'));

    it('answers a cached hit without entering Koa, with its access log line, histogram sample and headers', async () => {
      const id = await specAnalysis(h.baseUrl);
      const url = `${base}/dashboard/${id}`;
      const first = await fetch(url, { headers: { Origin: FRONTEND } }); // the miss: through Koa, cached
      expect(first.status).to.equal(200);
      const firstBody = await first.text();
      const [entered, lines, samples] = [koaEntered(), accessLines().length, await histogramCount()];

      const hits = [];
      for (let i = 0; i < 3; i++)
        hits.push(await fetch(url, { headers: { Origin: FRONTEND, 'X-Request-Id': `t-${i}` } }));
      expect(koaEntered() - entered, 'the Koa middleware stack was never entered').to.equal(0);
      expect(accessLines().length - lines, 'one access log line each').to.equal(3);
      expect((await histogramCount()) - samples, 'one histogram sample each').to.equal(3);
      expect(
        accessLines()
          .slice(-3)
          .map((l) => (JSON.parse(l) as { request_id: string }).request_id),
      ).to.deep.equal(['t-0', 't-1', 't-2']);
      for (const [i, hit] of hits.entries()) {
        expect(hit.status).to.equal(200);
        expect(await hit.text()).to.equal(firstBody);
        expect(hit.headers.get('x-request-id')).to.equal(`t-${i}`);
        expect(hit.headers.get('access-control-allow-origin')).to.equal(FRONTEND);
        expect(hit.headers.get('x-content-type-options')).to.equal('nosniff');
        expect(hit.headers.get('etag')).to.equal(first.headers.get('etag'));
      }
      const remaining = [first, ...hits].map((r) => r.headers.get('ratelimit-remaining'));
      // Counted once each, the miss too (the lane counts it and hands its verdict on to Koa).
      if (m.limit === '0') expect(remaining).to.deep.equal([null, null, null, null]);
      else {
        const left = Number(remaining[0]);
        expect(remaining).to.deep.equal([left, left - 1, left - 2, left - 3].map(String));
      }
    });

    it('answers a revalidation 304 without entering Koa', async () => {
      const id = await specAnalysis(h.baseUrl);
      const url = `${base}/dashboard/${id}/badges`;
      const etag = (await fetch(url)).headers.get('etag')!;
      const entered = koaEntered();
      const res = await fetch(url, { headers: { 'If-None-Match': etag } });
      expect([res.status, koaEntered() - entered]).to.deep.equal([304, 0]);
    });

    if (m.limit !== '0') {
      it('refuses a hit past the limit through the 429 of the Koa pipeline, counted once', async () => {
        const id = await specAnalysis(h.baseUrl);
        const url = `${base}/dashboard/${id}`;
        await (await fetch(url)).arrayBuffer();
        const limiter = h.container.rateLimits.perIp!;
        // Spend what is left of this client's budget directly, as other requests would have.
        for (let v = await limiter.hit('127.0.0.1'); v.remaining > 0; v = await limiter.hit('127.0.0.1'));
        const rejections = async () =>
          (await h.container.metrics.rateLimited.get()).values.find((v) => v.labels.limit === 'ip')?.value ?? 0;
        const [entered, rejected] = [koaEntered(), await rejections()];
        const res = await fetch(url);
        expect(res.status).to.equal(429);
        expect(koaEntered() - entered, 'the 429 is the Koa pipeline’s').to.equal(1);
        expect(((await res.json()) as { error: string }).error).to.equal('RATE_LIMIT_EXCEEDED');
        expect(res.headers.get('ratelimit-remaining')).to.equal('0');
        expect(Number(res.headers.get('retry-after'))).to.be.within(1, 60);
        expect((await rejections()) - rejected, 'refused once, not again in Koa').to.equal(1);
      });
    }
  });
}
