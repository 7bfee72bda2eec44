import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import Koa from 'koa';
import {
  cachedAnswerOf,
  cachedReadOf,
  noneMatch,
  peekCachedAnswer,
  sendCached,
  writeCachedAnswer,
  type CachedRead,
} from '../../../src/http/cached-answer.js';
import { CacheService } from '../../../src/infra/cache/cache-service.js';
import { cachedJson } from '../../../src/infra/cache/cached-body.js';
import { createLogger } from '../../../src/logger.js';
import type { RouteSpec } from '../../../src/http/route.js';

const route = (method: RouteSpec['method'], path: string, cachedKind?: RouteSpec['cachedKind']) =>
  ({ method, path, cachedKind }) as RouteSpec;
const ROUTES = [
  route('get', '/dashboard/:analysisId', 'dashboard'),
  route('get', '/dashboard/:analysisId/badges', 'badges'),
  route('get', '/dashboard/:analysisId/report.pdf'),
  route('post', '/dashboard/:analysisId/progress'),
];
const ID = '0b6f1c1e-8d7a-4f4e-9a53-2f4b1f6e9c10';

describe('cached-answer: how a cached read is answered', () => {
  describe('noneMatch (If-None-Match, weak comparison)', () => {
    const etag = '"abc"';
    it('matches the same tag, its weak form, a list holding it, and *', () => {
      for (const header of ['"abc"', 'W/"abc"', '"x", "abc"', ' W/"abc" ,"y"', '*', ' * '])
        expect(noneMatch(header, etag), header).to.equal(true);
    });
    it('does not match another tag, a missing header or a partial tag', () => {
      for (const header of [undefined, '', '"abcd"', 'abc', '"ab"', 'W/"x"'])
        expect(noneMatch(header, etag), String(header)).to.equal(false);
    });
  });

  describe('cachedReadOf', () => {
    const readOf = cachedReadOf(ROUTES);
    it('recognises a GET or HEAD of a cached route, by its template and kind', () => {
      expect(readOf('GET', `/api/v1/dashboard/${ID}`)).to.deep.equal({
        route: '/api/v1/dashboard/:analysisId',
        analysisId: ID,
        kind: 'dashboard',
      });
      expect(readOf('HEAD', `/api/v1/dashboard/${ID}/badges`)).to.deep.equal({
        route: '/api/v1/dashboard/:analysisId/badges',
        analysisId: ID,
        kind: 'badges',
      });
    });
    it('leaves to the router other methods, queries, other spellings of the id and routes that are not cached', () => {
      for (const [method, url] of [
        ['POST', `/api/v1/dashboard/${ID}`],
        ['GET', `/api/v1/dashboard/${ID}?sections=all`],
        ['GET', `/api/v1/dashboard/${ID.toUpperCase()}`],
        ['GET', `/api/v1/dashboard/${ID}/report.pdf`],
        ['GET', `/api/v1/dashboard/${ID}/progress`],
        ['GET', `/api/v1/dashboard/${ID}/unknown`],
        ['GET', `/api/v2/dashboard/${ID}`],
        ['GET', '/api/v1/dashboard/not-a-uuid'],
        ['GET', undefined],
      ] as const)
        expect(readOf(method, url), `${method} ${url}`).to.equal(undefined);
    });
  });

  describe('cachedAnswerOf over the memory cache', () => {
    let cache: CacheService;
    const read = (): CachedRead => ({ route: '/api/v1/dashboard/:analysisId', analysisId: id, kind: 'dashboard' });
    let id: string;
    beforeEach(() => {
      id = randomUUID();
      cache = new CacheService({ redisUrl: null, namespace: `t-${id}`, logger: createLogger('silent') });
    });
    afterEach(() => cache.close());

    it('has nothing for a read never cached, and never loads', async () => {
      expect(await cachedAnswerOf(cache, read())).to.equal(undefined);
      expect(peekCachedAnswer(cache, read()), 'nothing at once without a lease').to.equal(undefined);
    });

    it('gives the bytes and ETag the route cached, until the analysis is invalidated', async () => {
      const body = cachedJson({ analysis_id: id, n: 1 });
      await cache.wrapAnalysis(id, 'dashboard', 60, () => Promise.resolve(body));
      const answer = cachedAnswerOf(cache, read());
      expect(answer, 'answered at once: the memory cache holds its tags in this process').to.not.be.instanceOf(Promise);
      expect(answer).to.deep.equal(body);
      expect(peekCachedAnswer(cache, read())).to.deep.equal(body);
      expect(await cachedAnswerOf(cache, { ...read(), kind: 'badges' }), 'another kind').to.equal(undefined);
      await cache.invalidateAnalysis(id);
      expect(peekCachedAnswer(cache, read()), 'after a write, at once').to.equal(undefined);
      expect(await cachedAnswerOf(cache, read()), 'after a write').to.equal(undefined);
      await cache.clear();
      await cache.wrapAnalysis(id, 'dashboard', 60, () => Promise.resolve(body));
      expect(peekCachedAnswer(cache, read()), 'cached again').to.deep.equal(body);
      await cache.clear();
      expect(peekCachedAnswer(cache, read()), 'after a clear of everything').to.equal(undefined);
    });

    it('gives nothing while the cache is turned off', async () => {
      const off = new CacheService({
        redisUrl: null,
        namespace: `off-${id}`,
        logger: createLogger('silent'),
        enabled: false,
      });
      await off.wrapAnalysis(id, 'dashboard', 60, () => Promise.resolve(cachedJson({ n: 1 })));
      expect(await cachedAnswerOf(off, read())).to.equal(undefined);
      await off.close();
    });
  });

  describe('sendCached (in Koa)', () => {
    let server: Server;
    let url: string;
    const hit = cachedJson({ hello: 'koa' });
    before(async () => {
      const app = new Koa();
      app.use((ctx) => sendCached(ctx, hit, 'application/json'));
      server = app.listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    });
    after(() => server.close());

    it('answers 200 with the bytes as cached, their ETag, private no-cache and their type', async () => {
      const res = await fetch(url, { headers: { 'If-None-Match': '"other"' } });
      expect(res.status).to.equal(200);
      expect(Buffer.from(await res.arrayBuffer()).equals(hit.body)).to.equal(true);
      expect(res.headers.get('etag')).to.equal(hit.etag);
      expect(res.headers.get('cache-control')).to.equal('private, no-cache');
      expect(res.headers.get('content-type')).to.equal('application/json; charset=utf-8');
    });

    it('answers 304 with the ETag and no body to a matching If-None-Match', async () => {
      const res = await fetch(url, { headers: { 'If-None-Match': hit.etag } });
      expect(res.status).to.equal(304);
      expect(await res.text()).to.equal('');
      expect(res.headers.get('etag')).to.equal(hit.etag);
      expect(res.headers.get('cache-control')).to.equal('private, no-cache');
      expect(res.headers.get('content-type')).to.equal(null);
    });
  });

  describe('writeCachedAnswer', () => {
    let server: Server;
    let url: string;
    const hit = cachedJson({ hello: 'world' });
    before(async () => {
      server = createServer((req, res) =>
        writeCachedAnswer(req, res, hit, {
          before: ['X-Request-Id', 'r-1', 'Vary', 'Origin'],
          after: ['X-Frame-Options', 'DENY'],
        }),
      ).listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    });
    after(() => server.close());

    const names = (res: Response) =>
      [...res.headers.keys()].filter((n) => !['date', 'connection', 'keep-alive'].includes(n));

    it('answers 200 with the bytes, their ETag, private no-cache and the given headers around them', async () => {
      const res = await fetch(url);
      expect(res.status).to.equal(200);
      expect(Buffer.from(await res.arrayBuffer()).equals(hit.body)).to.equal(true);
      expect(res.headers.get('etag')).to.equal(hit.etag);
      expect(res.headers.get('cache-control')).to.equal('private, no-cache');
      expect(res.headers.get('content-type')).to.equal('application/json; charset=utf-8');
      expect(res.headers.get('content-length')).to.equal(String(hit.body.length));
      expect(res.headers.get('x-request-id')).to.equal('r-1');
      expect(res.headers.get('x-frame-options')).to.equal('DENY');
    });

    it('answers HEAD with the same headers and no body', async () => {
      const [get, head] = [await fetch(url), await fetch(url, { method: 'HEAD' })];
      expect(head.status).to.equal(200);
      expect(await head.text()).to.equal('');
      expect(names(head)).to.deep.equal(names(get));
    });

    it('answers 304 without a body or its type to a matching If-None-Match', async () => {
      const res = await fetch(url, { headers: { 'If-None-Match': `W/${hit.etag}` } });
      expect(res.status).to.equal(304);
      expect(res.headers.get('etag')).to.equal(hit.etag);
      expect(res.headers.get('content-type')).to.equal(null);
      expect(res.headers.get('x-frame-options')).to.equal('DENY');
      expect((await fetch(url, { headers: { 'If-None-Match': '"other"' } })).status).to.equal(200);
    });
  });
});
