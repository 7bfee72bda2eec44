import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';
import { cliCommandLine, cliEnv, runCli, spawnCli, tempDir, waitForOutput } from '../helpers/cli.js';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../helpers/env.js';

const sh = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

/** Runs `visionaire ARGS` on a pseudo-terminal (util-linux `script`): what a person at a terminal sees. */
function runOnTerminal(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', cliCommandLine(args).map(sh).join(' '), '/dev/null'], {
      env: { ...cliEnv(env), TERM: 'dumb', COLUMNS: '200' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    // Colours are fine on a terminal; the words are what is checked.
    child.on('close', (code) => resolve({ code, output: stripVTControlCharacters(output).replace(/\r/g, '') }));
  });
}

// `cache stats` logs "cache: Redis available" at info when its connection comes up, then prints its figures.
const statsEnv = { DATABASE_URL: TEST_DATABASE_URL, REDIS_URL: TEST_REDIS_URL, CACHE_NAMESPACE: 'test-cli-logs' };
const LOGGED = 'cache: Redis available';

describe('visionaire: log records for people and for machines', function () {
  this.timeout(120_000);

  it('prints short human lines on a terminal, not JSON, beside the command output', async () => {
    const res = await runOnTerminal(['cache', 'stats', '--log-level', 'info'], statsEnv);
    expect(res.code, res.output).to.equal(0);
    const line = res.output.split('\n').find((l) => l.includes(LOGGED));
    expect(line, res.output).to.match(/^\[\d\d:\d\d:\d\d\] INFO: cache: Redis available$/);
    expect(res.output).to.not.include('{"level"');
    expect(res.output).to.match(/hit rate\s+\d/);
  });

  it('keeps JSON on a terminal with LOG_FORMAT=json', async () => {
    const res = await runOnTerminal(['cache', 'stats', '--log-level', 'info'], { ...statsEnv, LOG_FORMAT: 'json' });
    const line = res.output.split('\n').find((l) => l.includes(LOGGED));
    expect(JSON.parse(line!)).to.include({ level: 30, msg: LOGGED });
  });

  it('keeps JSON lines off a terminal (pipes, files, containers), on stderr, apart from the output', async () => {
    const res = await runCli(['cache', 'stats', '--log-level', 'info'], statsEnv);
    expect(res.code, res.stderr).to.equal(0);
    const record = res.stderr.split('\n').find((l) => l.includes(LOGGED));
    expect(JSON.parse(record!)).to.include({ level: 30, msg: LOGGED });
    expect(res.stdout)
      .to.match(/^health /)
      .and.not.include('"level"');
  });

  it('prints human lines off a terminal with LOG_FORMAT=pretty', async () => {
    const res = await runCli(['cache', 'stats', '--log-level', 'info'], { ...statsEnv, LOG_FORMAT: 'pretty' });
    const line = res.stderr.split('\n').find((l) => l.includes(LOGGED));
    expect(line, res.stderr).to.match(/^\[\d\d:\d\d:\d\d\] INFO: cache: Redis available$/);
  });

  it('with --json, stdout carries only the JSON result, even for a server that logs to stdout', async () => {
    const env = {
      DATABASE_URL: TEST_DATABASE_URL,
      UNSUBSCRIBE_SECRET: 'cli-logs-secret-0123456789',
      MAIL_POSTAL_ADDRESS: '1 rue du Test, Montréal',
      DATA_DIR: tempDir('cli-logs'),
    };
    const child = spawnCli(['scheduler', '--json', '--log-level', 'info', '--poll-interval', '3600'], env);
    let stdout = '';
    child.stdout!.on('data', (d) => (stdout += d));
    await waitForOutput(child, /report scheduler/, 60_000);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).to.equal(0);
    expect(JSON.parse(stdout)).to.include({ stopped_by: 'SIGTERM' });
  });
});
