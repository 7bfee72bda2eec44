import { expect } from 'chai';
import type { OpportunityProgress } from '../../../src/domain/progress.js';
import { priorityScore, recommend } from '../../../src/domain/recommendations.js';
import type { Category } from '../../../src/domain/results-summary.js';

const item = (category: string, hours: number, complexity: number, status = 'NOT_STARTED'): OpportunityProgress =>
  ({
    opportunity_id: category as Category,
    category: category as Category,
    hours_per_week: hours,
    hours_per_year: hours * 52,
    problem_teaser: `teaser ${category}`,
    complexity_level: complexity,
    tools_hint: '',
    status,
    implemented_at: null,
  }) as OpportunityProgress;

describe('domain/recommendations', () => {
  it('rounds the priority to 2 decimals', () => {
    expect(priorityScore(5, 3)).to.equal(1.67);
    expect(priorityScore(2, 3)).to.equal(0.67);
    expect(priorityScore(8, 5)).to.equal(1.6);
  });

  it('gives the reason by complexity (low up to 3, moderate up to 6, high above) and by impact (5 h or more)', () => {
    const reasons = recommend([
      item('a', 2, 3),
      item('b', 5, 4),
      item('c', 4.5, 6),
      item('d', 6, 7),
      item('e', 1, 7),
    ]).map((r) => [r.category, r.reason]);
    expect(Object.fromEntries(reasons)).to.deep.equal({
      a: 'Quick win - Low complexity with 2h/week savings',
      b: 'High impact - 5h/week savings, moderate complexity',
      c: 'Steady gain - 4.5h/week savings, moderate complexity',
      d: 'High impact - 6h/week savings, high complexity',
      e: 'Steady gain - 1h/week savings, high complexity',
    });
  });

  it('keeps only NOT_STARTED, copies its fields, and breaks ties by hours then category', () => {
    const recs = recommend([
      item('zeta', 2, 2),
      item('alpha', 2, 2),
      item('more-hours', 4, 4),
      item('started', 9, 1, 'IN_PROGRESS'),
      item('done', 9, 1, 'IMPLEMENTED'),
    ]);
    expect(recs.map((r) => r.category)).to.deep.equal(['more-hours', 'alpha', 'zeta']);
    expect(recs[0]).to.deep.equal({
      opportunity_id: 'more-hours',
      category: 'more-hours',
      hours_per_week: 4,
      complexity_level: 4,
      problem_teaser: 'teaser more-hours',
      priority_score: 1,
      reason: 'Steady gain - 4h/week savings, moderate complexity',
    });
  });
});
