import { expect } from 'chai';
import { api, startHarness, type Harness } from '../../helpers/harness.js';
import { SPEC_RESULTS, uniqueUrl } from '../../helpers/fixtures.js';
import { OwnPostgres } from '../../helpers/own-postgres.js';

// Small bounds so the test is quick; production defaults are 2000 ms each.
const LIMITS = { DB_STATEMENT_TIMEOUT_MS: '400', DB_ACQUIRE_TIMEOUT_MS: '400' };

describe('when the database hangs (a PostgreSQL frozen with SIGSTOP)', function () {
  this.timeout(60_000);
  let pgServer: OwnPostgres;
  let h: Harness;
  let client: ReturnType<typeof api>;
  let id: string;

  before(async () => {
    pgServer = await OwnPostgres.start();
    h = await startHarness('postgres', { env: { DATABASE_URL: pgServer.url, ...LIMITS } });
    client = api(h.baseUrl);
    id = (await client.post('/analyses', { url: uniqueUrl(), results_summary: SPEC_RESULTS })).body.analysis_id;
    // Warm the pool so some requests meet a connection whose server stops answering mid-query.
    await Promise.all(Array.from({ length: 6 }, () => client.get(`/dashboard/${id}/recommendations`)));
  });
  after(async () => {
    pgServer?.thaw();
    await h?.close();
    await pgServer?.stop();
  });

  it('answers every request 503 with Retry-After while frozen, /health reports down, and recovers after SIGCONT', async () => {
    pgServer.freeze();
    let thawed = false;
    try {
      const requests = [
        () => client.get(`/dashboard/${id}`),
        () => client.get(`/dashboard/${id}/badges`),
        () => client.post(`/dashboard/${id}/progress`, { opportunity_id: 'value_creation', status: 'IN_PROGRESS' }),
        () => client.post(`/dashboard/${id}/subscribe`, { email: 'frozen@example.com', frequency: 'weekly' }),
        () => client.post('/analyses', { url: uniqueUrl(), results_summary: SPEC_RESULTS }),
      ];
      // Twice the pool size at once: some wait on a hung query, the rest on the pool (acquire timeout).
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => requests[i % requests.length]!()));
      const health = await client.get('/health');
      // Every answer arrived while the server was still frozen: nothing waited for the database to come back.
      expect(thawed).to.equal(false);
      expect(answers.map((a) => `${a.status} ${a.body.error}`)).to.deep.equal(
        answers.map(() => '503 SERVICE_UNAVAILABLE'),
      );
      expect(answers.every((a) => a.headers.get('retry-after') === '5')).to.equal(true);
      expect(health.status).to.equal(503);
      expect(health.body.database.status).to.equal('down');
    } finally {
      pgServer.thaw();
      thawed = true;
    }

    // Recovery without a restart: the next requests succeed (dropped connections are replaced).
    let res = await client.get(`/dashboard/${id}`);
    for (let i = 0; i < 20 && res.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      res = await client.get(`/dashboard/${id}`);
    }
    expect(res.status).to.equal(200);
    expect(
      (await client.post(`/dashboard/${id}/progress`, { opportunity_id: 'value_creation', status: 'IN_PROGRESS' }))
        .status,
    ).to.equal(200);
    expect((await client.get('/health')).status).to.equal(200);
  });
});
