import { expect } from 'chai';
import { DB_MODES, startHarness, type Harness, api } from '../../helpers/harness.js';
import { SPEC_RESULTS, uniqueUrl } from '../../helpers/fixtures.js';
import { loadConfig, assertServable, ConfigError } from '../../../src/config.js';
import { TEST_DATABASE_URL } from '../../helpers/env.js';

const TOKEN = 'test-admin-token-0123456789abcdef';

for (const mode of DB_MODES) {
  describe(`operator endpoints with ADMIN_TOKEN set [${mode}]`, function () {
    let h: Harness;
    before(async () => {
      h = await startHarness(mode, { env: { ADMIN_TOKEN: TOKEN } });
    });
    after(() => h.close());

    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    const operator = (headers: Record<string, string>, id: string) => [
      () => api(h.baseUrl).call('POST', '/analyses', { url: uniqueUrl(), results_summary: SPEC_RESULTS }, headers),
      () => api(h.baseUrl).call('PUT', `/analyses/${id}/results`, { results_summary: SPEC_RESULTS }, headers),
      () => api(h.baseUrl).call('GET', '/cache/stats', undefined, headers),
      () => api(h.baseUrl).call('GET', '/metrics', undefined, headers),
    ];

    it('answers 401 UNAUTHORIZED without the token, or with a wrong one, and changes nothing', async () => {
      const pending = (await api(h.baseUrl).call('POST', '/analyses', { url: uniqueUrl() }, bearer(TOKEN))).body
        .analysis_id as string;
      const count = async () =>
        Number((await h.container.db('analyses').count<{ count: string }[]>('* as count'))[0]!.count);
      const before = await count();
      for (const headers of [
        {},
        bearer('wrong-token-0123456789abcdef'),
        bearer(`${TOKEN}x`),
        { authorization: TOKEN },
        { authorization: `Basic ${TOKEN}` },
      ]) {
        for (const call of operator(headers, pending)) {
          const res = await call();
          expect(res.status, JSON.stringify(headers)).to.equal(401);
          expect(res.body.error).to.equal('UNAUTHORIZED');
          expect(res.headers.get('www-authenticate')).to.equal('Bearer');
        }
      }
      expect(await count()).to.equal(before);
      expect((await h.container.db('analyses').where({ id: pending }).first()).status).to.equal('PENDING');
    });

    it('lets the right token through', async () => {
      const pending = (await api(h.baseUrl).call('POST', '/analyses', { url: uniqueUrl() }, bearer(TOKEN))).body
        .analysis_id as string;
      const statuses = [];
      for (const call of operator(bearer(TOKEN), pending)) statuses.push((await call()).status);
      expect(statuses).to.deep.equal([201, 200, 200, 200]);
    });

    it('needs no token on the dashboard endpoints the frontend calls: the analysis id is the capability', async () => {
      const id = (
        await api(h.baseUrl).call(
          'POST',
          '/analyses',
          { url: uniqueUrl(), results_summary: SPEC_RESULTS },
          bearer(TOKEN),
        )
      ).body.analysis_id as string;
      const client = api(h.baseUrl);
      for (const p of ['', '/metrics', '/recommendations', '/badges'])
        expect((await client.get(`/dashboard/${id}${p}`)).status, p).to.equal(200);
      expect(
        (await client.post(`/dashboard/${id}/progress`, { opportunity_id: 'value_creation', status: 'IN_PROGRESS' }))
          .status,
      ).to.equal(200);
      expect(
        (await client.post(`/dashboard/${id}/subscribe`, { email: 'x@example.com', frequency: 'weekly' })).status,
      ).to.equal(201);
      expect((await client.get(`/analyses/${id}`)).status).to.equal(200);
      expect((await client.get('/health')).status).to.equal(200);
      expect((await client.get('/openapi.json')).status).to.equal(200);
    });
  });
}

describe('operator endpoints without ADMIN_TOKEN (embedded mode)', function () {
  let h: Harness;
  before(async () => {
    h = await startHarness('pglite');
  });
  after(() => h.close());

  it('stay open, so the two-command start keeps working', async () => {
    expect((await api(h.baseUrl).post('/analyses', { url: uniqueUrl() })).status).to.equal(201);
    expect((await api(h.baseUrl).get('/cache/stats')).status).to.equal(200);
  });
});

describe('serve in production mode', function () {
  it('refuses to start without an ADMIN_TOKEN of 16 characters or more, and says how to make one', () => {
    const production = loadConfig({ DATABASE_URL: TEST_DATABASE_URL });
    expect(() => assertServable(production)).to.throw(
      ConfigError,
      /ADMIN_TOKEN is required[\s\S]*openssl rand -hex 32/,
    );
    expect(() => loadConfig({ DATABASE_URL: TEST_DATABASE_URL, ADMIN_TOKEN: 'short' })).to.throw(
      ConfigError,
      /ADMIN_TOKEN: must be at least 16 characters/,
    );
    const complete = {
      DATABASE_URL: TEST_DATABASE_URL,
      ADMIN_TOKEN: TOKEN,
      UNSUBSCRIBE_SECRET: 'admin-auth-secret-0123456789',
      MAIL_POSTAL_ADDRESS: '1000 rue Sherbrooke Ouest, Montréal',
    };
    expect(() => assertServable(loadConfig(complete))).to.not.throw();
    expect(() => assertServable(loadConfig({})), 'embedded mode needs none').to.not.throw();
  });
});
