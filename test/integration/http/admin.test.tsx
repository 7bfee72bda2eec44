import { expect } from 'chai';
import type { ChildProcess } from 'node:child_process';
import { render } from 'ink-testing-library';
import { AdminClient } from '../../../src/cli/admin-client.js';
import { ConsoleApp } from '../../../src/console/ConsoleApp.js';
import { runCli, spawnCli, tempDir } from '../../helpers/cli.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { captureLogs } from '../../helpers/log-capture.js';
import { SPEC_RESULTS } from '../../helpers/fixtures.js';
import { deliveryRows, reportEnv, seedSubscribers } from '../../helpers/reports.js';
import { startSmtpSink, type SmtpBehaviour, type SmtpSink } from '../../helpers/smtp.js';

const TOKEN = 'operator-token-0123456789';
const tick = () => new Promise((resolve) => setTimeout(resolve, 10));
async function eventually(check: () => void | Promise<void>): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      return await check();
    } catch (err) {
      if (i >= 500) throw err;
      await tick();
    }
  }
}

describe('admin API and the console over HTTP [postgres]', function () {
  this.timeout(90_000);
  let h: Harness;
  let smtp: SmtpSink;
  const behaviour: SmtpBehaviour = {};
  let origin: string;
  before(async () => {
    smtp = await startSmtpSink(behaviour);
    // Send times in UTC: the test clock's Monday 09:00Z is the weekly send time.
    h = await startHarness('postgres', {
      env: { ...reportEnv(smtp.url), ADMIN_TOKEN: TOKEN, REPORT_TIME_ZONE: 'UTC' },
      overrides: { logger: captureLogs().logger },
    });
    origin = h.baseUrl.replace(/\/api\/v1$/, '');
    h.clock.set('2026-03-09T09:00:00Z');
  });
  after(async () => {
    await h.close();
    await smtp.close();
  });

  it('needs the operator token', async () => {
    expect((await fetch(`${h.baseUrl}/admin/console`)).status).to.equal(401);
    const wrong = await fetch(`${h.baseUrl}/admin/console`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).to.equal(401);
    expect(await wrong.json()).to.include({ error: 'UNAUTHORIZED' });
    const cli = await runCli(['console', '--once', '--json', '--url', origin], {});
    expect(cli.code).to.equal(2);
    expect(JSON.parse(cli.stdout)).to.include({ error: 'UNAUTHORIZED' });
  });

  it('serves live figures: queue by state, retrying rows with error and next attempt, failures with company and masked email', async () => {
    await seedSubscribers(h.container, 2, { company: (i) => `Atelier ${i}` });
    behaviour.failAlways = true;
    await h.container.deliveries.enqueueDue('weekly');
    await h.container.deliveries.drain();
    const retrying = await new AdminClient({ url: origin, token: TOKEN }).overview();
    expect(retrying.deliveries).to.include({ pending: 2, failed: 0 });
    expect(retrying.retrying?.map((r) => r.company_name).sort()).to.deep.equal(['Atelier 0', 'Atelier 1']);
    expect(retrying.retrying?.[0]?.last_error).to.match(/^451 Mailbox <s\*\*\*@example\.org>/);
    expect(retrying.retrying?.[0]?.next_attempt_at).to.be.a('string');

    for (const at of ['2026-03-09T09:05:00Z', '2026-03-09T09:15:00Z']) {
      h.clock.set(at);
      await h.container.deliveries.drain();
    }
    const cli = await runCli(['console', '--once', '--json', '--url', origin, '--token', TOKEN], {});
    expect(cli.code, cli.stderr).to.equal(0);
    const o = JSON.parse(cli.stdout);
    expect(o.database).to.equal('postgres');
    expect(o.deliveries).to.include({ failed: 2, pending: 0 });
    expect(o.failures[0]).to.include({ period_key: '2026-W10', attempts: 3, email: 's***@example.org' });
    expect(o.failures.map((f: { company_name: string }) => f.company_name).sort()).to.deep.equal([
      'Atelier 0',
      'Atelier 1',
    ]);
    expect(o.failures[0].failed_at).to.equal('2026-03-09T09:15:00.000Z');
    expect(o.cache).to.include({ backend: 'memory' });
    expect(o.subscriptions).to.deep.equal({
      weekly: 2,
      monthly: 0,
      awaiting_confirmation: 0,
      inactive: 0,
      suspended: 0,
    });
  });

  it('retries a failed delivery from the console: the same row and Message-ID, delivered once', async () => {
    behaviour.failAlways = false;
    const client = new AdminClient({ url: origin, token: TOKEN });
    const overview = await client.overview();
    const target = overview.failures?.[0];
    const app = render(
      <ConsoleApp
        overview={overview}
        problem={null}
        url={origin}
        rows={45}
        interactive
        onRetry={async (t) => {
          const r = await client.retry(t);
          return `requeued ${r.requeued.length}`;
        }}
      />,
    );
    const steps: [string, RegExp][] = [
      ['f', /↑↓ select/],
      ['R', /y: this delivery/],
      ['y', /requeued 1/],
    ];
    for (const [key, shown] of steps) {
      await tick();
      app.stdin.write(key);
      await eventually(() => {
        expect(app.lastFrame()).to.match(shown);
      });
    }
    app.unmount();
    const row = (await deliveryRows(h.container)).find((r) => r.id === target?.id);
    expect(row).to.include({ status: 'pending', attempts: 0 });
    expect(await h.container.deliveries.drain()).to.include({ sent: 1 });
    expect(smtp.received.map((m) => m.messageId)).to.deep.equal([row.message_id]);
  });

  it('says "service unreachable" with exit 1 when nothing answers', async () => {
    const res = await runCli(['console', '--once', '--json', '--url', 'http://127.0.0.1:9'], {});
    expect(res.code).to.equal(1);
    expect(JSON.parse(res.stdout).detail).to.match(/^service unreachable at http:\/\/127\.0\.0\.1:9/);
  });

  it('shows the consent record of an analysis, masked, to operators only', async () => {
    const { analysis_id: id } = await h.container.analyses.createAnalysis({
      url: `https://consent-${Date.now()}.example/`,
      results_summary: SPEC_RESULTS,
    });
    const subscribed = await fetch(`${h.baseUrl}/dashboard/${id}/subscribe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'owner-browser/2.0' },
      body: JSON.stringify({ email: 'owner@example.com', frequency: 'monthly' }),
    });
    expect(subscribed.status).to.equal(201);
    expect((await fetch(`${h.baseUrl}/admin/analyses/${id}/consents`)).status).to.equal(401);
    const res = await fetch(`${h.baseUrl}/admin/analyses/${id.toUpperCase()}/consents`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(res.status).to.equal(200);
    const [record, ...rest] = (await res.json()) as Record<string, unknown>[];
    expect(rest).to.deep.equal([]);
    expect(record).to.include({
      email: 'o***@example.com',
      frequency: 'monthly',
      status: 'pending',
      request_user_agent: 'owner-browser/2.0',
      confirmed_at: null,
    });
    expect(String(record!.request_ip)).to.match(/^127\.0\.0\.x$|:…$/);
    const unknown = await fetch(`${h.baseUrl}/admin/analyses/11111111-2222-4333-8444-555555555555/consents`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(unknown.status).to.equal(404);
  });
});

describe('the console beside `serve` in embedded mode', function () {
  this.timeout(120_000);
  let child: ChildProcess | null = null;
  after(() => child?.kill('SIGTERM'));

  it('reads the server over HTTP while the server holds the PGlite lock', async () => {
    const env = { DATA_DIR: tempDir('console'), HOST: '127.0.0.1', PORT: '0', SCHEDULER: 'off' };
    child = spawnCli(['serve'], env);
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child?.stdout?.on('data', (d) => {
        out += d;
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m?.[1]) resolve(m[1]);
      });
      child?.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
    });
    const res = await runCli(['console', '--once', '--json', '--url', url], env);
    expect(res.code, res.stderr).to.equal(0);
    const o = JSON.parse(res.stdout);
    expect(o.database).to.equal('pglite');
    expect(o.cache).to.include({ backend: 'memory', health: 'healthy' });
  });
});
