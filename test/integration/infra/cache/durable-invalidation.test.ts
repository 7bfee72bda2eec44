import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { api, type Harness } from '../../../helpers/harness.js';
import { specAnalysis, startCacheHarness, statusOf } from '../../../helpers/cache.js';
import { startServeInstance, until, type ServeInstance } from '../../../helpers/instances.js';
import { OwnRedis } from '../../../helpers/redis-server.js';
import { TcpProxy } from '../../../helpers/tcp-proxy.js';

/*
 * Two real instances over one PostgreSQL and one Redis: the writer is a `serve` process of its own,
 * killed with SIGKILL right after its write was acknowledged; the other runs in this process, so
 * the test can read its cache's state. The writer's invalidation never reached Redis: only the
 * record it wrote in its transaction (cache_invalidations) can tell the other instance.
 */
describe('invalidations a dead writer could not deliver to Redis', function () {
  this.timeout(120_000);
  const namespace = `test-${randomUUID()}`;
  let redis: OwnRedis;
  let proxy: TcpProxy | null = null;
  let other: Harness;
  let writer: ServeInstance | null = null;

  beforeEach(async () => {
    redis = await OwnRedis.start();
    other = await startCacheHarness('redis', { env: { REDIS_URL: redis.url, CACHE_NAMESPACE: namespace } });
  });
  afterEach(async () => {
    await writer?.kill();
    await proxy?.close();
    await other.close();
    await redis.stop();
    writer = null;
    proxy = null;
  });

  const pending = () => other.container.db('cache_invalidations').where({ namespace });
  const dashboardOn = async (baseUrl: string, id: string) => {
    const res = await api(baseUrl).get(`/dashboard/${id}`);
    expect(res.status).to.equal(200);
    return statusOf(res.body, 'value_creation');
  };
  /** An analysis cached on both instances, with `value_creation` NOT_STARTED. */
  const cachedEverywhere = async (writerUrl: string) => {
    const id = await specAnalysis(other.baseUrl);
    for (let i = 0; i < 2; i++) expect(await dashboardOn(other.baseUrl, id)).to.equal('NOT_STARTED');
    await until(async () => (await api(writerUrl).get('/health')).body.cache?.status === 'up', 30_000, 'writer cache');
    expect(await dashboardOn(writerUrl, id)).to.equal('NOT_STARTED');
    return id;
  };
  const write = async (writerUrl: string, id: string) => {
    const res = await api(writerUrl).post(`/dashboard/${id}/progress`, {
      opportunity_id: 'value_creation',
      status: 'IN_PROGRESS',
    });
    expect(res.status, 'the write is acknowledged').to.equal(200);
  };

  it('reaches Redis through another instance within seconds when only the writer was cut off from Redis, then killed', async () => {
    proxy = await TcpProxy.start(redis.port);
    writer = await startServeInstance({ REDIS_URL: proxy.url, CACHE_NAMESPACE: namespace });
    const id = await cachedEverywhere(writer.baseUrl);

    proxy.swallowing = true; // the writer's link only: bytes vanish, sockets stay open
    await write(writer.baseUrl, id);
    // The other instance kept Redis, which still holds the old dashboard under the current tag: its
    // journal check named the analysis before the write was acknowledged, so the first read is current.
    expect(await dashboardOn(other.baseUrl, id), 'the first read after the acknowledgement').to.equal('IN_PROGRESS');
    await writer.kill();

    expect(other.container.cache.available, 'the other instance never lost Redis').to.equal(true);
    await until(async () => (await dashboardOn(other.baseUrl, id)) === 'IN_PROGRESS', 30_000, 'the new dashboard');
    expect(other.container.cache.invalidationsReplayed, 'replayed by the other instance').to.be.greaterThan(0);
    await until(async () => (await pending()).length === 0, 10_000, 'the record to be deleted');
    // Cached again, and current.
    for (let i = 0; i < 3; i++) expect(await dashboardOn(other.baseUrl, id)).to.equal('IN_PROGRESS');
  });

  it('is replayed before any instance reads Redis again after a freeze (SIGSTOP) during which the writer died', async () => {
    writer = await startServeInstance({ REDIS_URL: redis.url, CACHE_NAMESPACE: namespace });
    const id = await cachedEverywhere(writer.baseUrl);

    redis.pause();
    await write(writer.baseUrl, id);
    await writer.kill();
    expect(await pending(), 'recorded with the write').to.have.length(1);

    // While Redis hangs the other instance reads the database, and sees the write.
    expect(await dashboardOn(other.baseUrl, id)).to.equal('IN_PROGRESS');
    await until(() => !other.container.cache.available, 10_000, 'the other instance to mark Redis down');

    redis.resume(); // Redis still holds the old dashboard under the current generation
    await until(() => other.container.cache.available, 30_000, 'the cache to come back');
    expect(other.container.cache.invalidationsReplayed, 'replayed before reading Redis again').to.equal(1);
    expect(await pending()).to.have.length(0);
    for (let i = 0; i < 3; i++) expect(await dashboardOn(other.baseUrl, id)).to.equal('IN_PROGRESS');
  });

  it('is never read stale when Redis thaws right after the write was acknowledged, before any replay', async () => {
    // The writer's invalidation must reach Redis after the reads that follow the thaw, as when Redis
    // serves its clients' queued commands in another order: here it never reaches Redis at all.
    proxy = await TcpProxy.start(redis.port);
    writer = await startServeInstance({ REDIS_URL: proxy.url, CACHE_NAMESPACE: namespace });
    const id = await cachedEverywhere(writer.baseUrl);

    redis.pause();
    proxy.swallowing = true;
    await write(writer.baseUrl, id);
    await writer.kill();
    redis.resume(); // Redis still holds the old dashboard under the current generation
    expect(await dashboardOn(other.baseUrl, id), 'the first read after the thaw').to.equal('IN_PROGRESS');
    await until(async () => (await pending()).length === 0, 10_000, 'the record to be replayed');
    for (let i = 0; i < 3; i++) expect(await dashboardOn(other.baseUrl, id)).to.equal('IN_PROGRESS');
  });
});
