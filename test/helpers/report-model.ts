import { computeMetrics } from '../../src/domain/metrics.js';
import { progressSummary, type Status } from '../../src/domain/progress.js';
import { recommend } from '../../src/domain/recommendations.js';
import { markNewBadges, type ReportModel } from '../../src/domain/report-model.js';
import { opportunitiesOf, type ResultsSummary } from '../../src/domain/results-summary.js';
import { SPEC_RESULTS } from './fixtures.js';

const AT = new Date('2026-03-02T10:00:00Z');

/** The spec's badges, icons included (the PDF must not draw them). */
export const SPEC_BADGES = [
  {
    badge_type: 'first_step',
    badge_name: 'Premier Pas',
    description: 'Vous avez commencé votre première opportunité!',
    icon: '🎯',
    points: 10,
    earned_at: AT,
  },
  {
    badge_type: 'quick_win',
    badge_name: 'Victoire Rapide',
    description: 'Première opportunité complétée en moins de 7 jours!',
    icon: '⚡',
    points: 25,
    earned_at: AT,
  },
  {
    badge_type: 'time_saver',
    badge_name: 'Économiseur de Temps',
    description: 'Vous économisez déjà 10+ heures par semaine!',
    icon: '⏰',
    points: 50,
    earned_at: AT,
  },
];

/** A report model built by the domain rules, without a database: the spec example by default. */
export function reportModel(
  opts: {
    results?: ResultsSummary;
    statuses?: Status[];
    hourlyRate?: number | null;
    badges?: typeof SPEC_BADGES;
    nextBadge?: ReportModel['next_badge'];
  } = {},
): ReportModel {
  const results = opts.results ?? SPEC_RESULTS;
  const statuses = opts.statuses ?? ['IMPLEMENTED', 'IN_PROGRESS', 'NOT_STARTED'];
  const items = opportunitiesOf(results).map((o, i) => ({
    ...o,
    status: statuses[i] ?? 'NOT_STARTED',
    implemented_at: statuses[i] === 'IMPLEMENTED' ? AT : null,
  }));
  const badges = markNewBadges(opts.badges ?? SPEC_BADGES.slice(0, 2), null);
  return {
    analysis_id: '550e8400-e29b-41d4-a716-446655440000',
    url: 'https://example.com',
    generated_at: AT,
    next_badge: opts.nextBadge ?? null,
    period: null,
    identity: results.identity_a1,
    completion: progressSummary(items),
    metrics: computeMetrics(items, opts.hourlyRate === undefined ? 50 : opts.hourlyRate),
    opportunities: items,
    badges,
    new_badges: badges.filter((b) => b.is_new),
    new_badges_since: null,
    next_steps: recommend(items),
    dashboard_url: 'http://localhost:3000/dashboard/550e8400-e29b-41d4-a716-446655440000',
  };
}
