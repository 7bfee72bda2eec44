import { expect } from 'chai';
import { runCli } from '../helpers/cli.js';
import { TEST_DATABASE_URL } from '../helpers/env.js';
import { SPEC_RESULTS, uniqueUrl } from '../helpers/fixtures.js';
import { useContainer } from '../helpers/harness.js';

describe('visionaire analyses list / show', function () {
  this.timeout(60_000);
  const t = useContainer('postgres');
  const env = { DATABASE_URL: TEST_DATABASE_URL };

  it('lists the newest analyses, filtered by URL, and shows one', async () => {
    const marker = `list-${Date.now()}`;
    const older = await t.c.analyses.createAnalysis({
      url: `https://${marker}-a.example/`,
      results_summary: SPEC_RESULTS,
    });
    await t.c.analyses.createAnalysis({ url: uniqueUrl(), results_summary: SPEC_RESULTS });
    const newer = await t.c.analyses.createAnalysis({
      url: `https://${marker}-b.example/`,
      results_summary: SPEC_RESULTS,
    });
    const list = await runCli(['analyses', 'list', '--url-contains', marker.toUpperCase(), '--json'], env);
    expect(list.code, list.stderr).to.equal(0);
    const rows = JSON.parse(list.stdout) as { id: string; company_name: string }[];
    expect(rows.map((r) => r.id)).to.deep.equal([newer.analysis_id, older.analysis_id]);
    expect(rows[0]?.company_name).to.equal(SPEC_RESULTS.identity_a1.company_name);
    const limited = await runCli(['analyses', 'list', '--url-contains', marker, '--limit', '1'], env);
    expect(limited.stdout.trim().split('\n'), limited.stderr + limited.stdout).to.have.length(1);
    expect(limited.stdout).to.include(newer.analysis_id);

    const show = await runCli(['analyses', 'show', older.analysis_id.toUpperCase()], env);
    expect(show.code, show.stderr).to.equal(0);
    expect(show.stdout).to.include(`${marker}-a.example`).and.include('digital_presence');
    const unknown = await runCli(['analyses', 'show', '11111111-2222-4333-8444-555555555555', '--json'], env);
    expect(unknown.code).to.equal(2);
    expect(JSON.parse(unknown.stdout)).to.include({ error: 'NOT_FOUND' });
  });

  it('shows the consent record of each subscription, masked', async () => {
    const { analysis_id: id } = await t.c.analyses.createAnalysis({ url: uniqueUrl(), results_summary: SPEC_RESULTS });
    await t.c.subscriptions.subscribe(
      id,
      { email: 'owner@example.com', frequency: 'weekly' },
      { ip: '203.0.113.7', userAgent: 'test-browser/1.0' },
    );
    const res = await runCli(['analyses', 'show', id, '--json'], env);
    expect(res.code, res.stderr).to.equal(0);
    const shown = JSON.parse(res.stdout) as { subscriptions: Record<string, unknown>[] };
    expect(shown.subscriptions).to.have.length(1);
    expect(shown.subscriptions[0]).to.include({
      email: 'o***@example.com',
      status: 'pending',
      request_ip: '203.0.113.x',
      request_user_agent: 'test-browser/1.0',
      confirmed_at: null,
    });
    expect(res.stdout).to.not.include('owner@example.com');
    const text = await runCli(['analyses', 'show', id], env);
    expect(text.stdout).to.match(
      /[0-9a-f-]{36} {2}pending +o\*\*\*@example\.com weekly · requested .* from 203\.0\.113\.x · not confirmed/,
    );
  });

  it('treats % and _ in the filter as plain text: nothing matches, which exits 2 and says so', async () => {
    const res = await runCli(['analyses', 'list', '--url-contains', '%_%', '--json'], env);
    expect(res.code, res.stderr).to.equal(2);
    expect(JSON.parse(res.stdout)).to.deep.equal({ error: 'NOT_FOUND', detail: 'No analysis URL contains "%_%"' });
  });
});
