import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { createClient } from '@redis/client';
import { CacheService } from '../../../../src/infra/cache/cache-service.js';
import type { Harness } from '../../../helpers/harness.js';
import { startCacheHarness } from '../../../helpers/cache.js';
import { holdPerformanceNow } from '../../../helpers/clock.js';
import { until } from '../../../helpers/instances.js';
import { captureLogs } from '../../../helpers/log-capture.js';
import { OwnRedis } from '../../../helpers/redis-server.js';

const logger = () => captureLogs('warn').logger;

describe('reading through the cache in memory mode', function () {
  let cache: CacheService;
  const lookups: string[] = [];
  beforeEach(() => {
    lookups.length = 0;
    cache = new CacheService({
      redisUrl: null,
      namespace: `read-through-${randomUUID()}`,
      logger: logger(),
      onLookup: (kind, result) => lookups.push(`${kind} ${result}`),
    });
  });
  afterEach(() => cache.close());

  it('answers a held read from its own store, counted as a hit, and nothing once the analysis changed', async () => {
    const id = randomUUID();
    expect(await cache.heldAnalysis(id, 'metrics')).to.equal(undefined);
    expect(await cache.wrapAnalysis(id, 'metrics', 60, async () => ({ saved: 3 }))).to.deep.equal({ saved: 3 });
    expect(await cache.heldAnalysis(id, 'metrics')).to.deep.equal({ saved: 3 });
    expect(lookups).to.deep.equal(['metrics miss', 'metrics hit']);
    expect((await cache.stats()).hits).to.equal(1);
    await cache.invalidateAnalysis(id);
    expect(await cache.heldAnalysis(id, 'metrics')).to.equal(undefined);
    expect(lookups).to.have.length(2);
  });
});

describe('reading through the cache on Redis', function () {
  this.timeout(30_000);
  let own: OwnRedis;
  let admin: ReturnType<typeof createClient>;
  let cache: CacheService | null;
  /** GET and MGET commands the test's redis-server has run since start. */
  const reads = async () => {
    const stats = await admin.info('commandstats');
    const calls = (c: string) => Number(new RegExp(`cmdstat_${c}:calls=(\\d+)`).exec(stats)?.[1] ?? 0);
    return calls('get') + calls('mget');
  };
  const open = async (leaseMs: number) => {
    cache = new CacheService({
      redisUrl: own.url,
      namespace: `read-through-${randomUUID()}`,
      leaseMs,
      logger: logger(),
    });
    expect(await cache.ready(5000), 'cache ready').to.equal(true);
    return cache;
  };

  const connectAdmin = async () => {
    admin = createClient({ url: own.url });
    admin.on('error', () => undefined);
    await admin.connect();
  };

  /** Redis restarts without its data (no persistence): every tag and entry is gone. */
  const restartWithoutData = async (c: CacheService) => {
    admin.destroy();
    await own.kill();
    await until(() => !c.available, 5000, 'the outage noticed');
    await own.restart();
    await connectAdmin();
    expect(await c.ready(10_000), 'cache back').to.equal(true);
  };

  before(async () => {
    own = await OwnRedis.start();
    await connectAdmin();
  });
  after(async () => {
    await admin?.close();
    await own?.stop();
  });
  afterEach(async () => {
    await cache?.close();
    cache = null;
  });

  it('answers a hit on a tag held under tracking without a command to Redis', async () => {
    const c = await open(60_000);
    const id = randomUUID();
    let loads = 0;
    const read = () => c.wrapAnalysis(id, 'badges', 60, async () => ++loads);
    // Once the tracked connection is up, the tag is held: a hit needs neither MGET nor GET.
    await until(
      async () => {
        const before = await reads();
        expect(await read()).to.equal(1);
        return (await reads()) === before;
      },
      10_000,
      'a hit with no round trip',
    );
    expect(loads).to.equal(1);
  });

  for (const leaseMs of [0, 60_000]) {
    it(`does not serve what it decoded before a write once Redis comes back without its data, each time (lease ${leaseMs} ms)`, async () => {
      const c = await open(leaseMs);
      const id = randomUUID();
      // Decoded while the analysis had no generation yet: the one Redis will report again after losing its data.
      expect(await c.wrapAnalysis(id, 'dashboard', 60, async () => 'version 0')).to.equal('version 0');
      for (const version of [1, 2]) {
        await c.invalidateAnalysis(id);
        await restartWithoutData(c);
        const read = await c.wrapAnalysis(id, 'dashboard', 60, async () => `version ${version}`);
        expect(read, `after loss ${version}`).to.equal(`version ${version}`);
      }
    });
  }

  it('does not serve what it decoded before a clear of the whole cache, even once Redis comes back empty', async () => {
    const c = await open(0);
    const id = randomUUID();
    expect(await c.wrapAnalysis(id, 'dashboard', 60, async () => 'before the clear')).to.equal('before the clear');
    await c.clear();
    await restartWithoutData(c);
    expect(await c.wrapAnalysis(id, 'dashboard', 60, async () => 'loaded again')).to.equal('loaded again');
  });
});

describe('reading a held hit while the journal check is too old', function () {
  this.timeout(30_000);
  let h: Harness;
  let restoreClock: (() => void) | undefined;
  before(async () => {
    h = await startCacheHarness('redis', { env: { CACHE_LEASE_MS: '1000' } });
  });
  after(async () => {
    restoreClock?.();
    await h?.close();
  });

  it('checks the journal again, then answers the held hit', async () => {
    const cache = h.container.cache;
    const id = randomUUID();
    await until(
      async () => {
        await cache.wrapAnalysis(id, 'recommendations', 60, async () => ['one']);
        return cache.peekAnalysis(id, 'recommendations') !== undefined;
      },
      10_000,
      'a tag held under tracking',
    );
    // Time moves past a journal window (and the lease) with no check run.
    const real = performance.now.bind(performance);
    restoreClock = holdPerformanceNow(() => real() + 1500);
    expect(cache.peekAnalysis(id, 'recommendations'), 'neither a journal check nor the lease vouches now').to.equal(
      undefined,
    );
    expect(await cache.heldAnalysis(id, 'recommendations')).to.deep.equal(['one']);
  });
});
