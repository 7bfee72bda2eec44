import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { createClient } from '@redis/client';
import { CacheService } from '../../../../src/infra/cache/cache-service.js';
import { RedisConnection } from '../../../../src/infra/redis/redis-connection.js';
import { captureLogs } from '../../../helpers/log-capture.js';
import { OwnRedis } from '../../../helpers/redis-server.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('closing a Redis connection that is still being made', function () {
  this.timeout(30_000);
  let redis: OwnRedis;
  before(async () => {
    redis = await OwnRedis.start();
  });
  after(() => redis.stop());

  /** Clients connected to this test's own Redis, the one asking excluded. */
  async function otherClients(): Promise<number> {
    const probe = createClient({ url: redis.url });
    await probe.connect();
    const list = await probe.clientList();
    await probe.close();
    return list.length - 1;
  }

  it('leaves no socket behind when closed right after it was created (the connect still in flight)', async () => {
    const connections = Array.from(
      { length: 5 },
      () => new RedisConnection({ url: redis.url, commandTimeoutMs: 150, logger: captureLogs('warn').logger }),
    );
    await Promise.all(connections.map((c) => c.close()));
    await sleep(300); // a connect that slipped past destroy() would have finished by now
    expect(await otherClients()).to.equal(0);
    expect(connections.map((c) => c.client.isOpen)).to.deep.equal([false, false, false, false, false]);
  });

  it('closes both of the cache service connections (commands and tracked tags) while they connect', async () => {
    const logs = captureLogs('warn');
    const cache = new CacheService({
      redisUrl: redis.url,
      namespace: `close-${randomUUID()}`,
      commandTimeoutMs: 150,
      leaseMs: 5,
      logger: logs.logger,
    });
    await cache.close();
    await sleep(300);
    expect(await otherClients()).to.equal(0);
    // Closing on purpose is not an outage.
    expect(logs.text()).to.not.match(/unavailable|unreachable/);
  });

  it('closes at once when Redis refuses connections', async () => {
    const down = await OwnRedis.start();
    await down.stop();
    const c = new RedisConnection({ url: down.url, commandTimeoutMs: 150, logger: captureLogs('warn').logger });
    await sleep(50);
    await c.close();
    expect(c.client.isOpen).to.equal(false);
  });
});
