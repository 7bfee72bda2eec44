import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { cliCommandLine, cliEnv, ROOT, runCli, tempDir } from '../helpers/cli.js';
import { TEST_DATABASE_URL } from '../helpers/env.js';
import { SPEC_RESULTS, uniqueUrl } from '../helpers/fixtures.js';
import { testConfig } from '../helpers/harness.js';
import { pdfText, pdfTextRuns } from '../helpers/pdf.js';
import { createContainer, type Container } from '../../src/container.js';

describe('visionaire reports export', function () {
  this.timeout(60_000);
  const env = { DATABASE_URL: TEST_DATABASE_URL };
  let c: Container;
  let id: string;
  before(async () => {
    c = createContainer(testConfig('postgres'));
    await c.migrate();
    ({ analysis_id: id } = await c.analyses.createAnalysis({ url: uniqueUrl(), results_summary: SPEC_RESULTS }));
    await c.progress.updateProgress(id, { opportunity_id: 'digital_presence', status: 'IMPLEMENTED', hourly_rate: 50 });
  });
  after(() => c.close());

  it('writes a valid PDF with the chosen sections and returns path, bytes and sections with --json', async () => {
    const file = path.join(tempDir('pdf'), 'summary.pdf');
    const res = await runCli(['reports', 'export', id, '-o', file, '--sections', 'metrics,summary', '--json'], env);
    expect(res.code, res.stderr).to.equal(0);
    const pdf = await readFile(file);
    expect(JSON.parse(res.stdout)).to.deep.equal({ path: file, bytes: pdf.length, sections: ['summary', 'metrics'] });
    expect(pdf.subarray(0, 5).toString()).to.equal('%PDF-');
    const runs = pdfTextRuns(pdf);
    expect(runs).to.include.members(['Résumé', 'Économies', '39\u202F000\u00A0$', '13\u202F000\u00A0$']);
    expect(runs).not.to.include('Opportunités');
    expect((await pdfText(pdf)).text).to.include('Example Inc.');
  });

  it('writes every section by default and says where, under the old name report export too', async () => {
    const file = path.join(tempDir('pdf'), 'full.pdf');
    const res = await runCli(['report', 'export', id, '--output', file], env);
    expect(res.code, res.stderr).to.equal(0);
    expect(res.stdout).to.match(
      /^wrote .*full\.pdf \(\d+ bytes; sections: summary, opportunities, badges, metrics, recommendations\)/,
    );
    expect(pdfTextRuns(await readFile(file))).to.include.members(['Opportunités', 'Badges', 'Prochaines étapes']);
  });

  it('-o - writes the PDF to standard output, alone, and says so on stderr', async () => {
    const [node, ...args] = cliCommandLine(['reports', 'export', id, '-o', '-', '--sections', 'summary']);
    const child = spawn(node!, args, { cwd: ROOT, env: cliEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code, stderr).to.equal(0);
    const pdf = Buffer.concat(chunks);
    expect(pdf.subarray(0, 5).toString()).to.equal('%PDF-');
    expect(pdf.subarray(-6).toString()).to.match(/%%EOF\s*$/);
    expect(pdfTextRuns(pdf)).to.include('Résumé');
    expect(stderr).to.equal(`wrote standard output (${pdf.length} bytes; sections: summary)\n`);
    expect(await stat(path.join(ROOT, '-')).catch(() => null), 'a file named -').to.equal(null);
  });

  it('rejects unknown sections, a malformed id and an unknown analysis with exit 2, writing nothing', async () => {
    const dir = tempDir('pdf');
    const bad = await runCli(
      ['reports', 'export', id, '-o', path.join(dir, 'a.pdf'), '--sections', 'summary,charts'],
      env,
    );
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.match(/INVALID_INPUT: unknown section\(s\) charts/);
    const malformed = await runCli(['reports', 'export', 'nope', '-o', path.join(dir, 'b.pdf')], env);
    expect(malformed.code).to.equal(2);
    expect(malformed.stderr).to.match(/INVALID_INPUT/);
    const unknown = await runCli(
      ['reports', 'export', '11111111-2222-4333-8444-555555555555', '-o', path.join(dir, 'c.pdf'), '--json'],
      env,
    );
    expect(unknown.code).to.equal(2);
    expect(JSON.parse(unknown.stdout)).to.include({ error: 'NOT_FOUND' });
    for (const f of ['a.pdf', 'b.pdf', 'c.pdf'])
      expect(await stat(path.join(dir, f)).catch(() => null), f).to.equal(null);
  });
});
