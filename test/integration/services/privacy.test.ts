import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { confirmSubscription } from '../../../src/db/subscription-repo.js';
import { runCli } from '../../helpers/cli.js';
import { TEST_DATABASE_URL } from '../../helpers/env.js';
import { SPEC_RESULTS, uniqueUrl } from '../../helpers/fixtures.js';
import { api, startHarness, type Harness } from '../../helpers/harness.js';
import { reportEnv } from '../../helpers/reports.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const IP = '203.0.113.77';
const UA = 'owner-browser/7.7 (privacy test)';

/** Every row of every table whose text (or JSON) columns contain `needle`, as `table.column`. */
async function whereFound(db: Knex, needle: string): Promise<string[]> {
  const { rows } = await db.raw(
    `SELECT table_name, column_name FROM information_schema.columns
     WHERE table_schema = current_schema()
       AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'inet', 'ARRAY')`,
  );
  const found: string[] = [];
  for (const { table_name, column_name } of rows as { table_name: string; column_name: string }[]) {
    const hit = await db.raw(`SELECT 1 FROM ?? WHERE ??::text ILIKE ? LIMIT 1`, [
      table_name,
      column_name,
      `%${needle}%`,
    ]);
    if (hit.rows.length) found.push(`${table_name}.${column_name}`);
  }
  return found;
}

