import { expect } from 'chai';
import { SPEC_RESULTS, uniqueUrl } from '../../helpers/fixtures.js';
import { useHarness } from '../../helpers/harness.js';
import { captureLogs } from '../../helpers/log-capture.js';

/** Active rows that cannot be used: one names a rule no code knows, one has criteria of the wrong type. */
const BROKEN = [
  { type: 'mystery', version: 1, criteria: { rule: 'moon_phase', phase: 'full' } },
  { type: 'time_saver_v2', version: 3, criteria: { rule: 'implemented_hours_per_week', min: 'ten' } },
];

describe('a badge_definitions row that cannot be used', function () {
  this.timeout(60_000);
  const logs = captureLogs('warn');
  const t = useHarness('pglite', { overrides: { logger: logs.logger } });

  beforeEach(async () => {
    await t.h.container
      .db('badge_definitions')
      .insert(BROKEN.map((b) => ({ ...b, name: b.type, description: 'broken', icon: '?', points: 5, active: true })));
  });
  afterEach(() => t.h.container.db('badge_definitions').whereIn('type', ['mystery', 'time_saver_v2']).delete());

  async function analysis(): Promise<string> {
    const { analysis_id } = await t.h.container.analyses.createAnalysis({
      url: uniqueUrl(),
      results_summary: SPEC_RESULTS,
    });
    return analysis_id;
  }

  it('is skipped: progress, the badges endpoint and the dashboard keep working with the other badges', async () => {
    const id = await analysis();
    const progress = await t.client.post(`/dashboard/${id}/progress`, {
      opportunity_id: 'value_creation',
      status: 'IMPLEMENTED',
    });
    expect(progress.status, JSON.stringify(progress.body)).to.equal(200);
    expect(progress.body.new_badges.map((b: { badge_type: string }) => b.badge_type)).to.have.members([
      'first_step',
      'quick_win',
    ]);

    const badges = await t.client.get(`/dashboard/${id}/badges`);
    expect(badges.status, JSON.stringify(badges.body)).to.equal(200);
    const pending = badges.body.in_progress.map((b: { badge_type: string }) => b.badge_type);
    expect(pending).to.include('time_saver').and.not.include('mystery').and.not.include('time_saver_v2');

    const dashboard = await t.client.get(`/dashboard/${id}`);
    expect(dashboard.status).to.equal(200);
    expect(dashboard.body.badges).to.have.length(2);
  });

  it('is logged once per process, with its type, version and what is wrong', async () => {
    const id = await analysis();
    await t.client.post(`/dashboard/${id}/progress`, { opportunity_id: 'value_creation', status: 'IN_PROGRESS' });
    await t.client.get(`/dashboard/${id}/badges`);
    await t.client.post(`/dashboard/${id}/progress`, { opportunity_id: 'value_creation', status: 'IMPLEMENTED' });
    const lines = logs
      .text()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => typeof l.badge_type === 'string');
    expect(lines.map((l) => [l.badge_type, l.badge_version])).to.have.deep.members([
      ['mystery', 1],
      ['time_saver_v2', 3],
    ]);
    const problem = (type: string) => lines.find((l) => l.badge_type === type)?.problem;
    expect(problem('mystery')).to.equal('unknown rule "moon_phase"');
    expect(problem('time_saver_v2')).to.match(/^criteria\.min: .*number/);
  });
});
