import { expect } from 'chai';
import { computeMetrics } from '../../../src/domain/metrics.js';
import { opportunitiesOf } from '../../../src/domain/results-summary.js';
import { recommend, priorityScore } from '../../../src/domain/recommendations.js';
import { SPEC_RESULTS } from '../../helpers/fixtures.js';

const specItems = (statuses: string[]) =>
  opportunitiesOf(SPEC_RESULTS).map((o, i) => ({ ...o, status: statuses[i] as 'NOT_STARTED', implemented_at: null }));

describe('domain/metrics and recommendations', () => {
  it('computes the spec example: 15/5 h a week, 780/260 h a year, 39000/13000 CAD at 50/h', () => {
    const m = computeMetrics(specItems(['IMPLEMENTED', 'IN_PROGRESS', 'NOT_STARTED']), 50);
    expect(m).to.deep.equal({
      time_saved: { potential_weekly: 15, implemented_weekly: 5, potential_annual: 780, implemented_annual: 260 },
      money_saved: { hourly_rate: 50, potential_annual: 39000, implemented_annual: 13000, currency: 'CAD' },
    });
  });
  it('sums weekly hours exactly and cuts them to tenths for display, never showing more than done', () => {
    const items = specItems(['IMPLEMENTED', 'IMPLEMENTED', 'NOT_STARTED']).map((o, i) => ({
      ...o,
      hours_per_week: [4.98, 4.98, 1.15][i]!,
    }));
    const m = computeMetrics(items, null);
    expect(m.time_saved.implemented_weekly, '9.96 h must not show as 10 (the time_saver threshold)').to.equal(9.9);
    expect(m.time_saved.potential_weekly).to.equal(11.1);
    const single = computeMetrics([{ ...items[2]!, status: 'IMPLEMENTED' }], null);
    expect(single.time_saved.implemented_weekly).to.equal(1.1);
    const exact = computeMetrics(
      items.map((o, i) => ({ ...o, hours_per_week: [5.1, 4.9, 0][i]! })),
      null,
    );
    expect(exact.time_saved.implemented_weekly, '5.1 + 4.9 is 10, not 9.9 through 9.999999').to.equal(10);
  });

  it('computes money from the rate with its cents, rounded once to whole dollars', () => {
    const m = computeMetrics(specItems(['IMPLEMENTED', 'IN_PROGRESS', 'NOT_STARTED']), 33.33);
    // 780 h × 33.33 = 25997.40; 260 h × 33.33 = 8665.80
    expect(m.money_saved).to.include({ hourly_rate: 33.33, potential_annual: 25997, implemented_annual: 8666 });
    // 13 h × 20.50 = 266.50: half a dollar rounds up, whatever 20.5 × 13 gives in doubles.
    const half = computeMetrics([{ ...specItems(['IMPLEMENTED'])[0]!, hours_per_year: 13 }], 20.5);
    expect(half.money_saved.implemented_annual).to.equal(267);
  });

  it('returns null money without an hourly rate', () => {
    expect(computeMetrics(specItems(['IMPLEMENTED', 'NOT_STARTED', 'NOT_STARTED']), null).money_saved).to.deep.equal({
      hourly_rate: null,
      potential_annual: null,
      implemented_annual: null,
      currency: 'CAD',
    });
  });
  it('derives hours_per_year as round(hours_per_week * 52) when missing', () => {
    const [o] = opportunitiesOf({
      identity_a1: { company_name: 'X', sector: '', estimated_size: '', tier: '' },
      value_creation: { hours_per_week: 2.5, complexity_level: 2, problem_teaser: '', tools_hint: '' },
    });
    expect(o?.hours_per_year).to.equal(130);
  });
  it('orders all-NOT_STARTED spec recommendations value_creation 1.6, digital_presence 0.71, business_management 0.67', () => {
    const recs = recommend(specItems(['NOT_STARTED', 'NOT_STARTED', 'NOT_STARTED']));
    expect(recs.map((r) => [r.opportunity_id, r.priority_score])).to.deep.equal([
      ['value_creation', 1.6],
      ['digital_presence', 0.71],
      ['business_management', 0.67],
    ]);
    for (const r of recs) expect(r.reason).to.be.a('string').with.length.greaterThan(0);
  });
  it('lists only NOT_STARTED opportunities', () => {
    expect(
      recommend(specItems(['IMPLEMENTED', 'IN_PROGRESS', 'NOT_STARTED'])).map((r) => r.opportunity_id),
    ).to.deep.equal(['business_management']);
  });
  it('rounds priority to 2 decimals', () => expect(priorityScore(2, 3)).to.equal(0.67));
});
