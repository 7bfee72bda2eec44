import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { createClient } from '@redis/client';
import { CacheService, type CacheServiceDeps } from '../../../../src/infra/cache/cache-service.js';
import { TEST_REDIS_URL } from '../../../helpers/env.js';
import { captureLogs } from '../../../helpers/log-capture.js';
import { freePort } from '../../../helpers/redis-server.js';

describe('CacheService on Redis', function () {
  this.timeout(20_000);
  const opened: { cache: CacheService; namespace: string }[] = [];
  /** A service on the shared Redis, in a namespace of its own unless given one; closed after each test. */
  const open = (deps: Partial<CacheServiceDeps> = {}) => {
    const namespace = deps.namespace ?? `svc-${randomUUID()}`;
    const cache = new CacheService({
      redisUrl: TEST_REDIS_URL,
      logger: captureLogs('warn').logger,
      ...deps,
      namespace,
    });
    opened.push({ cache, namespace });
    return cache;
  };
  const ready = async (deps: Partial<CacheServiceDeps> = {}) => {
    const cache = open(deps);
    expect(await cache.ready(5000), 'Redis ready').to.equal(true);
    return cache;
  };
  /** Clears what the tests left on the shared Redis, once the services are closed (closing flushes counts). */
  const keys = createClient({ url: TEST_REDIS_URL });
  before(() => keys.connect());
  after(() => keys.close());
  afterEach(async () => {
    const done = opened.splice(0);
    await Promise.all(done.map(({ cache }) => cache.close()));
    for (const { namespace } of done)
      for await (const batch of keys.scanIterator({ MATCH: `${namespace}*` }))
        if (batch.length) await keys.unlink(batch);
  });

  it('vouches for its hits without Redis only while it holds the tags under a tracking lease', () => {
    expect(open({ leaseMs: 0 }).holdsTags, 'tags read on every hit').to.equal(false);
    expect(open({ leaseMs: 250 }).holdsTags, 'tags held under CLIENT TRACKING').to.equal(true);
    expect(open({ leaseMs: 250, enabled: false }).holdsTags, 'turned off').to.equal(false);
  });

  it('takes a read it cannot make for a miss, and a write for done, while Redis cannot be reached', async () => {
    const cache = open({ redisUrl: `redis://127.0.0.1:${await freePort()}` });
    await cache.set('analysis:cache:x', 'value', 60);
    expect(await cache.get('analysis:cache:x')).to.equal(undefined);
    expect(await cache.probe()).to.equal(false);
  });

  it('clears one analysis, then everything, counting the keys it deleted', async () => {
    const cache = await ready();
    const [a, b] = [randomUUID(), randomUUID()];
    const load = (value: string) => () => Promise.resolve(value);
    await cache.wrapAnalysis(a, 'dashboard', 60, load('a-dash'));
    await cache.wrapAnalysis(a, 'metrics', 60, load('a-metrics'));
    await cache.wrapAnalysis(b, 'dashboard', 60, load('b-dash'));
    expect(await cache.clear({ analysisId: a })).to.deep.equal({ scope: 'analysis', analysis_id: a, deleted: 2 });
    expect(await cache.clear()).to.deep.equal({ scope: 'all', analysis_id: null, deleted: 1 });
  });

  it('reports the memory used and clients as unknown when INFO fails, with its counts all the same', async () => {
    const cache = await ready();
    await cache.wrapAnalysis(randomUUID(), 'dashboard', 60, () => Promise.resolve(1));
    cache.redis!.info = () => Promise.reject(new Error('INFO refused')); // the fault
    expect(await cache.stats()).to.deep.equal({
      health: 'healthy',
      backend: 'redis',
      hits: 0,
      misses: 1,
      hit_rate: 0,
      memory_used: null,
      connected_clients: null,
    });
  });

  describe('hit and miss counts', () => {
    it('adds up those of every process sharing the namespace', async () => {
      const namespace = `svc-${randomUUID()}`;
      const [one, other] = [await ready({ namespace }), await ready({ namespace })];
      const id = randomUUID();
      for (let i = 0; i < 3; i++) await one.wrapAnalysis(id, 'dashboard', 60, () => Promise.resolve(i));
      expect(await one.stats()).to.include({ hits: 2, misses: 1 });
      expect(await other.stats(), 'counted by the other process').to.include({ hits: 2, misses: 1 });
    });

    it("gives this process's own when the shared counts cannot be read", async () => {
      const namespace = `svc-${randomUUID()}`;
      const cache = await ready({ namespace });
      await cache.redis!.client.set(`${namespace}:stats`, 'not a hash'); // every hash command on it fails
      const id = randomUUID();
      for (let i = 0; i < 2; i++) await cache.wrapAnalysis(id, 'dashboard', 60, () => Promise.resolve(i));
      expect(await cache.stats()).to.include({ hits: 1, misses: 1 });
    });
  });
});
