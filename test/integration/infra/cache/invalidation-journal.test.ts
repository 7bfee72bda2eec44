import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import knexFactory, { type Knex } from 'knex';
import Keyv from 'keyv';
import KeyvRedis from '@keyv/redis';
import { ServiceUnavailableError } from '../../../../src/errors.js';
import { invalidationJournal } from '../../../../src/db/invalidation-repo.js';
import { decodeCacheValue, encodeCacheValue } from '../../../../src/infra/cache/cache-codec.js';
import { EPOCH_KEY, genKey } from '../../../../src/infra/cache/cache-keys.js';
import { GenerationTracker } from '../../../../src/infra/cache/generation-tracker.js';
import { Invalidation, type InvalidationJournal } from '../../../../src/infra/cache/invalidation.js';
import { RedisConnection } from '../../../../src/infra/redis/redis-connection.js';
import { holdPerformanceNow } from '../../../helpers/clock.js';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../../../helpers/env.js';
import { useContainer } from '../../../helpers/harness.js';
import { until } from '../../../helpers/instances.js';
import { captureLogs } from '../../../helpers/log-capture.js';
import { freePort, OwnRedis } from '../../../helpers/redis-server.js';
import { TcpProxy } from '../../../helpers/tcp-proxy.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const codec = {
  serialize: encodeCacheValue,
  deserialize: decodeCacheValue as never,
  useKeyPrefix: false,
  throwOnErrors: true,
};
const LEASE_MS = 1000;

/*
 * One Invalidation at a time, built as the cache service builds it, on the test database and a real
 * Redis: the journal's failures are real ones (a schema not migrated, a closed port) unless a test
 * injects one.
 */
