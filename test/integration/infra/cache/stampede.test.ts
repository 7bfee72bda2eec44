import { expect } from 'chai';
import { api, type Harness } from '../../../helpers/harness.js';
import { CACHE_BACKENDS, LoadProbe, specAnalysis, startCacheHarness } from '../../../helpers/cache.js';
import { isBackgroundPoll } from '../../../helpers/queries.js';

for (const backend of CACHE_BACKENDS) {
  describe(`cache stampede protection [${backend}]`, function () {
    let h: Harness;
    const probe = new LoadProbe();
    before(async () => {
      h = await startCacheHarness(backend, { probe });
    });
    after(() => h.close());

    it('50 concurrent misses on one key cause one database load', async () => {
      const id = await specAnalysis(h.baseUrl);
      let queries = 0;
      const onQuery = (q: { sql: string }) => void (isBackgroundPoll(q.sql) || queries++);
      h.container.db.on('query', onQuery);
      const client = api(h.baseUrl);
      const responses = await Promise.all(Array.from({ length: 50 }, () => client.get(`/dashboard/${id}`)));
      h.container.db.off('query', onQuery);
      expect(responses.every((r) => r.status === 200)).to.equal(true);
      expect(new Set(responses.map((r) => JSON.stringify(r.body))).size).to.equal(1);
      expect(probe.count(`dashboard:${id}`)).to.equal(1);
      const single = queries;
      expect(single).to.be.greaterThan(0);

      // The same number of queries as one cold read: compare with a fresh analysis read once.
      const other = await specAnalysis(h.baseUrl);
      queries = 0;
      h.container.db.on('query', onQuery);
      await client.get(`/dashboard/${other}`);
      h.container.db.off('query', onQuery);
      expect(single).to.equal(queries);
    });

    it('a load that fails is not cached and fails every waiting request alike', async () => {
      const missing = '11111111-2222-4333-8444-555555555555';
      const client = api(h.baseUrl);
      let queries = 0;
      const onQuery = (q: { sql: string }) => void (isBackgroundPoll(q.sql) || queries++);
      h.container.db.on('query', onQuery);
      try {
        const responses = await Promise.all(Array.from({ length: 10 }, () => client.get(`/dashboard/${missing}`)));
        expect(responses.map((r) => r.status)).to.deep.equal(Array(10).fill(404));
        const concurrent = queries;
        queries = 0;
        expect((await client.get(`/dashboard/${missing}`)).status).to.equal(404);
        // The failure was not cached: the next read loads again, with the queries of one load...
        expect(queries, 'a later read goes to the database again').to.be.greaterThan(0);
        // ...and the 10 concurrent reads shared one failed load rather than running ten.
        expect(concurrent, 'queries of 10 concurrent failed reads vs. one').to.equal(queries);
      } finally {
        h.container.db.off('query', onQuery);
      }
      expect(probe.count(`dashboard:${missing}`), 'no load completed').to.equal(0);
    });
  });
}
