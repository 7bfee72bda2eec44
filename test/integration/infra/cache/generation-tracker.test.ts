import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import timers from 'node:timers/promises';
import { createClient } from '@redis/client';
import { GenerationTracker } from '../../../../src/infra/cache/generation-tracker.js';
import { CacheService } from '../../../../src/infra/cache/cache-service.js';
import { decodeCacheValue, encodeCacheValue } from '../../../../src/infra/cache/cache-codec.js';
import { EPOCH_KEY, genKey } from '../../../../src/infra/cache/cache-keys.js';
import { RedisConnection } from '../../../../src/infra/redis/redis-connection.js';
import { TEST_REDIS_URL } from '../../../helpers/env.js';
import { holdPerformanceNow } from '../../../helpers/clock.js';
import { until } from '../../../helpers/instances.js';
import { captureLogs } from '../../../helpers/log-capture.js';
import { freePort, OwnRedis } from '../../../helpers/redis-server.js';
import { TcpProxy } from '../../../helpers/tcp-proxy.js';

const LEASE_MS = 60_000;

/*
 * The tracker reads tags on a redis-server of this file's own, so that its command counts are the
 * tracker's alone; the guard (`tagFor`'s availability and timeout) runs on the shared Redis.
 */
describe('generation tags held under CLIENT TRACKING (GenerationTracker)', function () {
  this.timeout(30_000);
  let own: OwnRedis;
  let admin: ReturnType<typeof createClient>;
  let guard: RedisConnection;
  let ns: string;
  let trackers: GenerationTracker[];
  let proxy: TcpProxy | null;
  const restores: (() => void)[] = [];

  const track = (url = own.url, commandTimeoutMs = 150) => {
    const t = new GenerationTracker({
      url,
      namespace: ns,
      keyvOptions: { serialize: encodeCacheValue, deserialize: decodeCacheValue, useKeyPrefix: false },
      leaseMs: LEASE_MS,
      commandTimeoutMs,
    });
    trackers.push(t);
    return t;
  };
  const ready = async (t: GenerationTracker) => until(() => t.ready, 10_000, 'the tracked connection');
  /** Calls of one command the test's redis-server has run since start. */
  const calls = async (command: string) =>
    Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(await admin.info('commandstats'))?.[1] ?? 0);
  /** The clock the tracker reads (`performance.now`), set by hand until the test ends; whole ms, so sums are exact. */
  const handClock = () => {
    const clock = { now: Math.ceil(performance.now()) };
    restores.push(holdPerformanceNow(() => clock.now));
    return clock;
  };
  /** Replaces a property until the test ends. */
  const replace = <T extends object, K extends keyof T>(obj: T, key: K, value: T[K]) => {
    const original = obj[key];
    obj[key] = value;
    restores.push(() => (obj[key] = original));
  };

  before(async () => {
    own = await OwnRedis.start();
    admin = createClient({ url: own.url });
    await admin.connect();
  });
  after(async () => {
    await admin?.close();
    await own?.stop();
  });
  beforeEach(async () => {
    ns = `tracker-${randomUUID()}`;
    // The namespace's epoch, as the first read of a namespace sets it (a read that finds none sets a fresh one).
    await admin.set(`${ns}::${EPOCH_KEY}`, encodeCacheValue({ value: 'e' }));
    trackers = [];
    proxy = null;
    guard = new RedisConnection({ url: TEST_REDIS_URL, commandTimeoutMs: 150, logger: captureLogs('warn').logger });
    expect(await guard.whenAvailable(5000), 'guard').to.equal(true);
  });
  afterEach(async () => {
    while (restores.length > 0) restores.pop()!();
    await Promise.all(trackers.map((t) => t.close()));
    await guard.close();
    await proxy?.close();
  });

  it('drops only the analysis whose generation Redis says changed, and keeps the others', async () => {
    const t = track();
    await ready(t);
    const [a, b] = [randomUUID(), randomUUID()];
    expect([await t.read(a), await t.read(b)]).to.deep.equal(['e.0', 'e.0']);
    expect([t.held(a), t.held(b)]).to.deep.equal(['e.0', 'e.0']);
    await admin.set(`${ns}::${genKey(a)}`, 'another');
    await until(() => t.held(a) === undefined, 5000, 'the invalidation of a');
    expect(t.held(b)).to.equal('e.0');
  });

  it('drops every tag when Redis flushes its keys (an invalidation that names none), but not the lease', async () => {
    const t = track();
    await ready(t);
    const [a, b] = [randomUUID(), randomUUID()];
    const clock = handClock();
    await t.read(a);
    await t.read(b);
    await admin.flushDb();
    await until(() => t.held(a) === undefined && t.held(b) === undefined, 5000, 'the flush invalidation');
    // The connection still vouches: a read past a quarter of the lease renews it ahead of time.
    const pings = await calls('ping');
    clock.now += LEASE_MS / 2;
    expect(t.held(a)).to.equal(undefined);
    await until(async () => (await calls('ping')) > pings, 5000, 'a PING renewing the lease');
  });

  it('sets a fresh epoch where Redis has none (its data lost), and holds the tag read under it', async () => {
    await admin.del(`${ns}::${EPOCH_KEY}`);
    const t = track();
    await ready(t);
    const a = randomUUID();
    const tag = await t.read(a);
    const epoch = (JSON.parse((await admin.get(`${ns}::${EPOCH_KEY}`))!) as { value: string }).value;
    expect(tag).to.equal(`${epoch}.0`);
    expect(epoch).to.match(/^[\w-]{12}$/);
    expect(t.held(a), 'held despite the push its own epoch caused').to.equal(tag);
  });

  it('does not keep a tag whose read was under way when this process invalidated', async () => {
    const t = track();
    await ready(t);
    const [a, b] = [randomUUID(), randomUUID()];
    await t.read(b);
    const reading = t.read(a);
    t.forget(a);
    expect(await reading).to.equal('e.0');
    expect([t.held(a), t.held(b)]).to.deep.equal([undefined, 'e.0']);
  });

  it("forgets one analysis's tag for its own write, and every tag when asked for all", async () => {
    const t = track();
    await ready(t);
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    for (const id of [a, b, c]) await t.read(id);
    t.forget(a);
    expect([t.held(a), t.held(b), t.held(c)]).to.deep.equal([undefined, 'e.0', 'e.0']);
    t.forget();
    expect([t.held(b), t.held(c)]).to.deep.equal([undefined, undefined]);
  });

  it('stops vouching for a tag once a whole lease has passed since the reply that vouched for it', async () => {
    const t = track();
    await ready(t);
    const a = randomUUID();
    const clock = handClock();
    await t.read(a);
    expect(t.held(a)).to.equal('e.0');
    clock.now += LEASE_MS;
    expect(t.held(a)).to.equal(undefined);
  });

  it('renews a lapsed lease with a PING each time it lapses, without reading the tag again', async () => {
    const t = track();
    await ready(t);
    const a = randomUUID();
    const clock = handClock();
    await t.read(a);
    const reads = [await calls('sadd'), await calls('mget')];
    for (let i = 0; i < 3; i++) {
      clock.now += LEASE_MS + 1;
      expect(t.held(a), `lapsed ${i}`).to.equal(undefined);
      expect(await t.tag(a)).to.equal('e.0');
      expect(t.held(a), `renewed ${i}`).to.equal('e.0');
    }
    expect([await calls('sadd'), await calls('mget')]).to.deep.equal(reads);
  });

  it('leaves the tag to the caller while the tracked connection is not ready', async () => {
    const t = track(`redis://127.0.0.1:${await freePort()}`);
    expect(await t.tagFor(randomUUID(), guard)).to.equal(undefined);
    expect(t.ready).to.equal(false);
  });

  it('retries a Redis that refuses connections after 50 ms doubling up to 500 ms, plus up to 50 ms of jitter, whatever the reads', async () => {
    const waits: number[] = [];
    const sleep = timers.setTimeout;
    replace(timers, 'setTimeout', ((ms?: number, ...rest: unknown[]) => {
      waits.push(ms ?? 0);
      return (sleep as (...args: unknown[]) => Promise<unknown>)(ms, ...rest);
    }) as typeof timers.setTimeout);
    replace(Math, 'random', () => 0.999);
    const t = track(`redis://127.0.0.1:${await freePort()}`);
    await until(() => waits.length >= 1, 5000, 'a first retry');
    // Reads meanwhile leave the attempts alone: they are not stuck, only refused.
    for (let i = 0; i < 3; i++) expect(await t.tagFor(randomUUID(), guard)).to.equal(undefined);
    await until(() => waits.length >= 7, 10_000, 'seven retries');
    expect(waits.slice(0, 7)).to.deep.equal([99, 149, 249, 449, 549, 549, 549]);
  });

  it('rebuilds a tracked connection whose handshake went unanswered, once a read finds it stuck', async () => {
    proxy = await TcpProxy.start(own.port);
    proxy.swallowing = true; // the handshake is lost: that connection never becomes ready
    const t = track(proxy.url);
    await until(() => proxy!.connections === 1, 5000, 'the connection attempt');
    proxy.swallowing = false;
    const a = randomUUID();
    await until(async () => (await t.tagFor(a, guard)) === 'e.0', 15_000, 'a tag read on a new connection');
  });

  it('sends a PING after a tag read timed out, and rebuilds the connection when that goes unanswered too', async () => {
    proxy = await TcpProxy.start(own.port);
    const t = track(proxy.url);
    await ready(t);
    proxy.swallowing = true;
    let failure: unknown;
    await t.tagFor(randomUUID(), guard).catch((err: unknown) => (failure = err));
    expect(String(failure)).to.match(/did not answer/);
    await until(() => !t.ready, 10_000, 'the connection torn down');
  });

  it('sends no PING after a tag read that Redis answered with an error', async () => {
    const t = track();
    await ready(t);
    const a = randomUUID();
    await admin.set(`${ns}::holders:${a}`, 'not a set');
    const pings = await calls('ping');
    for (let i = 0; i < 2; i++) {
      let failure: unknown;
      await t.tagFor(a, guard).catch((err: unknown) => (failure = err));
      expect(String(failure)).to.match(/WRONGTYPE/);
    }
    // The second read went out after any PING the first failure sent: Redis has run that too.
    expect(await calls('ping')).to.equal(pings);
  });

  it('makes a write that Redis could not take wait out the tracking lease all the same', async () => {
    const cache = new CacheService({
      redisUrl: `redis://127.0.0.1:${await freePort()}`,
      namespace: ns,
      leaseMs: 20,
      logger: captureLogs('warn').logger,
    });
    try {
      await cache.invalidateAnalysis(randomUUID());
      expect(cache.leaseWaits).to.equal(1);
    } finally {
      await cache.close();
    }
  });
});
