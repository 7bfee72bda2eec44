import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCli, tempDir } from '../helpers/cli.js';
import { TEST_DATABASE_URL } from '../helpers/env.js';
import { SPEC_RESULTS, uniqueUrl } from '../helpers/fixtures.js';
import { useContainer } from '../helpers/harness.js';

describe('visionaire analyses import', function () {
  this.timeout(60_000);
  const t = useContainer('postgres');

  it('imports NDJSON idempotently by URL and reports invalid lines by number', async () => {
    const dir = tempDir('import');
    const [a, b] = [uniqueUrl(), uniqueUrl()];
    const lines = [
      JSON.stringify({ url: a, results_summary: SPEC_RESULTS, created_at: '2026-01-05T09:00:00Z' }),
      '',
      JSON.stringify({ url: b.replace('https://', 'https://www.'), results_summary: SPEC_RESULTS }),
      '{not json',
      JSON.stringify({ url: uniqueUrl(), results_summary: { identity_a1: {} } }),
      JSON.stringify({ url: 'ftp://nope', results_summary: SPEC_RESULTS }),
    ];
    const file = path.join(dir, 'analyses.ndjson');
    writeFileSync(file, lines.join('\n'));

    const first = await runCli(['analyses', 'import', file, '--json'], { DATABASE_URL: TEST_DATABASE_URL });
    expect(first.code, first.stderr).to.equal(1);
    const report = JSON.parse(first.stdout);
    expect(report).to.include({ created: 2, skipped: 0, failed: 3 });
    expect(report.errors.map((e: { line: number }) => e.line)).to.deep.equal([4, 5, 6]);
    expect(report.errors[1].error).to.match(/identity_a1\.company_name/);
    const row = await t.c.db('analyses').where({ url: a }).first();
    expect(row.created_at.toISOString()).to.equal('2026-01-05T09:00:00.000Z');

    writeFileSync(file, [lines[0], JSON.stringify({ url: b, results_summary: SPEC_RESULTS })].join('\n'));
    const second = await runCli(['analyses', 'import', file], { DATABASE_URL: TEST_DATABASE_URL });
    expect(second.code, second.stderr).to.equal(0);
    expect(second.stdout).to.match(/created 0, skipped 2 .* failed 0/);
  });

  it('reads a JSON array file', async () => {
    const file = path.join(tempDir('import'), 'analyses.json');
    writeFileSync(file, JSON.stringify([{ url: uniqueUrl(), results_summary: SPEC_RESULTS }, { url: 42 }], null, 2));
    const res = await runCli(['analyses', 'import', file, '--json'], { DATABASE_URL: TEST_DATABASE_URL });
    const report = JSON.parse(res.stdout);
    expect(report).to.include({ created: 1, failed: 1 });
    expect(report.errors[0].line).to.be.greaterThan(1);
  });

  it('strips a BOM and writes in batches, a URL repeated inside a file once', async () => {
    const file = path.join(tempDir('import'), 'bom.ndjson');
    const [a, b, c] = [uniqueUrl(), uniqueUrl(), uniqueUrl()];
    const rows = [a, b, a.replace('https://', 'https://www.'), c, b].map((url) =>
      JSON.stringify({ url, results_summary: SPEC_RESULTS }),
    );
    writeFileSync(file, `\uFEFF${rows.join('\n')}\n`);
    const res = await runCli(['analyses', 'import', file, '--batch-size', '2'], { DATABASE_URL: TEST_DATABASE_URL });
    expect(res.code, res.stdout).to.equal(0);
    expect(res.stdout).to.match(/created 3, skipped 2 .* failed 0/);
    expect(res.stderr).to.match(/^import: \d+\/\d+ KB .* created 3, skipped 2, failed 0$/m);
    expect(await t.c.db('analyses').whereIn('url', [a, b, c]).pluck('url')).to.have.members([a, b, c]);
  });

  it('fails clearly on a missing file', async () => {
    const res = await runCli(['analyses', 'import', '/nonexistent/file.ndjson'], { DATABASE_URL: TEST_DATABASE_URL });
    expect(res.code).to.equal(2);
    expect(res.stderr).to.match(/cannot read .*ENOENT/);
  });
});