describe('privacy: export and erasure of a subscriber', function () {
  this.timeout(120_000);
  let h: Harness;
  let email: string;
  let analyses: string[];
  let subs: string[];

  before(async () => {
    h = await startHarness('postgres', { env: reportEnv('smtp://127.0.0.1:9') });
  });
  after(() => h.close());

  /** One address subscribed to two analyses: one confirmed with a sent and a queued report, one unsubscribed. */
  beforeEach(async () => {
    await h.reset();
    email = `owner-${randomUUID().slice(0, 8)}@example.org`;
    const c = h.container;
    analyses = [];
    subs = [];
    for (const company of ['Boulangerie Privée', 'Garage Privé']) {
      const { analysis_id } = await c.analyses.createAnalysis({
        url: uniqueUrl(),
        results_summary: { ...SPEC_RESULTS, identity_a1: { ...SPEC_RESULTS.identity_a1, company_name: company } },
      });
      const { subscription } = await c.subscriptions.subscribe(
        analysis_id,
        { email, frequency: 'weekly', hourly_rate: 50 },
        { ip: IP, userAgent: UA },
      );
      await confirmSubscription(c.db, subscription.subscription_id, c.clock.now(), { ip: IP, userAgent: UA });
      analyses.push(analysis_id);
      subs.push(subscription.subscription_id);
    }
    const now = c.clock.now();
    await c.db('report_deliveries').insert([
      {
        subscription_id: subs[0],
        frequency: 'weekly',
        period_key: '2026-W08',
        scheduled_at: now,
        next_attempt_at: now,
        status: 'sent',
        sent_at: now,
        attempts: 1,
      },
      {
        subscription_id: subs[0],
        frequency: 'weekly',
        period_key: '2026-W09',
        scheduled_at: now,
        next_attempt_at: now,
        status: 'pending',
        last_error: `450 4.2.0 <${email}>: mailbox busy`,
        attempts: 1,
      },
    ]);
    const token = c.links.sign('unsubscribe', subs[1]!);
    const res = await api(h.baseUrl).call('POST', `/unsubscribe/${token}`, 'List-Unsubscribe=One-Click', {
      ...FORM,
      'user-agent': UA,
    });
    expect(res.status).to.equal(200);
  });

  it('exports everything held about the address, across analyses (CLI --json)', async () => {
    const res = await runCli(['privacy', 'export', '--email', email.toUpperCase(), '--json'], {
      DATABASE_URL: TEST_DATABASE_URL,
    });
    expect(res.code, res.stderr).to.equal(0);
    const data = JSON.parse(res.stdout);
    expect(data.email).to.equal(email);
    expect(data.subscriptions.map((s: { company_name: string }) => s.company_name)).to.deep.equal([
      'Boulangerie Privée',
      'Garage Privé',
    ]);
    const [active, withdrawn] = data.subscriptions;
    expect(active.state).to.equal('active');
    expect(active.consent).to.include({
      request_ip: IP,
      request_user_agent: UA,
      confirm_ip: IP,
      confirm_user_agent: UA,
    });
    expect(active.deliveries.map((d: { period_key: string; state: string }) => [d.period_key, d.state])).to.deep.equal([
      ['2026-W08', 'sent'],
      ['2026-W09', 'pending'],
    ]);
    expect(withdrawn.state).to.equal('unsubscribed');
    expect(withdrawn.consent.withdrawn_at).to.be.a('string');
    expect(withdrawn.consent).to.include({ withdraw_ip: '127.0.0.1', withdraw_user_agent: UA });
    expect(data.suppression).to.deep.equal({ suspended_subscriptions: 0, hard_bounces: 0, erasures: [] });
  });

  it('erases the address: no table holds it afterwards, counts and dates stay, the logs never held it', async () => {
    const db = h.container.db;
    const deliveriesBefore = Number((await db('report_deliveries').count({ n: '*' }))[0]!.n);
    expect(await whereFound(db, email)).to.include('email_subscriptions.email');
    expect(await whereFound(db, email)).to.include('report_deliveries.last_error');

    const refused = await runCli(['privacy', 'erase', '--email', email], { DATABASE_URL: TEST_DATABASE_URL });
    expect(refused.code).to.equal(2);
    expect(await db('email_subscriptions').where({ email })).to.have.length(2);

    const res = await runCli(['privacy', 'erase', '--email', email, '--yes', '--json', '--log-level', 'debug'], {
      DATABASE_URL: TEST_DATABASE_URL,
    });
    expect(res.code, res.stderr).to.equal(0);
    expect(JSON.parse(res.stdout)).to.include({ subscriptions: 2, deliveries: 2 });
    expect(res.stderr).to.include('subscriber data erased').and.not.include(email);

    expect(await whereFound(db, email)).to.deep.equal([]);
    expect(await whereFound(db, UA)).to.deep.equal([]);
    expect(await whereFound(db, IP)).to.deep.equal([]);
    expect(Number((await db('report_deliveries').count({ n: '*' }))[0]!.n)).to.equal(deliveriesBefore);
    const queued = await db('report_deliveries').where({ period_key: '2026-W09' }).whereNull('subscription_id');
    expect(queued.map((d) => d.status)).to.include('cancelled');
    const consents = await db('anonymised_consents').whereIn('analysis_id', analyses).orderBy('requested_at');
    expect(consents).to.have.length(2);
    expect(consents.every((c) => c.requested_at && c.confirmed_at)).to.equal(true);
    expect(consents.filter((c) => c.withdrawn_at)).to.have.length(1);

    // The salted hash proves the erasure to whoever knows the address, and to no one else.
    expect(await h.container.privacy.erasuresOf(email)).to.have.length(1);
    expect(await h.container.privacy.erasuresOf(`other-${email}`)).to.have.length(0);
    const after = await h.container.privacy.exportData(email);
    expect(after.subscriptions).to.deep.equal([]);
    expect(after.suppression.erasures).to.have.length(1);

    // Subscribing again starts a fresh double opt-in.
    const again = await api(h.baseUrl).post(`/dashboard/${analyses[0]}/subscribe`, { email, frequency: 'weekly' });
    expect(again.status).to.equal(201);
    expect(again.body.status).to.equal('pending');
  });

  it('"also delete my data" on the unsubscribe page erases the same way behind the signed link', async () => {
    const token = h.container.links.sign('unsubscribe', subs[0]!);
    const page = await fetch(`${h.baseUrl}/unsubscribe/${token}`, { headers: { accept: 'text/html' } });
    const html = await page.text();
    expect(html).to.include(`action="/api/v1/unsubscribe/${token}/erase"`);
    expect(html).to.include('supprimer mes données');

    const forged = await fetch(`${h.baseUrl}/unsubscribe/${token.slice(0, -2)}xx/erase`, {
      method: 'POST',
      headers: { ...FORM, accept: 'application/json' },
    });
    expect(forged.status).to.be.oneOf([400, 401]);
    expect(await h.container.db('email_subscriptions').where({ email })).to.have.length(2);

    const res = await fetch(`${h.baseUrl}/unsubscribe/${token}/erase`, {
      method: 'POST',
      headers: { ...FORM, accept: 'text/html' },
    });
    expect(res.status).to.equal(200);
    expect(await res.text()).to.include('Données supprimées');
    expect(await whereFound(h.container.db, email)).to.deep.equal([]);
    const [erasure] = await h.container.privacy.erasuresOf(email);
    expect(erasure).to.include({ requested_via: 'unsubscribe_link', subscriptions: 2 });
    const again = await fetch(`${h.baseUrl}/unsubscribe/${token}/erase`, {
      method: 'POST',
      headers: { ...FORM, accept: 'application/json' },
    });
    expect(again.status).to.equal(404);
  });

  it('anonymises delivery rows past 13 months and consent IPs 3 years after withdrawal; newer ones stay', async () => {
    const c = h.container;
    const now = c.clock.now();
    const monthsAgo = (m: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - m, now.getUTCDate()));
    await c
      .db('report_deliveries')
      .where({ subscription_id: subs[0], period_key: '2026-W08' })
      .update({
        created_at: monthsAgo(14),
        last_error: 'old error',
      });
    await c
      .db('email_subscriptions')
      .where({ id: subs[1] })
      .update({ consent_withdrawn_at: monthsAgo(37) });
    const pass = await c.privacy.applyRetention();
    expect(pass.deliveries).to.be.at.least(1);
    expect(pass.consent_ips).to.be.at.least(1);
    const old = await c.db('report_deliveries').where({ period_key: '2026-W08' }).whereNull('subscription_id');
    expect(old.some((d) => d.last_error === null && d.status === 'sent')).to.equal(true);
    expect(await c.db('report_deliveries').where({ subscription_id: subs[0], period_key: '2026-W09' })).to.have.length(
      1,
    );
    const withdrawn = await c.db('email_subscriptions').where({ id: subs[1] }).first();
    expect(withdrawn).to.include({ consent_request_ip: null, consent_confirm_ip: null, consent_withdraw_ip: null });
    expect(withdrawn.consent_requested_at).to.not.equal(null);
    const current = await c.db('email_subscriptions').where({ id: subs[0] }).first();
    expect(current).to.include({ consent_request_ip: IP, consent_confirm_ip: IP });
  });
});
