import { expect } from 'chai';
import { createContainer } from '../../../src/container.js';
import { startReportJobs } from '../../../src/jobs/report-jobs.js';
import { SignedLinks } from '../../../src/infra/mail/signed-links.js';
import { api, startHarness, testConfig, type Harness } from '../../helpers/harness.js';
import { reportEnv, seedSubscribers } from '../../helpers/reports.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('GET/POST /unsubscribe/:token (RFC 8058 one-click)', function () {
  let h: Harness;
  let sub: { analysisId: string; subscriptionId: string };
  let token: string;
  const active = async () =>
    (await h.container.db('email_subscriptions').where({ id: sub.subscriptionId }).first()).active;

  before(async () => {
    h = await startHarness('postgres', { env: reportEnv('smtp://127.0.0.1:9') });
  });
  after(() => h.close());
  beforeEach(async () => {
    await h.reset();
    sub = (await seedSubscribers(h.container, 1, { company: () => 'Ébénisterie <Tremblay>' }))[0]!;
    token = h.container.links.sign('unsubscribe', sub.subscriptionId);
  });

  it('GET shows a confirmation page with a one-click form and changes nothing', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${h.baseUrl}/unsubscribe/${token}`);
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.match(/^text\/html/);
      const html = await res.text();
      expect(html).to.include('<form method="post"');
      expect(html).to.include('name="List-Unsubscribe" value="One-Click"');
      expect(html).to.include('Ébénisterie &lt;Tremblay&gt;');
      expect(html).not.to.include('@example.org');
    }
    expect(await active()).to.equal(true);
  });

  it('POST with the RFC 8058 body deactivates the subscription; a repeat is harmless', async () => {
    let loads = 0;
    const cached = () => h.container.cache.wrapAnalysis(sub.analysisId, 'dashboard', 600, async () => ++loads);
    await cached();
    await cached();
    expect(loads).to.equal(1);
    const res = await api(h.baseUrl).call('POST', `/unsubscribe/${token}`, 'List-Unsubscribe=One-Click', FORM);
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({
      unsubscribed: true,
      changed: true,
      analysis_id: sub.analysisId,
      frequency: 'weekly',
    });
    expect(await active()).to.equal(false);
    await cached();
    expect(loads, "the analysis's cache entries were invalidated").to.equal(2);
    const again = await api(h.baseUrl).post(`/unsubscribe/${token}`);
    expect(again.status).to.equal(200);
    expect(again.body).to.include({ unsubscribed: true, changed: false });
    const page = await (await fetch(`${h.baseUrl}/unsubscribe/${token}`)).text();
    expect(page).to.include('déjà désabonné');
    // No report is queued for an inactive subscription.
    expect(await h.container.deliveries.enqueueDue('weekly')).to.include({ enqueued: 0 });
  });

  it('POST accepts the multipart form of RFC 8058 and answers a browser form with a page', async () => {
    const form = new FormData();
    form.set('List-Unsubscribe', 'One-Click');
    const res = await fetch(`${h.baseUrl}/unsubscribe/${token}`, {
      method: 'POST',
      body: form,
      headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
    });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/html/);
    expect(await res.text()).to.include('Désabonnement confirmé');
    expect(await active()).to.equal(false);
  });

  it('refuses forged, foreign and garbled tokens with a 4xx and changes nothing', async () => {
    const [id, mac] = token.split('.') as [string, string];
    const flipped = `${id}.${mac[0] === 'A' ? 'B' : 'A'}${mac.slice(1)}`;
    const foreign = new SignedLinks({
      secret: 'another-secret-of-enough-length',
      embedded: false,
      dataDir: '.',
    }).sign('unsubscribe', sub.subscriptionId);
    const cases: [string, number, string][] = [
      [flipped, 401, 'UNAUTHORIZED'],
      [foreign, 401, 'UNAUTHORIZED'],
      [sub.subscriptionId, 400, 'INVALID_INPUT'],
      ['not-a-token', 400, 'INVALID_INPUT'],
      [`${token}x`, 400, 'INVALID_INPUT'],
      ['%E0%A4%A', 400, 'INVALID_INPUT'],
      ['a'.repeat(500), 400, 'INVALID_INPUT'],
    ];
    for (const [t, status, code] of cases) {
      for (const method of ['GET', 'POST']) {
        const res = await api(h.baseUrl).call(
          method,
          `/unsubscribe/${t}`,
          method === 'POST' ? 'List-Unsubscribe=One-Click' : undefined,
          method === 'POST' ? FORM : { accept: 'application/json' },
        );
        expect(res.status, `${method} ${t}`).to.equal(status);
        expect(res.body.error, `${method} ${t}`).to.equal(code);
      }
    }
    expect(await active()).to.equal(true);
  });

  it('answers a bad or forged link opened in a browser with an HTML page and the right status', async () => {
    const [id, mac] = token.split('.') as [string, string];
    const forged = `${id}.${mac[0] === 'A' ? 'B' : 'A'}${mac.slice(1)}`;
    const browser = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
    for (const [t, status] of [
      [forged, 401],
      ['not-a-token', 400],
    ] as const) {
      for (const method of ['GET', 'POST']) {
        const res = await fetch(`${h.baseUrl}/unsubscribe/${t}`, {
          method,
          headers: method === 'POST' ? { ...browser, ...FORM } : browser,
          body: method === 'POST' ? 'List-Unsubscribe=One-Click' : undefined,
        });
        expect(res.status, `${method} ${t}`).to.equal(status);
        expect(res.headers.get('content-type'), `${method} ${t}`).to.match(/^text\/html/);
        expect(res.headers.get('content-security-policy'))
          .to.include("default-src 'none'")
          .and.include("frame-ancestors 'none'");
        const html = await res.text();
        expect(html).to.include('Lien invalide').and.include('<!DOCTYPE html>');
      }
    }
    // A plain fetch (Accept: */*) of the page is a browser-like GET too.
    expect((await fetch(`${h.baseUrl}/unsubscribe/${forged}`)).headers.get('content-type')).to.match(/^text\/html/);
    expect(await active()).to.equal(true);
  });

  it('says which body limit applied: 64 KB for a form', async () => {
    const res = await api(h.baseUrl).call(
      'POST',
      `/unsubscribe/${token}`,
      `List-Unsubscribe=One-Click&pad=${'x'.repeat(100 * 1024)}`,
      FORM,
    );
    expect(res.status).to.equal(413);
    expect(res.body).to.include({ error: 'PAYLOAD_TOO_LARGE', detail: 'Request body exceeds the 64 KB limit' });
    expect(await active()).to.equal(true);
  });

  it('answers 404 for a genuine token whose subscription is gone', async () => {
    await h.container.db('email_subscriptions').where({ id: sub.subscriptionId }).delete();
    const res = await api(h.baseUrl).post(`/unsubscribe/${token}`);
    expect(res.status).to.equal(404);
    expect(res.body.error).to.equal('NOT_FOUND');
  });

  it('in production mode without UNSUBSCRIBE_SECRET: links answer 503 and the scheduler refuses to start', async () => {
    const { UNSUBSCRIBE_SECRET: _s, ...env } = reportEnv('smtp://127.0.0.1:9');
    const c = createContainer(testConfig('postgres', env));
    try {
      expect(() => startReportJobs(c)).to.throw(/UNSUBSCRIBE_SECRET is not set/);
      const err = await c.unsubscribes.lookup(token).catch((e: unknown) => e);
      expect(err).to.include({ code: 'SERVICE_UNAVAILABLE', status: 503 });
    } finally {
      await c.close();
    }
  });
});
