import { expect } from 'chai';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, runCli, spawnCli, tempDir } from '../helpers/cli.js';
import { TEST_DATABASE_URL } from '../helpers/env.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { deliveryRows, reportEnv, seedSubscribers } from '../helpers/reports.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.js';

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

describe('visionaire reports / scheduler', function () {
  this.timeout(120_000);
  let smtp: SmtpSink;
  let h: Harness;
  let env: Record<string, string>;
  const children: ChildProcess[] = [];

  beforeEach(async () => {
    smtp = await startSmtpSink({ delayMs: 20 });
    h = await startHarness('postgres', { env: reportEnv(smtp.url) });
    // The CLI runs on the real clock: subscriptions are confirmed 40 days back and the catch-up
    // window spans a month, so the last weekly and monthly periods are due whatever today is.
    h.clock.set(new Date(Date.now() - 40 * 86_400_000));
    env = { ...reportEnv(smtp.url), DATABASE_URL: TEST_DATABASE_URL, LOG_LEVEL: 'warn', REPORT_CATCHUP_HOURS: '744' };
  });
  afterEach(async () => {
    for (const c of children.splice(0)) c.kill('SIGKILL');
    await h.close();
    await smtp.close();
  });

  it('reports preview renders the HTML or text email of an analysis and sends nothing', async () => {
    const [s] = await seedSubscribers(h.container, 1, { company: () => 'Préviews & Cie' });
    const file = path.join(tempDir('preview'), 'report.html');
    const html = await runCli(['reports', 'preview', s!.analysisId, '-o', file, '--json'], env);
    expect(html.code, html.stderr).to.equal(0);
    expect(JSON.parse(html.stdout)).to.include({
      format: 'html',
      frequency: 'weekly',
      subject: "Votre rapport hebdomadaire Vision'AI're — Préviews & Cie",
    });
    expect(readFileSync(file, 'utf8')).to.include('Préviews &amp; Cie');
    const text = await runCli(['reports', 'preview', s!.analysisId, '--frequency', 'monthly', '--format', 'text'], env);
    expect(text.stdout).to.match(/^Rapport mensuel Vision'AI're — Préviews & Cie/);
    // -o - is standard output, as with no -o; no file named "-" appears.
    const dash = await runCli(
      ['reports', 'preview', s!.analysisId, '--frequency', 'monthly', '--format', 'text', '-o', '-'],
      env,
    );
    expect(dash.code, dash.stderr).to.equal(0);
    expect(dash.stdout).to.equal(text.stdout);
    expect(existsSync(path.join(ROOT, '-'))).to.equal(false);
    const missing = await runCli(['reports', 'preview', '00000000-0000-4000-8000-000000000000'], env);
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.include('NOT_FOUND');
    expect(smtp.received).to.have.length(0);
    expect(await deliveryRows(h.container)).to.have.length(0);
  });

  it('reports send --dry-run lists what is due and writes nothing; reports send sends it once', async () => {
    await seedSubscribers(h.container, 3);
    await seedSubscribers(h.container, 2, { frequency: 'monthly' });
    const dry = await runCli(['reports', 'send', '--dry-run', '--json'], env);
    expect(dry.code, dry.stderr).to.equal(0);
    const plan = JSON.parse(dry.stdout);
    expect(plan.dry_run).to.equal(true);
    expect(plan.would_send).to.have.length(5);
    expect(dry.stdout).not.to.include('@example.org');
    expect(await deliveryRows(h.container)).to.have.length(0);
    expect(smtp.received).to.have.length(0);

    const weekly = await runCli(['reports', 'send', '--frequency', 'weekly', '--json'], env);
    expect(weekly.code, weekly.stderr).to.equal(0);
    expect(JSON.parse(weekly.stdout).delivered).to.include({ sent: 3, failed: 0 });
    const all = await runCli(['reports', 'send', '--json'], env);
    expect(JSON.parse(all.stdout).delivered).to.include({ sent: 2 });
    const again = await runCli(['reports', 'send', '--json'], env);
    expect(JSON.parse(again.stdout).delivered).to.include({ claimed: 0 });
    expect(smtp.received).to.have.length(5);
  });

  it('reports send fails with a clear message without UNSUBSCRIBE_SECRET or MAIL_POSTAL_ADDRESS in production mode', async () => {
    await seedSubscribers(h.container, 1);
    const { UNSUBSCRIBE_SECRET: _secret, ...noSecret } = env;
    const res = await runCli(['reports', 'send'], noSecret);
    expect(res.code).to.equal(2);
    expect(res.stderr).to.include('UNSUBSCRIBE_SECRET');
    const { MAIL_POSTAL_ADDRESS: _postal, ...noPostal } = env;
    const unidentified = await runCli(['reports', 'send'], noPostal);
    expect(unidentified.code).to.equal(2);
    expect(unidentified.stderr).to.include('MAIL_POSTAL_ADDRESS');
    expect(await deliveryRows(h.container)).to.have.length(0);
  });

  it('a worker killed mid-batch loses nothing and duplicates no row; the restart finishes the batch', async () => {
    const subs = await seedSubscribers(h.container, 120);
    const child = spawnCli(['reports', 'send', '--frequency', 'weekly'], env);
    children.push(child);
    await smtp.waitFor(30, 60_000);
    child.kill('SIGKILL');
    await exited(child);
    // A statement the worker sent just before dying still runs (and may commit) in PostgreSQL:
    // wait until its sessions are gone before reading what the kill left.
    while (
      Number(
        (
          await h.container.db.raw(
            "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'",
          )
        ).rows[0].n,
      ) > 0
    )
      await new Promise((r) => setTimeout(r, 20));

    const atKill = await deliveryRows(h.container);
    expect(atKill, 'one row per subscription, even mid-batch').to.have.length(subs.length);
    const leased = new Set(atKill.filter((r) => r.status === 'sending').map((r) => r.message_id));
    expect(leased.size, 'the kill caught rows in flight').to.be.greaterThan(0);
    expect(atKill.filter((r) => r.status === 'pending').length, 'the kill came mid-batch').to.be.greaterThan(0);

    // Restart: a new process sends what was never claimed; leased rows wait for their lease.
    const restart = await runCli(['reports', 'send', '--frequency', 'weekly', '--json'], env);
    expect(restart.code, restart.stderr).to.equal(0);
    expect((await deliveryRows(h.container)).filter((r) => r.status === 'sending')).to.have.length(leased.size);
    // Once the dead worker's lease has expired, the rows it held are sent too.
    h.clock.set(new Date(Date.now() + h.container.deliveries.options.leaseMs + 1000));
    expect((await h.container.deliveries.drain()).sent).to.equal(leased.size);

    const rows = await deliveryRows(h.container);
    expect(rows).to.have.length(subs.length);
    expect(rows.every((r) => r.status === 'sent')).to.equal(true);
    const ids = smtp.received.map((m) => m.messageId);
    expect(new Set(ids).size, 'every subscriber got the report').to.equal(subs.length);
    expect(new Set(smtp.received.map((m) => m.to[0])).size).to.equal(subs.length);
    // At-least-once: only a mail in flight at the kill may arrive twice, with the same Message-ID.
    const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i);
    expect(duplicates.every((id) => leased.has(id!))).to.equal(true);
    expect(duplicates.length).to.be.at.most(h.container.deliveries.options.concurrency);
  });

  it('two `visionaire scheduler` processes send exactly one email per subscription, and stop cleanly on SIGTERM', async () => {
    const subs = await seedSubscribers(h.container, 20, { frequency: 'weekly' });
    const procs = [0, 1].map(() => spawnCli(['scheduler', '--poll-interval', '1'], env));
    children.push(...procs);
    await smtp.waitFor(subs.length, 60_000);
    await new Promise((r) => setTimeout(r, 1500)); // a poll or two more: room for a duplicate
    const codes = procs.map(exited);
    for (const p of procs) p.kill('SIGTERM');
    expect(await Promise.all(codes)).to.deep.equal([0, 0]);
    expect(smtp.received).to.have.length(subs.length);
    const rows = await deliveryRows(h.container);
    expect(rows).to.have.length(subs.length);
    expect(rows.every((r) => r.status === 'sent' && r.attempts === 1)).to.equal(true);
  });
});
