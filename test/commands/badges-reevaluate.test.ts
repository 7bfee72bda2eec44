import { expect } from 'chai';
import { runCli } from '../helpers/cli.js';
import { TEST_DATABASE_URL } from '../helpers/env.js';
import { SPEC_RESULTS, uniqueUrl } from '../helpers/fixtures.js';
import { useContainer } from '../helpers/harness.js';

describe('visionaire badges reevaluate', function () {
  this.timeout(60_000);
  const t = useContainer('postgres');

  /** An analysis whose progress was written without badges (as before a new badge rule existed). */
  async function legacyAnalysis(): Promise<string> {
    const { analysis_id } = await t.c.analyses.createAnalysis({ url: uniqueUrl(), results_summary: SPEC_RESULTS });
    await t.c.db('user_progress').insert([
      {
        analysis_id,
        opportunity_id: 'value_creation',
        opportunity_category: 'value_creation',
        status: 'IMPLEMENTED',
        implemented_at: new Date(),
      },
      {
        analysis_id,
        opportunity_id: 'digital_presence',
        opportunity_category: 'digital_presence',
        status: 'IMPLEMENTED',
        implemented_at: new Date(),
      },
    ]);
    return analysis_id;
  }

  it('backfills one analysis and is idempotent', async () => {
    const id = await legacyAnalysis();
    const first = await runCli(['badges', 'reevaluate', '--analysis', id, '--json'], {
      DATABASE_URL: TEST_DATABASE_URL,
    });
    expect(first.code, first.stderr).to.equal(0);
    expect(JSON.parse(first.stdout)).to.deep.equal({ analyses: 1, awarded: 3, revoked: 0, skipped: [] });
    expect(await t.c.db('user_badges').where({ analysis_id: id }).pluck('badge_type')).to.have.members([
      'first_step',
      'quick_win',
      'time_saver',
    ]);
    const second = await runCli(['badges', 'reevaluate', '--analysis', id, '--json'], {
      DATABASE_URL: TEST_DATABASE_URL,
    });
    expect(JSON.parse(second.stdout)).to.deep.equal({ analyses: 1, awarded: 0, revoked: 0, skipped: [] });
  });

  it('backfills every analysis in batches, showing progress', async () => {
    const ids = [await legacyAnalysis(), await legacyAnalysis(), await legacyAnalysis()];
    const res = await runCli(['badges', 'reevaluate', '--all', '--batch-size', '2'], {
      DATABASE_URL: TEST_DATABASE_URL,
    });
    expect(res.code, res.stderr).to.equal(0);
    // Not a terminal: plain progress lines with count, total and rate, the last one complete.
    expect(res.stderr).to.match(/^reevaluate: 2\/\d+ analyses · \d+\/s/m);
    const last = res.stderr.trim().split('\n').pop() ?? '';
    const [, done, total] = /reevaluate: (\d+)\/(\d+) analyses/.exec(last) ?? [];
    expect(done).to.equal(total);
    expect(res.stdout).to.match(/checked \d+ analyses, awarded \d+ badge/);
    for (const id of ids) expect(await t.c.db('user_badges').where({ analysis_id: id })).to.have.length(3);
  });

  it('names a badge definition it cannot use in one line, applies the others and exits 1', async () => {
    const id = await legacyAnalysis();
    await t.c.db('badge_definitions').insert({
      type: 'mystery',
      version: 2,
      name: 'Mystery',
      description: 'broken',
      icon: '?',
      points: 5,
      criteria: { rule: 'moon_phase' },
    });
    try {
      const res = await runCli(['badges', 'reevaluate', '--analysis', id], { DATABASE_URL: TEST_DATABASE_URL });
      expect(res.code, res.stderr).to.equal(1);
      expect(res.stderr.trim().split('\n')).to.deep.equal([
        'INVALID_BADGE_DEFINITION: skipped badge definition mystery v2: unknown rule "moon_phase"',
      ]);
      expect(res.stdout).to.match(/awarded 3 badge/);
      const json = await runCli(['badges', 'reevaluate', '--all', '--json'], { DATABASE_URL: TEST_DATABASE_URL });
      expect(json.code).to.equal(1);
      expect(JSON.parse(json.stdout).skipped).to.deep.equal([
        { type: 'mystery', version: 2, problem: 'unknown rule "moon_phase"' },
      ]);
    } finally {
      await t.c.db('badge_definitions').where({ type: 'mystery' }).delete();
    }
  });

  it('rejects a malformed id and an unknown analysis clearly', async () => {
    const bad = await runCli(['badges', 'reevaluate', '--analysis', 'nope'], { DATABASE_URL: TEST_DATABASE_URL });
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.match(/INVALID_INPUT/);
    const unknown = await runCli(
      ['badges', 'reevaluate', '--analysis', '11111111-2222-4333-8444-555555555555', '--json'],
      { DATABASE_URL: TEST_DATABASE_URL },
    );
    expect(unknown.code).to.equal(2);
    expect(JSON.parse(unknown.stdout)).to.include({ error: 'NOT_FOUND' });
  });

  it('needs exactly one of --analysis and --all, and changes nothing otherwise', async () => {
    const neither = await runCli(['badges', 'reevaluate'], { DATABASE_URL: TEST_DATABASE_URL });
    expect(neither.code).to.equal(2);
    expect(neither.stderr).to.match(/Exactly one of the following must be provided: --all, --analysis/);
    const id = await legacyAnalysis();
    const both = await runCli(['badges', 'reevaluate', '--all', '--analysis', id], { DATABASE_URL: TEST_DATABASE_URL });
    expect(both.code).to.equal(2);
    expect(both.stderr).to.match(/--all cannot also be provided when using --analysis/);
    expect(await t.c.db('user_badges').where({ analysis_id: id })).to.deep.equal([]);
  });
});
