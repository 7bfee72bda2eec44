import { expect } from 'chai';
import { expectDocumented } from '../../helpers/documented.js';
import { SPEC_RESULTS, uniqueUrl } from '../../helpers/fixtures.js';
import { api, DB_MODES, startHarness, useHarness, type Harness } from '../../helpers/harness.js';
import { deliveryRows, reportEnv, seedSubscribers } from '../../helpers/reports.js';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp.js';

for (const mode of DB_MODES) {
  describe(`a dashboard's subscriptions [${mode}]`, function () {
    this.timeout(120_000); // PGlite's first start is slow on a busy machine
    const t = useHarness(mode);
    const newAnalysis = async () =>
      (await t.client.post('/analyses', { url: uniqueUrl(), results_summary: SPEC_RESULTS })).body
        .analysis_id as string;
    const subscribe = async (id: string, email: string, frequency = 'weekly') =>
      (await t.client.post(`/dashboard/${id}/subscribe`, { email, frequency })).body.subscription_id as string;

    it('lists them oldest first with masked addresses, never the full one', async () => {
      const id = await newAnalysis();
      t.h.clock.set('2026-03-02T10:00:00Z');
      const first = await subscribe(id, 'Owner@Example.com');
      t.h.clock.set('2026-03-02T11:00:00Z');
      const second = await subscribe(id, 'zoe@exemple.ca', 'monthly');
      const res = await t.client.get(`/dashboard/${id}/subscriptions`);
      expect(res.status).to.equal(200);
      expectDocumented(t.h.container, 'listDashboardSubscriptions', res);
      expect(res.body).to.deep.equal({
        analysis_id: id,
        subscriptions: [
          {
            subscription_id: first,
            frequency: 'weekly',
            status: 'pending',
            created_at: '2026-03-02T10:00:00.000Z',
            masked_email: 'o•••@example.com',
          },
          {
            subscription_id: second,
            frequency: 'monthly',
            status: 'pending',
            created_at: '2026-03-02T11:00:00.000Z',
            masked_email: 'z•••@exemple.ca',
          },
        ],
      });
      expect(JSON.stringify(res.body)).not.to.include('owner@');
    });

    it('shows each state: active, pending, suspended, unsubscribed', async () => {
      const id = await newAnalysis();
      const ids = await Promise.all(['a@x.org', 'b@x.org', 'c@x.org', 'd@x.org'].map((e) => subscribe(id, e)));
      const db = t.h.container.db;
      await db('email_subscriptions').whereIn('id', [ids[0]!, ids[2]!]).update({ confirmed_at: new Date() });
      await db('email_subscriptions').where({ id: ids[2] }).update({ active: false, suspended_at: new Date() });
      await db('email_subscriptions').where({ id: ids[3] }).update({ active: false });
      const res = await t.client.get(`/dashboard/${id}/subscriptions`);
      const status = Object.fromEntries(
        (res.body.subscriptions as { subscription_id: string; status: string }[]).map((s) => [
          s.subscription_id,
          s.status,
        ]),
      );
      expect(ids.map((s) => status[s])).to.deep.equal(['active', 'pending', 'suspended', 'unsubscribed']);
    });

    it("changes one's frequency and answers with the entry", async () => {
      const id = await newAnalysis();
      const sub = await subscribe(id, 'owner@example.com');
      const res = await t.client.call('PATCH', `/dashboard/${id}/subscriptions/${sub.toUpperCase()}`, {
        frequency: 'monthly',
      });
      expect(res.status).to.equal(200);
      expectDocumented(t.h.container, 'updateDashboardSubscription', res);
      expect(res.body).to.include({ subscription_id: sub, frequency: 'monthly', masked_email: 'o•••@example.com' });
      expect((await t.h.container.db('email_subscriptions').where({ id: sub }).first()).frequency).to.equal('monthly');
    });

    it('refuses a frequency it does not know, changing nothing', async () => {
      const id = await newAnalysis();
      const sub = await subscribe(id, 'owner@example.com');
      const res = await t.client.call('PATCH', `/dashboard/${id}/subscriptions/${sub}`, { frequency: 'daily' });
      expect(res.status).to.equal(400);
      expect(res.body.error).to.equal('INVALID_INPUT');
      expect(res.body.fields[0].field).to.equal('body.frequency');
      expect((await t.h.container.db('email_subscriptions').where({ id: sub }).first()).frequency).to.equal('weekly');
    });

    it("answers 404 for another dashboard's subscription, showing and changing nothing of it", async () => {
      const mine = await newAnalysis();
      const theirs = await newAnalysis();
      const sub = await subscribe(theirs, 'other@example.com');
      const patch = await t.client.call('PATCH', `/dashboard/${mine}/subscriptions/${sub}`, { frequency: 'monthly' });
      const del = await t.client.call('DELETE', `/dashboard/${mine}/subscriptions/${sub}`);
      for (const res of [patch, del]) {
        expect(res.status).to.equal(404);
        expect(res.body.error).to.equal('NOT_FOUND');
        expect(JSON.stringify(res.body)).not.to.include('other');
      }
      expectDocumented(t.h.container, 'updateDashboardSubscription', patch);
      const row = await t.h.container.db('email_subscriptions').where({ id: sub }).first();
      expect(row).to.include({ frequency: 'weekly', active: true });
      expect((await t.client.get(`/dashboard/${mine}/subscriptions`)).body.subscriptions).to.deep.equal([]);
    });

    it('answers 404 for an unknown dashboard or subscription, 400 for an id that is not a UUID', async () => {
      const id = await newAnalysis();
      const unknown = '00000000-0000-4000-8000-000000000000';
      expect((await t.client.get(`/dashboard/${unknown}/subscriptions`)).status).to.equal(404);
      expect((await t.client.call('DELETE', `/dashboard/${id}/subscriptions/${unknown}`)).status).to.equal(404);
      const bad = await t.client.call('DELETE', `/dashboard/${id}/subscriptions/nope`);
      expect(bad.status).to.equal(400);
      expect(bad.body.fields[0].field).to.equal('path.subscriptionId');
    });
  });
}

