import { expect } from 'chai';
import { AdminClient } from '../../../src/cli/admin-client.js';
import { HEARTBEAT_INTERVAL_MS, STALE_KEPT_MS } from '../../../src/domain/liveness.js';
import { runCli } from '../../helpers/cli.js';
import { TEST_DATABASE_URL } from '../../helpers/env.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { reportEnv, seedSubscribers } from '../../helpers/reports.js';

const TOKEN = 'operator-token-0123456789';

describe('support endpoints: liveness, search, subscription view and actions [postgres]', function () {
  this.timeout(90_000);
  let h: Harness;
  let client: AdminClient;
  let origin: string;
  let subs: { analysisId: string; subscriptionId: string; email: string }[];
  before(async () => {
    h = await startHarness('postgres', {
      env: { ...reportEnv('smtp://127.0.0.1:9'), ADMIN_TOKEN: TOKEN, REPORT_TIME_ZONE: 'UTC' },
    });
    await h.reset();
    await h.container.db('worker_heartbeats').delete();
    origin = h.baseUrl.replace(/\/api\/v1$/, '');
    client = new AdminClient({ url: origin, token: TOKEN });
    h.clock.set('2026-03-09T09:00:00Z');
    subs = [
      ...(await seedSubscribers(h.container, 2, { company: (i) => `Boulangerie Nord ${i}` })),
      ...(await seedSubscribers(h.container, 1, { company: () => 'Garage Sud', confirmed: false })),
    ];
    await h.container.deliveries.enqueueDue('weekly');
    // The first one bounced twice: suspended, with a failed delivery.
    await h.container.db('email_subscriptions').where('id', subs[0]!.subscriptionId).update({
      active: false,
      suspended_at: h.clock.now(),
      bounce_count: 2,
    });
    await h.container.db('report_deliveries').update({
      status: 'failed',
      attempts: 1,
      last_error: '550 5.1.1 mailbox unavailable',
      failed_at: h.clock.now(),
    });
  });
  after(async () => {
    await h.container.db('worker_heartbeats').delete();
    await h.close();
  });

  it('counts live schedulers from their heartbeats, marks the silent ones stale, then drops them', async () => {
    const none = await client.overview();
    expect(none.liveness).to.include({ schedulers: 0, workers: 0 });
    const beat = h.container.liveness.start('scheduler');
    const worker = h.container.liveness.start('worker');
    await waitFor(async () => (await client.overview()).liveness?.schedulers === 1);
    const live = (await client.overview()).liveness!;
    expect(live.workers).to.equal(1);
    expect(live.instances[0]).to.include({ pid: process.pid, alive: true, beat_age_s: 0 });
    await beat.stop(); // a clean stop removes its row
    await worker.stop();
    expect((await client.overview()).liveness?.instances).to.deep.equal([]);

    const dead = h.container.liveness.start('scheduler');
    await waitFor(async () => (await client.overview()).liveness?.schedulers === 1);
    await dead.stop().then(() =>
      h.container.db('worker_heartbeats').insert({
        instance_id: dead.instanceId,
        role: 'scheduler',
        host: 'gone',
        pid: 1,
        started_at: h.clock.now(),
        last_beat_at: h.clock.now(),
      }),
    );
    h.clock.advance(3 * HEARTBEAT_INTERVAL_MS + 1000);
    const stale = (await client.overview()).liveness!;
    expect(stale.schedulers).to.equal(0);
    expect(stale.instances).to.have.length(1);
    expect(stale.instances[0]).to.include({ alive: false, beat_age_s: 16 });
    h.clock.advance(STALE_KEPT_MS);
    const other = h.container.liveness.start('worker'); // any beat drops rows silent for 10 minutes
    await waitFor(async () => (await client.overview()).liveness?.instances.length === 1);
    expect((await client.overview()).liveness?.instances[0]).to.include({ role: 'worker' });
    await other.stop();
  });

  it('finds subscriptions by a piece of the email, the company, the analysis id or the subscription id', async () => {
    const byCompany = await client.searchSubscriptions('boulangerie nord');
    expect(byCompany.map((s) => s.subscription_id).sort()).to.deep.equal(
      [subs[0]!.subscriptionId, subs[1]!.subscriptionId].sort(),
    );
    expect((await client.searchSubscriptions('SUBSCRIBER-0@')).map((s) => s.email)).to.include(
      'subscriber-0@example.org',
    );
    expect((await client.searchSubscriptions(subs[2]!.analysisId.slice(0, 13)))[0]).to.include({
      subscription_id: subs[2]!.subscriptionId,
      status: 'pending',
      company_name: 'Garage Sud',
    });
    expect((await client.searchSubscriptions(subs[1]!.subscriptionId.slice(24)))[0]?.status).to.equal('active');
    expect(await client.searchSubscriptions('100%_')).to.deep.equal([]); // pattern characters are literal
  });

  it('shows one subscription in full: state, consent record, bounces, deliveries newest first', async () => {
    const s = await client.subscription(subs[0]!.subscriptionId.toUpperCase());
    expect(s).to.include({
      email: subs[0]!.email,
      analysis_id: subs[0]!.analysisId,
      status: 'suspended',
      bounce_count: 2,
      frequency: 'weekly',
      time_zone: 'UTC',
    });
    expect(s.consent).to.include({ request_ip: null, confirm_ip: '127.0.0.x', confirm_user_agent: 'test' });
    expect(s.deliveries).to.have.length(1);
    expect(s.deliveries[0]).to.include({
      period_key: '2026-W10',
      state: 'failed',
      last_error: '550 5.1.1 mailbox unavailable',
    });
    const missing = await fetch(`${h.baseUrl}/admin/subscriptions/00000000-0000-4000-8000-000000000000`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(missing.status).to.equal(404);
    expect((await fetch(`${h.baseUrl}/admin/subscriptions?q=x`)).status).to.equal(401);
  });

  it('reactivates, resends and retries through the API, each saying whether a live worker will act', async () => {
    const reactivated = await client.reactivate(subs[0]!.subscriptionId);
    expect(reactivated.subscription).to.include({ status: 'active', bounce_count: 0 });
    expect(reactivated).to.include({
      workers_alive: 0,
      note: 'no scheduler running: no report will be queued until one starts',
    });

    const retried = await client.retryDelivery(reactivated.subscription.deliveries[0]!.id);
    expect(retried).to.include({ requeued: 1, note: 'queued — no worker is running' });
    const worker = h.container.liveness.start('worker');
    await waitFor(async () => (await client.overview()).liveness?.workers === 1);
    const failedAgain = (
      await h.container.db('report_deliveries').where('subscription_id', subs[1]!.subscriptionId)
    )[0];
    expect((await client.retryDelivery(failedAgain.id)).note).to.equal('queued — 1 live worker will send it');
    await worker.stop();

    const resent = await client.resendConfirmation(subs[2]!.subscriptionId);
    expect(resent.note).to.equal('queued — no worker is running');
    const row = await h.container.db('email_subscriptions').where('id', subs[2]!.subscriptionId).first();
    expect(row.confirmation_due_at.toISOString()).to.equal(h.clock.now().toISOString());
    const refused = await fetch(`${h.baseUrl}/admin/subscriptions/${subs[1]!.subscriptionId}/resend-confirmation`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(refused.status).to.equal(400);
    expect(await refused.json()).to.include({ error: 'INVALID_TRANSITION' });
  });

  it('gives the CLI twins the same facts: subscriptions list and show, deliveries list', async () => {
    const env = { ...reportEnv('smtp://127.0.0.1:9'), DATABASE_URL: TEST_DATABASE_URL, REPORT_TIME_ZONE: 'UTC' };
    const [list, show, deliveries] = await Promise.all([
      runCli(['subscriptions', 'list', '--status', 'pending', '--json'], env),
      runCli(['subscriptions', 'show', subs[1]!.subscriptionId, '--json'], env),
      runCli(['deliveries', 'list', '--status', 'queued', '--email', 'subscriber-0', '--json'], env),
    ]);
    expect(list.code, list.stderr).to.equal(0);
    expect(JSON.parse(list.stdout).map((s: { subscription_id: string }) => s.subscription_id)).to.deep.equal([
      subs[2]!.subscriptionId,
    ]);
    expect(JSON.parse(show.stdout)).to.deep.equal(await client.subscription(subs[1]!.subscriptionId));
    expect(
      JSON.parse(deliveries.stdout).map((d: { state: string; email: string }) => [d.state, d.email]),
    ).to.deep.equal([['queued', 'subscriber-0@example.org']]);
    const bad = await runCli(['subscriptions', 'list', '--status', 'gone', '--json'], env);
    expect(bad.code).to.equal(2);
  });
});

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('condition never held');
}
