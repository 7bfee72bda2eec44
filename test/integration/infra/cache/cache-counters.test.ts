import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { CacheCounters } from '../../../../src/infra/cache/cache-counters.js';
import { RedisConnection } from '../../../../src/infra/redis/redis-connection.js';
import { TEST_REDIS_URL } from '../../../helpers/env.js';
import { captureLogs } from '../../../helpers/log-capture.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('infra/cache/cache-counters', function () {
  this.timeout(20_000);
  let redis: RedisConnection;
  before(async () => {
    redis = new RedisConnection({ url: TEST_REDIS_URL, commandTimeoutMs: 1000, logger: captureLogs('warn').logger });
    for (let i = 0; i < 100 && !redis.available; i++) await sleep(50);
    expect(redis.available, 'Redis ready').to.equal(true);
  });
  after(() => redis.close());

  it('adds up the hits and misses of every process sharing the key', async () => {
    const key = `counters-${randomUUID()}`;
    const [a, b] = [new CacheCounters({ redis, key }), new CacheCounters({ redis, key })];
    a.count('hits');
    a.count('hits');
    b.count('misses');
    await b.flush(); // b's own counts reach the shared key (a.read() flushes a's)
    expect(await a.read()).to.deep.equal({ hits: 2, misses: 1 });
    expect(await b.read()).to.deep.equal({ hits: 2, misses: 1 });
    expect(await redis.client.hGetAll(key)).to.deep.equal({ hits: '2', misses: '1' });
    expect(await redis.client.ttl(key)).to.be.above(0);
  });

  it("gives this process's own counts when the shared key cannot be read, and keeps them for a later flush", async () => {
    const key = `counters-${randomUUID()}`;
    await redis.client.set(key, 'not a hash'); // every hash command on it fails (WRONGTYPE)
    const counters = new CacheCounters({ redis, key });
    counters.count('hits');
    counters.count('misses');
    expect(await counters.read()).to.deep.equal({ hits: 1, misses: 1 });
    await redis.client.del(key);
    await counters.flush();
    expect(await redis.client.hGetAll(key)).to.deep.equal({ hits: '1', misses: '1' });
  });

  it('counts alone without Redis', async () => {
    const counters = new CacheCounters({ redis: null, key: 'unused' });
    counters.count('misses');
    await counters.flush();
    expect(await counters.read()).to.deep.equal({ hits: 0, misses: 1 });
  });
});
