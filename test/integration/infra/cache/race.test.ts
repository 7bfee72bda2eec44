import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { api, type Harness } from '../../../helpers/harness.js';
import {
  CACHE_BACKENDS,
  LoadProbe,
  REDIS_DESIGNS,
  specAnalysis,
  startCacheHarness,
  statusOf,
} from '../../../helpers/cache.js';

/**
 * A reader loads the dashboard before a write and is held (injected hook) between its database
 * query and its cache store until the write has returned. Its late store must never be served.
 */
async function slowReaderRace(reader: { h: Harness; probe: LoadProbe }, writer: Harness, id: string) {
  const r = api(reader.h.baseUrl);
  const w = api(writer.baseUrl);
  const key = `dashboard:${id}`;
  const held = reader.probe.pauseNext(key);
  const slow = r.get(`/dashboard/${id}`);
  await held.reached; // its query has seen NOT_STARTED

  expect(
    (await w.post(`/dashboard/${id}/progress`, { opportunity_id: 'digital_presence', status: 'IN_PROGRESS' })).status,
  ).to.equal(200);
  // While the slow read is still held, a new read does not join its load.
  expect(statusOf((await r.get(`/dashboard/${id}`)).body, 'digital_presence')).to.equal('IN_PROGRESS');

  held.release();
  const slowRes = await slow;
  expect(statusOf(slowRes.body, 'digital_presence'), 'the held read began before the write').to.equal('NOT_STARTED');

  // The stale value really was written back to the store...
  const stored = await reader.h.container.cache.get<{ v: { body: Buffer } }>(key);
  expect(stored && statusOf(JSON.parse(stored.v.body.toString('utf8')), 'digital_presence')).to.equal('NOT_STARTED');
  // ...and is never served: every read after the write returned sees the new status.
  for (const c of [r, w]) {
    for (let i = 0; i < 3; i++)
      expect(statusOf((await c.get(`/dashboard/${id}`)).body, 'digital_presence')).to.equal('IN_PROGRESS');
  }
}

for (const backend of CACHE_BACKENDS) {
  describe(`cache races [${backend}]`, function () {
    let h: Harness;
    const probe = new LoadProbe();
    before(async () => {
      h = await startCacheHarness(backend, { probe });
    });
    after(() => h.close());

    it('never serves the value of a read that loaded before a write, once the write has returned', async () => {
      const id = await specAnalysis(h.baseUrl);
      await slowReaderRace({ h, probe }, h, id);
    });

    it('does the same when the key already holds an entry from an earlier generation', async () => {
      const id = await specAnalysis(h.baseUrl);
      const client = api(h.baseUrl);
      await client.get(`/dashboard/${id}`); // cached: every opportunity NOT_STARTED
      expect(await h.container.cache.get(`dashboard:${id}`), 'entry stored').to.not.equal(undefined);
      // An earlier write makes that entry unreadable; the next read misses, and that is the one held.
      expect(
        (await client.post(`/dashboard/${id}/progress`, { opportunity_id: 'value_creation', status: 'IN_PROGRESS' }))
          .status,
      ).to.equal(200);
      await slowReaderRace({ h, probe }, h, id);
      expect(statusOf((await client.get(`/dashboard/${id}`)).body, 'value_creation')).to.equal('IN_PROGRESS');
    });
  });
}

for (const design of REDIS_DESIGNS) {
  describe(`cache races across two instances sharing one Redis namespace (${design.name})`, function () {
    let a: Harness;
    let b: Harness;
    const probeB = new LoadProbe();
    before(async () => {
      const env = { ...design.env, CACHE_NAMESPACE: `test-race-${randomUUID()}` };
      a = await startCacheHarness('redis', { env });
      b = await startCacheHarness('redis', { env, probe: probeB });
    });
    after(async () => {
      await a.close();
      await b.close();
    });

    it('a slow reader on one instance cannot undo a write made through the other', async () => {
      const id = await specAnalysis(a.baseUrl);
      await slowReaderRace({ h: b, probe: probeB }, a, id);
    });

    it('a reader holding the tag on one instance never serves the old entry once a write on the other has returned', async () => {
      const id = await specAnalysis(a.baseUrl);
      const [ca, cb] = [api(a.baseUrl), api(b.baseUrl)];
      for (let i = 0; i < 20; i++) {
        const status = i % 2 === 0 ? 'IN_PROGRESS' : 'NOT_STARTED';
        await cb.get(`/dashboard/${id}`);
        await cb.get(`/dashboard/${id}`); // a hit: with tracking, served from the tag b holds
        expect(
          (await ca.post(`/dashboard/${id}/progress`, { opportunity_id: 'value_creation', status })).status,
        ).to.equal(200);
        expect(statusOf((await cb.get(`/dashboard/${id}`)).body, 'value_creation'), `round ${i}`).to.equal(status);
      }
    });
  });
}
