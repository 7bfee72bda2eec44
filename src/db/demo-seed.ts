import type { Knex } from 'knex';
import { findAnalysis, insertAnalysis } from './analysis-repo.js';
import { normalizeUrl, urlHash } from '../domain/url.js';
import type { ResultsSummary } from '../domain/results-summary.js';

export const DEMO_ANALYSIS_ID = '550e8400-e29b-41d4-a716-446655440000';
const DEMO_URL = 'https://example.com';

/** The spec's dashboard example: 5, 8 and 2 h a week. */
export const DEMO_RESULTS: ResultsSummary = {
  identity_a1: {
    company_name: 'Example Inc.',
    sector: 'Services Professionnels',
    estimated_size: '50-100',
    tier: 'Tier 2',
  },
  digital_presence: {
    hours_per_week: 5,
    hours_per_year: 260,
    complexity_level: 7,
    problem_teaser: 'Site web lent et peu de visibilité en ligne',
    tools_hint: 'SEO automation, analytics integration',
  },
  value_creation: {
    hours_per_week: 8,
    hours_per_year: 416,
    complexity_level: 5,
    problem_teaser: 'Processus de facturation manuel',
    tools_hint: 'Invoice automation, CRM integration',
  },
  business_management: {
    hours_per_week: 2,
    hours_per_year: 104,
    complexity_level: 3,
    problem_teaser: 'Suivi des dépenses sur Excel',
    tools_hint: 'Accounting software integration',
  },
  total_hours_per_week: 15,
  total_hours_per_year: 780,
};

/** Inserts the demo analysis unless it exists. Returns true when it was created now. */
export async function seedDemoAnalysis(db: Knex, now: Date): Promise<boolean> {
  if (await findAnalysis(db, DEMO_ANALYSIS_ID)) return false;
  await insertAnalysis(db, {
    id: DEMO_ANALYSIS_ID,
    url: DEMO_URL,
    url_hash: urlHash(normalizeUrl(DEMO_URL) ?? DEMO_URL),
    results_summary: DEMO_RESULTS,
    created_at: now,
  });
  return true;
}
