import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { api, type Harness } from '../../helpers/harness.js';
import { CACHE_BACKENDS, startCacheHarness, useOwnRedisHarness } from '../../helpers/cache.js';

const url = () => `https://dedup-${randomUUID()}.example.org/path`;

for (const backend of CACHE_BACKENDS) {
  describe(`POST /analyses URL deduplication through the cache [${backend}]`, function () {
    let h: Harness;
    before(async () => {
      h = await startCacheHarness(backend);
    });
    after(() => h.close());

    it('answers a repeat from analysis:cache:{url_hash}, and from the database once the cache is flushed', async () => {
      const client = api(h.baseUrl);
      const u = url();
      const first = await client.post('/analyses', { url: u });
      expect(first.status).to.equal(201);
      const id = first.body.analysis_id;
      const cachedKeys = (await h.container.cache.clear({ analysisId: id })).deleted; // per-analysis clear leaves the URL key
      expect(cachedKeys).to.equal(0);
      const again = await client.post('/analyses', { url: u.replace('https://', 'https://www.') + '/' });
      expect(again.status).to.equal(200);
      expect(again.body).to.include({ analysis_id: id, cached: true });

      const flushed = await h.container.cache.clear();
      expect(flushed.deleted).to.be.at.least(1);
      const afterFlush = await client.post('/analyses', { url: u });
      expect(afterFlush.status).to.equal(200);
      expect(afterFlush.body).to.include({ analysis_id: id, cached: true });
    });
  });
}

describe('POST /analyses URL deduplication with Redis down', function () {
  this.timeout(30_000);
  const t = useOwnRedisHarness();

  it('falls back to the url_hash column', async () => {
    const client = api(t.h.baseUrl);
    const u = url();
    const first = await client.post('/analyses', { url: u });
    await t.redis.kill();
    const again = await client.post('/analyses', { url: u });
    expect(again.status).to.equal(200);
    expect(again.body).to.include({ analysis_id: first.body.analysis_id, cached: true });
    const other = await client.post('/analyses', { url: url() });
    expect(other.status).to.equal(201);
  });
});
