import { expect } from 'chai';
import { startConfirmationWorker, type ConfirmationWorker } from '../../../src/jobs/confirmation-worker.js';
import { DAY } from '../../helpers/clock.js';
import { SPEC_RESULTS, uniqueUrl } from '../../helpers/fixtures.js';
import { api, startHarness, type Harness } from '../../helpers/harness.js';
import { captureLogs } from '../../helpers/log-capture.js';
import { deliveryRows, reportEnv } from '../../helpers/reports.js';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp.js';

const POSTAL = '1000 rue Sherbrooke Ouest, Montréal (Québec) H3A 3G4';

describe('double opt-in through a real SMTP server', function () {
  this.timeout(60_000);
  let smtp: SmtpSink;
  let h: Harness;
  let client: ReturnType<typeof api>;
  let worker: ConfirmationWorker;
  const logs = captureLogs();

  before(async () => {
    smtp = await startSmtpSink();
    h = await startHarness('postgres', { env: reportEnv(smtp.url), overrides: { logger: logs.logger } });
    client = api(h.baseUrl);
    // As `serve` runs it; a long poll, so only a subscribe's wake-up sends right away.
    worker = startConfirmationWorker({ consents: h.container.consents, logger: h.container.logger, pollMs: 3_600_000 });
  });
  after(async () => {
    await worker?.stop();
    await h?.close();
    await smtp?.close();
  });
  beforeEach(async () => {
    await h.reset();
    smtp.received.length = 0;
    h.clock.set('2026-03-02T10:00:00Z');
  });

  const newAnalysis = async () =>
    (await client.post('/analyses', { url: uniqueUrl(), results_summary: SPEC_RESULTS })).body.analysis_id as string;
  const subscribe = (id: string, email: string, extra: Record<string, unknown> = {}) =>
    client.post(
      `/dashboard/${id}/subscribe`,
      { email, frequency: 'weekly', ...extra },
      { 'user-agent': 'dashboard-frontend/2.0' },
    );
  const row = (id: string) => h.container.db('email_subscriptions').where({ id }).first();
  /** The confirmation link of the i-th mail received, as a path under the API. */
  async function confirmPath(i: number): Promise<string> {
    const text = String((await smtp.parse(i)).text);
    const url = /https:\/\/api\.visionaire\.test\/api\/v1(\/subscriptions\/confirm\/[A-Za-z0-9_.-]+)/.exec(text)?.[1];
    expect(url, text).to.be.a('string');
    return url!;
  }

  it('sends a French confirmation email at once; GET on its link changes nothing; POST confirms and keeps the proof', async () => {
    const id = await newAnalysis();
    const res = await subscribe(id, 'Owner@Example.com');
    expect(res.status).to.equal(201);
    expect(res.body).to.include({ status: 'pending', active: false, email: 'owner@example.com' });
    await smtp.waitFor(1);

    const mail = await smtp.parse(0);
    expect(smtp.received[0]!.to).to.deep.equal(['owner@example.com']);
    expect(mail.subject).to.match(/^Confirmez votre abonnement aux rapports Vision'AI're/);
    expect(mail.headerLines.some((l) => l.key === 'list-unsubscribe')).to.equal(true);
    expect(mail.headerLines.some((l) => l.line === 'List-Unsubscribe-Post: List-Unsubscribe=One-Click')).to.equal(true);
    expect(String(mail.text)).to.include(`Vision'AI're · ${POSTAL}`);
    expect(String(mail.html)).to.include(POSTAL);
    const path = await confirmPath(0);

    const page = await fetch(h.baseUrl + path);
    expect(page.status).to.equal(200);
    const html = await page.text();
    expect(html).to.include('<form method="post"');
    expect(html).to.include('Confirmer mon abonnement');
    let sub = await row(res.body.subscription_id);
    expect(sub.confirmed_at, 'a GET (a link scanner) confirms nothing').to.equal(null);

    h.clock.set('2026-03-02T10:05:00Z');
    const confirmed = await client.post(path, undefined, {
      'user-agent': 'owner-browser/1.0',
      accept: 'application/json',
    });
    expect(confirmed.status).to.equal(200);
    expect(confirmed.body).to.include({ confirmed: true, changed: true, status: 'active', analysis_id: id });
    sub = await row(res.body.subscription_id);
    expect(sub.consent_requested_at.toISOString()).to.equal('2026-03-02T10:00:00.000Z');
    expect(sub.confirmed_at.toISOString()).to.equal('2026-03-02T10:05:00.000Z');
    expect(sub).to.include({ consent_request_ip: '127.0.0.1', consent_request_user_agent: 'dashboard-frontend/2.0' });
    expect(sub).to.include({ consent_confirm_ip: '127.0.0.1', consent_confirm_user_agent: 'owner-browser/1.0' });
    expect((await client.post(path)).body).to.include({ changed: false });

    const [record] = await h.container.consents.consentRecords(id);
    expect(record).to.include({
      email: 'o***@example.com',
      status: 'active',
      request_ip: '127.0.0.x',
      confirm_user_agent: 'owner-browser/1.0',
    });
    expect(logs.text().toLowerCase()).not.to.include('owner@example.com');
  });

  it('sends reports to confirmed subscriptions only', async () => {
    const id = await newAnalysis();
    await subscribe(id, 'confirmed@example.org');
    await subscribe(id, 'pending@example.org');
    await smtp.waitFor(2);
    const links = await Promise.all([0, 1].map(confirmPath));
    const which = smtp.received.findIndex((m) => m.to[0] === 'confirmed@example.org');
    expect((await client.post(links[which]!)).status).to.equal(200);
    smtp.received.length = 0;

    h.clock.set('2026-03-09T13:00:00Z'); // Monday 09:00 in Montréal
    const result = await h.container.deliveries.sendDue();
    expect(result.delivered).to.include({ sent: 1 });
    expect(smtp.received.map((m) => m.to[0])).to.deep.equal(['confirmed@example.org']);
    expect(await deliveryRows(h.container)).to.have.length(1);
  });

  it('lets a pending subscription expire after 7 days: the link stops working and the address is deleted', async () => {
    const id = await newAnalysis();
    const res = await subscribe(id, 'late@example.org');
    await smtp.waitFor(1);
    const path = await confirmPath(0);
    h.clock.set(new Date(Date.parse('2026-03-02T10:00:00Z') + 7 * DAY));
    expect(await (await fetch(h.baseUrl + path)).text()).to.include('Ce lien de confirmation a expiré');
    const late = await client.post(path);
    expect(late.status).to.equal(404);
    expect((await row(res.body.subscription_id)).confirmed_at).to.equal(null);
    expect(await h.container.consents.sendConfirmations()).to.include({ expired: 1 });
    expect(await row(res.body.subscription_id)).to.equal(undefined);
  });

  it('answers 401 to a forged token, to an unsubscribe token used as a confirmation, and to the reverse', async () => {
    const id = await newAnalysis();
    const res = await subscribe(id, 'owner@example.org');
    await smtp.waitFor(1);
    const path = await confirmPath(0);
    const token = path.split('/').pop()!;
    const forged = `${token.slice(0, 23)}${token[23] === 'A' ? 'B' : 'A'}${token.slice(24)}`;
    for (const bad of [
      forged,
      new URL(h.container.unsubscribes.url(res.body.subscription_id)).pathname.split('/').pop()!,
    ]) {
      expect((await client.get(`/subscriptions/confirm/${bad}`)).status).to.equal(401);
      const post = await client.post(`/subscriptions/confirm/${bad}`);
      expect(post.status).to.equal(401);
      expect(post.body.error).to.equal('UNAUTHORIZED');
    }
    expect((await row(res.body.subscription_id)).confirmed_at).to.equal(null);
    const unsubscribe = await client.post(`/unsubscribe/${token}`);
    expect(unsubscribe.status, 'a confirmation token does not unsubscribe').to.equal(401);
    expect((await row(res.body.subscription_id)).active).to.equal(true);
  });

  it('answers a subscribe the same way whether or not the address is known elsewhere, and keeps a confirmed one confirmed', async () => {
    const first = await newAnalysis();
    const known = await subscribe(first, 'known@example.org');
    await smtp.waitFor(1);
    expect((await client.post(await confirmPath(0))).status).to.equal(200);

    const second = await newAnalysis();
    const a = await subscribe(second, 'known@example.org');
    const b = await subscribe(second, 'unknown@example.org');
    const shape = (r: typeof a) => ({
      status: r.status,
      keys: Object.keys(r.body).sort(),
      state: r.body.status,
      active: r.body.active,
    });
    expect(shape(a)).to.deep.equal(shape(b));
    expect(shape(a)).to.include({ status: 201, state: 'pending' });
    await smtp.waitFor(3);
    expect(
      smtp.received
        .slice(1)
        .map((m) => m.to[0])
        .sort(),
      'each address confirms for this dashboard',
    ).to.deep.equal(['known@example.org', 'unknown@example.org']);

    // Re-subscribing: a confirmed subscription stays confirmed and answers as before (200).
    const again = await subscribe(first, 'KNOWN@example.org', { frequency: 'monthly' });
    expect(again.status).to.equal(200);
    expect(again.body).to.include({
      subscription_id: known.body.subscription_id,
      status: 'active',
      frequency: 'monthly',
    });
    // A pending one answers 200 pending, without mailing the address again right away.
    const pending = await subscribe(second, 'unknown@example.org');
    expect(pending.status).to.equal(200);
    expect(pending.body).to.include({ status: 'pending' });
    await h.container.consents.sendConfirmations();
    expect(smtp.received).to.have.length(3);
  });

  it('asks for consent again when an unsubscribed address subscribes again', async () => {
    const id = await newAnalysis();
    const res = await subscribe(id, 'back@example.org');
    await smtp.waitFor(1);
    await client.post(await confirmPath(0));
    const unsubscribe = new URL(h.container.unsubscribes.url(res.body.subscription_id)).pathname.replace('/api/v1', '');
    expect((await client.post(unsubscribe)).status).to.equal(200);
    const back = await subscribe(id, 'back@example.org');
    expect(back.status).to.equal(200);
    expect(back.body).to.include({ status: 'pending', active: false });
    await smtp.waitFor(2);
    expect((await row(res.body.subscription_id)).confirmed_at).to.equal(null);
  });
});
