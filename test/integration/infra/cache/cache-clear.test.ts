import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { deleteCachedKeys } from '../../../../src/infra/cache/cache-clear.js';
import { RedisConnection } from '../../../../src/infra/redis/redis-connection.js';
import { TEST_REDIS_URL } from '../../../helpers/env.js';
import { captureLogs } from '../../../helpers/log-capture.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The keys of one namespace: two analyses' entries of every kind, a report, and the meta keys that must stay. */
function keysOf(a: string, b: string): string[] {
  return [
    `dashboard:${a}`,
    `metrics:${a}`,
    `recommendations:${a}`,
    `badges:${a}`,
    `report:${a}:summary,badges`,
    `dashboard:${b}`,
    `report:${b}:summary`,
    'epoch',
    `gen:${a}`,
    `holders:${a}`,
  ];
}
const META = (a: string) => ['epoch', `gen:${a}`, `holders:${a}`];

describe('infra/cache/cache-clear: deleteCachedKeys', function () {
  this.timeout(20_000);
  const [a, b] = [randomUUID(), randomUUID()];

  describe('on Redis (SCAN and UNLINK)', () => {
    let redis: RedisConnection;
    before(async () => {
      redis = new RedisConnection({ url: TEST_REDIS_URL, commandTimeoutMs: 1000, logger: captureLogs('warn').logger });
      for (let i = 0; i < 100 && !redis.available; i++) await sleep(50);
      expect(redis.available, 'Redis ready').to.equal(true);
    });
    after(() => redis.close());

    /** A namespace with glob characters in its name, its keys, and a second namespace that shares its start. */
    async function seed(): Promise<{
      ns: string;
      stored: () => Promise<string[]>;
      neighbour: () => Promise<string[]>;
    }> {
      const ns = `clear-*?[x]-${randomUUID()}`;
      const near = `${ns.slice(0, -1)}`; // a namespace the first one's glob must not reach
      for (const k of keysOf(a, b)) {
        await redis.client.set(`${ns}::${k}`, '1');
        await redis.client.set(`${near}::${k}`, '1');
      }
      const list = async (prefix: string) =>
        (await redis.client.keys(`${prefix.replace(/[*?[\]\\]/g, '\\$&')}::*`))
          .map((k) => k.slice(prefix.length + 2))
          .sort();
      return { ns, stored: () => list(ns), neighbour: () => list(near) };
    }

    it("deletes one analysis's entries of every kind and its reports, nothing else", async () => {
      const { ns, stored, neighbour } = await seed();
      expect(await deleteCachedKeys({ redis }, ns, a)).to.equal(5);
      expect(await stored()).to.deep.equal([`dashboard:${b}`, `report:${b}:summary`, ...META(a)].sort());
      expect(await neighbour()).to.have.length(10);
    });

    it('deletes every entry of the namespace, keeps its generations, epoch and holders, and no other namespace', async () => {
      const { ns, stored, neighbour } = await seed();
      expect(await deleteCachedKeys({ redis }, ns, null)).to.equal(7);
      expect(await stored()).to.deep.equal(META(a).sort());
      expect(await neighbour()).to.have.length(10);
      expect(await deleteCachedKeys({ redis }, ns, null), 'nothing left to delete').to.equal(0);
    });
  });

  describe('in memory (the LRU behind the memory cache)', () => {
    const seeded = (extra: string[] = []) => {
      const lru = new LRUCache<string, string>({ max: 100 });
      for (const k of [...keysOf(a, b), ...extra]) lru.set(k, '1');
      return lru;
    };

    it("deletes one analysis's entries of every kind and its reports, nothing else", async () => {
      // Keys a loose pattern would also match: the id as a prefix of a longer one, regex characters in a report key.
      const lru = seeded([`dashboard:${a}x`, `report:${b}.${a}`]);
      expect(await deleteCachedKeys({ lru }, 'ignored', a)).to.equal(5);
      expect([...lru.keys()].sort()).to.deep.equal(
        [`dashboard:${b}`, `report:${b}:summary`, `dashboard:${a}x`, `report:${b}.${a}`, ...META(a)].sort(),
      );
    });

    it('reads an id with regular-expression characters literally', async () => {
      const lru = new LRUCache<string, string>({ max: 10 });
      for (const k of ['dashboard:a.b', 'dashboard:axb', 'dashboard:ab']) lru.set(k, '1');
      expect(await deleteCachedKeys({ lru }, 'ignored', 'a.b')).to.equal(1);
      expect([...lru.keys()].sort()).to.deep.equal(['dashboard:ab', 'dashboard:axb']);
    });

    it('deletes every entry and keeps the generations, epoch and holders', async () => {
      const lru = seeded();
      expect(await deleteCachedKeys({ lru }, 'ignored', null)).to.equal(7);
      expect([...lru.keys()].sort()).to.deep.equal(META(a).sort());
    });
  });
});