describe('infra/cache/invalidation: Invalidation over a PostgreSQL journal and Redis', function () {
  this.timeout(30_000);
  const t = useContainer('postgres');
  let closers: (() => Promise<unknown>)[] = [];
  let logs: ReturnType<typeof captureLogs>;
  let namespace: string;
  let restoreClock: (() => void) | null = null;

  beforeEach(() => {
    logs = captureLogs('debug');
    namespace = `test-${randomUUID()}`;
  });
  afterEach(async () => {
    restoreClock?.();
    restoreClock = null;
    for (const close of closers.reverse()) await close();
    closers = [];
  });

  const closing = <T extends { close(): Promise<unknown> }>(x: T): T => {
    closers.push(() => x.close());
    return x;
  };
  const connect = async (url: string, opts: { ready?: boolean } = {}) => {
    const redis = closing(new RedisConnection({ url, commandTimeoutMs: 1000, logger: logs.logger }));
    if (opts.ready) await until(() => redis.client.isReady, 10_000, 'the Redis client');
    return redis;
  };
  /** A RedisConnection to a port nothing listens on: never available. */
  const unreachable = async () => connect(`redis://127.0.0.1:${await freePort()}`);
  const metaOf = (redis: RedisConnection) =>
    new Keyv({
      store: new KeyvRedis(redis.client, { namespace, throwOnErrors: true, throwOnConnectError: true }),
      namespace,
      ...codec,
    });
  const trackerOn = async (url: string) => {
    const tracker = closing(
      new GenerationTracker({
        url,
        namespace,
        keyvOptions: codec,
        leaseMs: LEASE_MS,
        commandTimeoutMs: 1000,
      }),
    );
    await until(() => tracker.ready, 10_000, 'the tracked connection');
    return tracker;
  };
  const build = (
    redis: RedisConnection,
    opts: { journal?: InvalidationJournal | null; tracker?: GenerationTracker; windowMs?: number } = {},
  ) =>
    closing(
      new Invalidation({
        meta: metaOf(redis),
        redis,
        tracker: opts.tracker ?? null,
        namespace,
        journal: opts.journal ?? null,
        logger: logs.logger,
        journalWindowMs: opts.windowMs,
      }),
    );
  /** A knex of its own (closed after the test), e.g. on a schema the migrations never ran in. */
  const ownKnex = (config: Knex.Config): Knex => {
    const quiet = () => undefined;
    const log = { warn: quiet, error: quiet, deprecate: quiet, debug: quiet };
    const db = knexFactory({ client: 'pg', pool: { min: 0, max: 2 }, acquireConnectionTimeout: 5000, log, ...config });
    closers.push(() => db.destroy());
    return db;
  };
  const rows = () => t.c.db('cache_invalidations').where({ namespace });
  const logged = () => logs.text();

  describe('without a journal', () => {
    it('vouches for every analysis, now and after a check, since no journal can forbid it', async () => {
      const inv = build(await unreachable());
      expect(inv.vouches(randomUUID())).to.equal(true);
      expect(await inv.vouched(randomUUID())).to.equal(true);
    });
  });

  describe('retag (an operator clearing the cache)', () => {
    it('gives one analysis a new generation, or every analysis a new epoch, and forgets only what it retagged', async () => {
      const redis = await connect(TEST_REDIS_URL);
      expect(await redis.whenAvailable(10_000), 'Redis available').to.equal(true);
      const tracker = await trackerOn(TEST_REDIS_URL);
      const inv = build(redis, { tracker });
      const meta = metaOf(redis);
      const [a, b] = [randomUUID(), randomUUID()];
      await meta.set(EPOCH_KEY, 'epoch-0');
      await meta.set(genKey(a), 'gen-a-0');

      await tracker.read(a);
      const heldB = await tracker.read(b);
      const one = inv.retag(a);
      expect(tracker.held(a), 'the retagged analysis is forgotten at once').to.equal(undefined);
      expect(tracker.held(b), 'another analysis is still held').to.equal(heldB);
      await one;
      expect(await meta.get(genKey(a)))
        .to.be.a('string')
        .and.not.equal('gen-a-0');
      expect(await meta.get(EPOCH_KEY), 'the epoch stays').to.equal('epoch-0');

      const genA = await meta.get(genKey(a));
      await tracker.read(b);
      const all = inv.retag(null);
      expect(tracker.held(b), 'a retag of everything forgets every tag').to.equal(undefined);
      await all;
      expect(await meta.get(EPOCH_KEY))
        .to.be.a('string')
        .and.not.equal('epoch-0');
      expect(await meta.get(genKey(a)), 'no generation changes').to.equal(genA);
    });

    it('returns only once a process that missed the new tag can no longer use the old one under its lease', async () => {
      const redis = await connect(TEST_REDIS_URL);
      expect(await redis.whenAvailable(10_000), 'Redis available').to.equal(true);
      const inv = build(redis, { tracker: await trackerOn(TEST_REDIS_URL) });
      const proxy = closing(await TcpProxy.start(Number(new URL(TEST_REDIS_URL).port || 6379)));
      const other = await trackerOn(proxy.url);
      const a = randomUUID();
      const old = await other.read(a);
      proxy.swallowing = true; // the other process gets neither the invalidation push nor a reply
      await sleep(10); // its lease began more than a timer's rounding before the retag
      await inv.retag(a);
      expect(other.held(a), 'the old tag, once retag has returned').to.equal(undefined);
      expect(old).to.be.a('string');
    });

    it('fails with ServiceUnavailableError while Redis is unavailable', async () => {
      const inv = build(await unreachable());
      const err = await inv.retag(randomUUID()).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).to.be.instanceOf(ServiceUnavailableError);
      expect((err as Error).message).to.equal('The cache (Redis) is unavailable');
    });
  });

  describe('invalidateAnalysis', () => {
    it('waits out a lease when Redis could not take the invalidation, since another process may hold the old tag', async () => {
      const inv = build(await unreachable(), { tracker: await trackerOn(TEST_REDIS_URL) });
      expect(await inv.invalidateAnalysis(randomUUID())).to.equal(false);
      expect(inv.leaseWaits).to.equal(1);
    });

    it('stops reading from Redis when Redis refused the new generation (out of memory)', async () => {
      const own = await OwnRedis.start();
      closers.push(() => own.stop());
      const redis = await connect(own.url);
      expect(await redis.whenAvailable(10_000), 'Redis available').to.equal(true);
      const inv = build(redis);
      await redis.client.configSet('maxmemory', '1'); // noeviction: every write is refused
      expect(await inv.invalidateAnalysis(randomUUID())).to.equal(false);
      expect(redis.available, 'the breaker is open until the replay').to.equal(false);
    });
  });

  describe('transaction', () => {
    it('returns the result and keeps the record, with a log line, when deleting the record fails', async () => {
      const redis = await connect(TEST_REDIS_URL);
      const journal: InvalidationJournal = {
        ...invalidationJournal(t.c.db, namespace),
        settle: () => Promise.reject(new Error('settle: connection lost')),
      };
      const inv = build(redis, { journal });
      closers.push(() => rows().delete());
      expect(await redis.whenAvailable(10_000), 'Redis available').to.equal(true);
      const a = randomUUID();
      const result = await inv.transaction(t.c.db, async (_trx, invalidate) => {
        invalidate(a);
        return 42;
      });
      expect(result).to.equal(42);
      expect(await rows(), 'left for a replay').to.have.length(1);
      const line = logged()
        .split('\n')
        .find((l) => l.includes('cache: settle failed'));
      expect(line, 'logged').to.be.a('string');
      expect(line).to.include('settle: connection lost');
    });
  });

  describe('journal checks', () => {
    it('replays a record naming every analysis (a new epoch) before Redis is read again', async () => {
      await t.c.db('cache_invalidations').insert({ namespace, analysis_id: null });
      const meta = metaOf(await connect(TEST_REDIS_URL, { ready: true }));
      await meta.set(EPOCH_KEY, 'epoch-0');
      // Built before its connection is ready: the replay runs with the first probe.
      const redis = await connect(TEST_REDIS_URL);
      const inv = build(redis, { journal: invalidationJournal(t.c.db, namespace) });
      expect(await redis.whenAvailable(10_000), 'Redis available after the replay').to.equal(true);
      expect(inv.replayed).to.equal(1);
      expect(await rows()).to.have.length(0);
      expect(await meta.get(EPOCH_KEY))
        .to.be.a('string')
        .and.not.equal('epoch-0');
    });

    it('treats every analysis as pending when more than 1000 are, and Redis cannot replay them', async () => {
      const old = t.c.db.raw("clock_timestamp() - interval '1 hour'");
      const many = Array.from({ length: 1001 }, () => ({ namespace, analysis_id: randomUUID(), created_at: old }));
      await t.c.db.batchInsert('cache_invalidations', many, 500);
      closers.push(() => rows().delete());
      const inv = build(await unreachable(), { journal: invalidationJournal(t.c.db, namespace) });
      expect(await inv.vouched(randomUUID()), 'an analysis not named').to.equal(false);
    });

    it('uses Redis and logs nothing when the journal table does not exist yet (schema not migrated)', async () => {
      const redis = await connect(TEST_REDIS_URL);
      const db = ownKnex({ connection: TEST_DATABASE_URL, searchPath: ['not_migrated'] });
      const inv = build(redis, { journal: invalidationJournal(db, namespace) });
      expect(await redis.whenAvailable(10_000), 'Redis available').to.equal(true);
      expect(await inv.vouched(randomUUID())).to.equal(true);
      expect(logged()).to.not.include('journal check failed');
    });

    it('logs a check that fails, and keeps Redis out of use while the journal cannot be read', async () => {
      const redis = await connect(TEST_REDIS_URL);
      const db = ownKnex({ connection: `postgres://postgres@127.0.0.1:${await freePort()}/none` });
      const journal = invalidationJournal(db, namespace);
      let lasts = 0;
      build(redis, {
        journal: {
          ...journal,
          last: () => {
            lasts++;
            return journal.last();
          },
        },
      });
      await until(() => lasts >= 2, 20_000, 'a second recovery attempt');
      expect(redis.available, 'Redis is not read before the journal was replayed').to.equal(false);
      await until(() => logged().includes('cache: journal check failed'), 10_000, 'the log line');
      const line = logged()
        .split('\n')
        .find((l) => l.includes('cache: journal check failed'));
      expect(line).to.include('ECONNREFUSED');
    });

    it('vouches as the last check did when a check fails without any error object', async () => {
      const redis = await unreachable();
      const inv = build(redis, {
        journal: {
          ...invalidationJournal(t.c.db, namespace),
          pending: () => Promise.reject(undefined),
        },
      });
      expect(await inv.vouched(randomUUID())).to.equal(true);
      expect(logged()).to.include('cache: journal check failed');
    });

    it('vouches again once a journal check has been running for half a window, not before', async () => {
      let now = 1_000_000;
      restoreClock = holdPerformanceNow(() => now);
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      const journal = invalidationJournal(t.c.db, namespace);
      let checks = 0;
      const inv = build(await unreachable(), {
        windowMs: 1000,
        journal: {
          ...journal,
          pending: async (olderThanMs, limit) => {
            checks++;
            await held;
            return journal.pending(olderThanMs, limit);
          },
        },
      });
      const a = randomUUID();
      try {
        expect(inv.vouches(a), 'no check has finished').to.equal(false);
        now += 250;
        const early = inv.vouched(a);
        expect(inv.vouches(a), 'a quarter window into the check').to.equal(false);
        now += 250;
        const late = inv.vouched(a);
        expect(inv.vouches(a), 'half a window into the check').to.equal(true);
        expect(checks, 'one check at a time').to.equal(1);
        release();
        expect(await early).to.equal(true);
        expect(await late).to.equal(true);
      } finally {
        release();
      }
    });
  });
});
