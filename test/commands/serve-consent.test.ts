import { expect } from 'chai';
import type { ChildProcess } from 'node:child_process';
import { runCli, spawnCli, waitForOutput } from '../helpers/cli.js';
import { freePort } from '../helpers/redis-server.js';
import { TEST_DATABASE_URL } from '../helpers/env.js';
import { SPEC_RESULTS, uniqueUrl } from '../helpers/fixtures.js';
import { useContainer } from '../helpers/harness.js';
import { reportEnv } from '../helpers/reports.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.js';

describe('visionaire serve (production mode) and consent emails', function () {
  this.timeout(90_000);
  const t = useContainer('postgres');
  let smtp: SmtpSink;
  let child: ChildProcess | null = null;
  before(async () => {
    smtp = await startSmtpSink();
  });
  after(() => smtp.close());
  afterEach(() => child?.kill('SIGKILL'));

  const env = (port: number): Record<string, string> => ({
    ...reportEnv(smtp.url),
    DATABASE_URL: TEST_DATABASE_URL,
    PORT: String(port),
    HOST: '127.0.0.1',
    ADMIN_TOKEN: 'test-admin-token-0123456789',
  });

  it('sends the confirmation email from the API process itself, with no scheduler running', async () => {
    const { analysis_id } = await t.c.analyses.createAnalysis({ url: uniqueUrl(), results_summary: SPEC_RESULTS });
    const port = await freePort();
    child = spawnCli(['serve'], env(port));
    await waitForOutput(child, /listening on/, 60_000);
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/dashboard/${analysis_id}/subscribe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'owner@example.org', frequency: 'weekly' }),
    });
    expect(res.status).to.equal(201);
    expect(await res.json()).to.include({ status: 'pending' });
    await smtp.waitFor(1, 15_000);
    expect(smtp.received[0]!.to).to.deep.equal(['owner@example.org']);
    expect((await smtp.parse(0)).subject).to.match(/^Confirmez votre abonnement/);
  });

  it('refuses to start without MAIL_POSTAL_ADDRESS', async () => {
    const { MAIL_POSTAL_ADDRESS: _postal, ...rest } = env(await freePort());
    const res = await runCli(['serve'], rest);
    expect(res.code).to.equal(2);
    expect(res.stderr).to.include('MAIL_POSTAL_ADDRESS');
  });
});
