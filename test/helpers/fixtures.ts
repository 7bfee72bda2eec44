import type { ResultsSummary } from '../../src/domain/results-summary.js';
import { DEMO_RESULTS } from '../../src/db/demo-seed.js';

/** The spec's example: 5, 8 and 2 h/week at complexity 7, 5 and 3. */
export const SPEC_RESULTS: ResultsSummary = DEMO_RESULTS;

/** A results summary with the given weekly hours per category. */
export function resultsWithHours(
  hours: Partial<Record<'digital_presence' | 'value_creation' | 'business_management', number>>,
): ResultsSummary {
  const summary: ResultsSummary = {
    identity_a1: { company_name: 'Test Co', sector: 'Tests', estimated_size: '1-10', tier: 'Tier 1' },
  };
  for (const [category, h] of Object.entries(hours)) {
    (summary as Record<string, unknown>)[category] = {
      hours_per_week: h,
      complexity_level: 5,
      problem_teaser: `${category} teaser`,
      tools_hint: 'tools',
    };
  }
  return summary;
}

let counter = 0;
/** A URL no other test uses. */
export const uniqueUrl = () => `https://site-${Date.now()}-${++counter}.example.org/`;
