import { expect } from 'chai';
import { opportunitiesOf, ResultsSummarySchema } from '../../../src/domain/results-summary.js';

const identity_a1 = { company_name: 'Acme' };
const opportunity = { hours_per_week: 2.5, problem_teaser: 'x', complexity_level: 3 };

describe('domain/results-summary', () => {
  it('refuses a summary without any opportunity, saying which are expected', () => {
    const r = ResultsSummarySchema.safeParse({ identity_a1 });
    expect(r.success).to.equal(false);
    expect(r.error?.issues.map((i) => i.message)).to.deep.equal([
      'at least one of digital_presence, value_creation, business_management is required',
    ]);
    expect(ResultsSummarySchema.safeParse({ identity_a1, business_management: opportunity }).success).to.equal(true);
  });

  it('lists no opportunity without a summary, and derives the yearly hours when they are missing', () => {
    expect(opportunitiesOf(null)).to.deep.equal([]);
    const summary = ResultsSummarySchema.parse({ identity_a1, value_creation: opportunity });
    expect(opportunitiesOf(summary)).to.deep.equal([
      {
        opportunity_id: 'value_creation',
        category: 'value_creation',
        hours_per_week: 2.5,
        hours_per_year: 130,
        problem_teaser: 'x',
        complexity_level: 3,
        tools_hint: '',
      },
    ]);
  });
});