describe('DELETE /dashboard/:id/subscriptions/:subscriptionId', function () {
  this.timeout(60_000);
  let smtp: SmtpSink;
  let h: Harness;
  let client: ReturnType<typeof api>;
  before(async () => {
    smtp = await startSmtpSink();
    h = await startHarness('postgres', { env: reportEnv(smtp.url) });
    client = api(h.baseUrl);
  });
  after(async () => {
    await h?.close();
    await smtp?.close();
  });
  beforeEach(async () => {
    await h.reset();
    smtp.received.length = 0;
    h.clock.set('2026-03-02T10:00:00Z');
  });

  it('unsubscribes with 204, records the withdrawal (source dashboard) and sends no report afterwards', async () => {
    const [cancelled, kept] = await seedSubscribers(h.container, 2);
    h.clock.set('2026-03-05T15:30:00Z');
    const res = await client.call(
      'DELETE',
      `/dashboard/${cancelled!.analysisId}/subscriptions/${cancelled!.subscriptionId}`,
      undefined,
      { 'user-agent': 'dashboard-frontend/2.0' },
    );
    expect(res.status).to.equal(204);
    expect(res.body).to.equal('');

    const [record] = await h.container.consents.consentRecords(cancelled!.analysisId);
    expect(record).to.include({
      status: 'unsubscribed',
      active: false,
      withdrawal_source: 'dashboard',
      withdraw_ip: '127.0.0.x',
      withdraw_user_agent: 'dashboard-frontend/2.0',
    });
    expect(record!.withdrawn_at!.toISOString()).to.equal('2026-03-05T15:30:00.000Z');
    const admin = await client.get(`/admin/analyses/${cancelled!.analysisId}/consents`);
    expect(admin.body[0]).to.include({ withdrawal_source: 'dashboard', withdrawn_at: '2026-03-05T15:30:00.000Z' });

    h.clock.set('2026-03-09T13:00:00Z'); // Monday 09:00 in Montréal
    const result = await h.container.deliveries.sendDue();
    expect(result.delivered).to.include({ sent: 1 });
    expect(smtp.received.map((m) => m.to[0])).to.deep.equal([kept!.email]);
    expect((await deliveryRows(h.container)).map((d) => d.subscription_id)).to.deep.equal([kept!.subscriptionId]);
  });

  it('cancels a report already queued for it', async () => {
    const [sub] = await seedSubscribers(h.container, 1);
    h.clock.set('2026-03-09T13:00:00Z');
    await h.container.deliveries.enqueueDue('weekly');
    expect(await deliveryRows(h.container)).to.have.length(1);
    await client.call('DELETE', `/dashboard/${sub!.analysisId}/subscriptions/${sub!.subscriptionId}`);
    expect(await h.container.deliveries.drain()).to.include({ cancelled: 1, sent: 0 });
    expect(smtp.received).to.have.length(0);
    expect((await deliveryRows(h.container))[0].status).to.equal('cancelled');
  });

  it('is harmless to repeat: the first withdrawal stays on the record', async () => {
    const [sub] = await seedSubscribers(h.container, 1);
    const path = `/dashboard/${sub!.analysisId}/subscriptions/${sub!.subscriptionId}`;
    expect((await client.call('DELETE', path)).status).to.equal(204);
    h.clock.set('2026-03-03T10:00:00Z');
    expect((await client.call('DELETE', path)).status).to.equal(204);
    const [record] = await h.container.consents.consentRecords(sub!.analysisId);
    expect(record!.withdrawn_at!.toISOString()).to.equal('2026-03-02T10:00:00.000Z');
  });
});

describe("a dashboard's subscriptions under the per-IP limit", function () {
  const t = useHarness('postgres', { env: { RATE_LIMIT_PER_MINUTE: '3' }, redis: true });

  it('count like any public call: the fourth call in a minute gets 429 with Retry-After', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await t.client.get(`/dashboard/${id}/subscriptions`)).status);
    const over = await t.client.call('DELETE', `/dashboard/${id}/subscriptions/${id}`);
    expect(statuses).to.deep.equal([404, 404, 404]);
    expect(over.status).to.equal(429);
    expect(over.body.error).to.equal('RATE_LIMIT_EXCEEDED');
    expect(Number(over.headers.get('retry-after'))).to.be.greaterThan(0);
    expect(over.headers.get('ratelimit-remaining')).to.equal('0');
  });
});
