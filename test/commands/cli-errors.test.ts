import { expect } from 'chai';
import path from 'node:path';
import { runCli, tempDir } from '../helpers/cli.js';
import { TEST_DATABASE_URL } from '../helpers/env.js';

const env = { DATABASE_URL: TEST_DATABASE_URL };
const ID = '550e8400-e29b-41d4-a716-446655440000';

describe('visionaire: one way out for errors', function () {
  this.timeout(60_000);

  for (const [what, args, detail] of [
    ['a missing argument', ['reports', 'preview', '--json'], /Missing 1 required arg/],
    ['an unknown flag', ['reports', 'export', ID, '-o', 'x.pdf', '--bogus', '--json'], /Nonexistent flag: --bogus/],
    [
      'a value outside the options',
      ['reports', 'preview', ID, '--frequency', 'daily', '--json'],
      /--frequency=daily to be one of: weekly, monthly/,
    ],
    ['exclusive flags', ['badges', 'reevaluate', '--json'], /exactly one/i],
  ] as const) {
    it(`answers oclif's parse error for ${what} with {error, detail} and exit 2 under --json`, async () => {
      const res = await runCli([...args], env);
      expect(res.code, res.stderr).to.equal(2);
      const body = JSON.parse(res.stdout) as Record<string, unknown>;
      expect(Object.keys(body)).to.deep.equal(['error', 'detail']);
      expect(body.error).to.equal('INVALID_INPUT');
      expect(body.detail).to.match(detail);
    });
  }

  it('prints one clear line without --json', async () => {
    const res = await runCli(['reports', 'preview', ID, '--frequency', 'daily'], env);
    expect(res.code).to.equal(2);
    expect(res.stdout).to.equal('');
    expect(res.stderr.trim().split('\n')).to.deep.equal([
      'INVALID_INPUT: Expected --frequency=daily to be one of: weekly, monthly',
    ]);
  });

  it('validates a UUID before any query: no SQL, no driver error', async () => {
    const res = await runCli(['reports', 'preview', 'not-a-uuid'], env);
    expect(res.code).to.equal(2);
    expect(res.stderr.trim()).to.equal('INVALID_INPUT: id must be a UUID');
  });

  it('checks the output path before doing the work', async () => {
    const missing = path.join(tempDir('out'), 'missing', 'dir', 'x.html');
    const res = await runCli(['reports', 'preview', ID, '-o', missing, '--json'], env);
    expect(res.code).to.equal(2);
    expect(JSON.parse(res.stdout)).to.deep.equal({
      error: 'INVALID_INPUT',
      detail: `cannot write ${missing}: the directory ${path.dirname(missing)} does not exist`,
    });
  });

  it('gives a missing import file the same error shape', async () => {
    const res = await runCli(['analyses', 'import', 'missing.ndjson', '--json'], env);
    expect(res.code).to.equal(2);
    expect(JSON.parse(res.stdout)).to.deep.equal({
      error: 'INVALID_INPUT',
      detail: 'cannot read missing.ndjson: ENOENT',
    });
  });

  it('has a help command and suggests nothing silently for an unknown one', async () => {
    const help = await runCli(['help', 'reports'], env);
    expect(help.code, help.stderr).to.equal(0);
    expect(help.stdout)
      .to.match(/reports preview/)
      .and.match(/reports export/);
    const unknown = await runCli(['nope'], env);
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.equal('INVALID_INPUT: nope is not a visionaire command; see visionaire help\n');
  });

  it('answers an unknown command under --json with the same {error, detail} document, exit 2', async () => {
    const res = await runCli(['reports', 'exprt', ID, '--json'], env);
    expect(res.code).to.equal(2);
    expect(JSON.parse(res.stdout)).to.deep.equal({
      error: 'INVALID_INPUT',
      detail: 'reports exprt is not a visionaire command; see visionaire help reports',
    });
    expect(res.stderr).to.equal('');
  });
});
