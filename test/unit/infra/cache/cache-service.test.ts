import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { CacheService, type CacheServiceDeps } from '../../../../src/infra/cache/cache-service.js';
import { InvalidInputError } from '../../../../src/errors.js';
import { createLogger } from '../../../../src/logger.js';
import { holdPerformanceNow } from '../../../helpers/clock.js';

describe('CacheService in memory (no Redis)', () => {
  const lookups: [string, string][] = [];
  const opened: CacheService[] = [];
  const open = (deps: Partial<CacheServiceDeps> = {}) => {
    const cache = new CacheService({
      redisUrl: null,
      namespace: `mem-${randomUUID()}`,
      logger: createLogger('silent'),
      onLookup: (kind, result) => lookups.push([kind, result]),
      ...deps,
    });
    opened.push(cache);
    return cache;
  };
  let cache: CacheService;
  beforeEach(() => {
    lookups.length = 0;
    cache = open();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((c) => c.close()));
  });

  /** Loads `value` into the cache for one analysis's kind (a miss, then stored). */
  const cached = (id: string, kind: 'dashboard' | 'metrics', value: unknown) =>
    cache.wrapAnalysis(id, kind, 60, () => Promise.resolve(value));

  it('answers its health probe itself: there is no server to ask', async () => {
    expect(await cache.probe()).to.equal(true);
  });

  it('vouches for its hits without a lease, unless turned off', () => {
    expect(cache.holdsTags).to.equal(true);
    expect(open({ enabled: false }).holdsTags).to.equal(false);
  });

  it("tells onLookup each read's kind and outcome, and `report` for a report of any sections", async () => {
    const id = randomUUID();
    await cached(id, 'dashboard', 1);
    await cached(id, 'dashboard', 1);
    await cache.wrapAnalysis(id, 'report:summary,badges', 60, () => Promise.resolve(2));
    expect(lookups).to.deep.equal([
      ['dashboard', 'miss'],
      ['dashboard', 'hit'],
      ['report', 'miss'],
    ]);
  });

  it('holds up to 64 MiB of entries, then drops the least recently used', async () => {
    const big = 'x'.repeat(8 * 1024 * 1024); // a little over 8 MiB once stored with its expiry
    for (let i = 0; i < 7; i++) await cache.set(`k${i}`, `${i}${big}`, 60);
    for (let i = 0; i < 7; i++) expect((await cache.get<string>(`k${i}`))?.[0], `k${i}`).to.equal(String(i));
    await cache.set('k7', `7${big}`, 60); // 64 MiB and more: k0, read first, goes
    expect(await cache.get('k0')).to.equal(undefined);
    for (let i = 1; i < 8; i++) expect((await cache.get<string>(`k${i}`))?.[0], `k${i}`).to.equal(String(i));
  });

  describe('with the clock moved by hand', () => {
    const realNow = Date.now;
    let restorePerformanceNow: (() => void) | undefined;
    afterEach(() => {
      Date.now = realNow;
      restorePerformanceNow?.();
    });

    it('lets an entry go once its ttl is past: a clear of everything no longer finds it', async () => {
      let at = 0;
      const [date0, perf0] = [realNow(), performance.now()];
      Date.now = () => date0 + at;
      restorePerformanceNow = holdPerformanceNow(() => perf0 + at); // the LRU's own clock
      await cache.set('short', 'a', 1);
      await cache.set('long', 'b', 60);
      at = 2000;
      expect(await cache.clear()).to.deep.equal({ scope: 'all', analysis_id: null, deleted: 1 });
      expect(await cache.get('short')).to.equal(undefined);
    });
  });

  describe('clear', () => {
    const [a, b] = [randomUUID(), randomUUID()];

    it('clears one analysis, however its id is spelled: its entries only, counted', async () => {
      await cached(a, 'dashboard', 'a-dash');
      await cached(a, 'metrics', 'a-metrics');
      await cached(b, 'dashboard', 'b-dash');
      await cache.set('analysis:cache:x', 'kept', 60);
      expect(await cache.clear({ analysisId: a.toUpperCase() })).to.deep.equal({
        scope: 'analysis',
        analysis_id: a,
        deleted: 2,
      });
      expect(cache.peekAnalysis(a, 'dashboard')).to.equal(undefined);
      expect(cache.peekAnalysis(b, 'dashboard'), 'another analysis, still at hand').to.equal('b-dash');
      expect(await cache.get('analysis:cache:x')).to.equal('kept');
    });

    it('clears everything: every entry, counted', async () => {
      await cached(a, 'dashboard', 'a-dash');
      await cached(b, 'dashboard', 'b-dash');
      await cache.set('analysis:cache:x', 'gone', 60);
      expect(await cache.clear()).to.deep.equal({ scope: 'all', analysis_id: null, deleted: 3 });
      expect(cache.peekAnalysis(b, 'dashboard')).to.equal(undefined);
      expect(await cache.get('analysis:cache:x')).to.equal(undefined);
      expect(await cache.clear(), 'nothing left').to.deep.equal({ scope: 'all', analysis_id: null, deleted: 0 });
    });

    it('refuses an analysis id that is not a UUID, naming the field', async () => {
      const err = await cache.clear({ analysisId: 'not-a-uuid' }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).to.be.instanceOf(InvalidInputError);
      expect((err as InvalidInputError).message).to.equal('analysis must be a UUID');
      expect((err as InvalidInputError).fields).to.deep.equal([{ field: 'analysis', message: 'must be a UUID' }]);
    });
  });
});
