import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { runCli, tempDir } from '../helpers/cli.js';
import { TEST_DATABASE_URL } from '../helpers/env.js';
import { ensureDatabase } from '../helpers/postgres.js';

const url = (() => {
  const u = new URL(TEST_DATABASE_URL);
  u.pathname = `${u.pathname}_migrate_cli`;
  return u.toString();
})();

describe('visionaire migrate', function () {
  this.timeout(120_000);
  const env = () => ({ DATABASE_URL: url, DATA_DIR: tempDir('migrate') });
  const status = async () =>
    JSON.parse((await runCli(['migrate', 'status', '--json'], env())).stdout) as {
      completed: string[];
      pending: string[];
    };

  before(async () => {
    await ensureDatabase(url, { fresh: true });
    expect((await runCli(['migrate'], env())).code).to.equal(0);
  });

  it('rollback without --yes and without a terminal refuses and changes nothing', async () => {
    const before = await status();
    const res = await runCli(['migrate', 'rollback'], env());
    expect(res.code).to.equal(2);
    expect(res.stderr).to.match(/not confirmed[\s\S]*--yes/);
    expect(await status()).to.deep.equal(before);
  });

  it('rollback --yes steps back one migration at a time, and migrate brings them back', async () => {
    const before = await status();
    expect(before.completed).to.have.length.greaterThan(1);
    const first = await runCli(['migrate', 'rollback', '--yes', '--json'], env());
    expect(first.code).to.equal(0);
    expect(JSON.parse(first.stdout).changed).to.deep.equal([before.completed.at(-1)]);
    expect((await status()).completed).to.deep.equal(before.completed.slice(0, -1));

    expect((await runCli(['migrate'], env())).code).to.equal(0);
    expect(await status()).to.deep.equal(before);
  });

  it('drill backs up, restores into a scratch copy, rolls back one step, runs the old queries, migrates again, and passes', async () => {
    const e = env();
    const before = await status();
    const res = await runCli(['migrate', 'drill', '--json'], e);
    expect(res.code, res.stderr).to.equal(0);
    const report = JSON.parse(res.stdout) as { ok: boolean; backup: string; steps: { step: string; detail: string }[] };
    expect(report.ok).to.equal(true);
    expect(report.steps.map((s) => s.step)).to.deep.equal([
      'backup',
      'restore',
      'migrate',
      'rollback one step',
      "previous release's queries",
      'migrate again',
      'schema check',
    ]);
    expect(report.steps[3]!.detail).to.equal(`rolled back ${before.completed.at(-1)}`);
    expect(existsSync(report.backup)).to.equal(true);
    // The database itself was never rolled back.
    expect(await status()).to.deep.equal(before);
  });
});
