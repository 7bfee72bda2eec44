import type { AchievementProgress, EarnedBadge } from './badges.js';
import type { Metrics } from './metrics.js';
import type { OpportunityProgress, ProgressSummary } from './progress.js';
import type { Recommendation } from './recommendations.js';
import type { Identity } from './results-summary.js';
import type { ReportPeriod } from './report-period.js';

export type ReportBadge = EarnedBadge & {
  /** Earned since the subscription's last report (inside the period when there was none). */
  is_new: boolean;
  /** The public page of the badge's credential, when one could be issued. */
  credential_url?: string | null;
};

/** Everything a report shows, built once and handed to every renderer (email HTML, text, PDF). */
export type ReportModel = {
  analysis_id: string;
  url: string;
  generated_at: Date;
  period: ReportPeriod | null;
  identity: Identity;
  completion: ProgressSummary;
  metrics: Metrics;
  opportunities: OpportunityProgress[];
  badges: ReportBadge[];
  new_badges: ReportBadge[];
  /** Since when `new_badges` were earned: the period's start, or where the last report stopped; null without a period. */
  new_badges_since: Date | null;
  /** The badge not yet earned that is closest to being earned, with its progress; null when none can be. */
  next_badge: NextBadge | null;
  /** All NOT_STARTED opportunities, best first; emails show the first two. */
  next_steps: Recommendation[];
  dashboard_url: string;
};

export type NextBadge = { name: string; description: string; points: number } & AchievementProgress;

/** The achievable badge not yet earned with the largest share of its target done (ties: the first defined). */
export function nextBadgeWithinReach(
  pending: readonly { badge_name: string; description: string; points: number; progress: AchievementProgress }[],
): NextBadge | null {
  let best: NextBadge | null = null;
  let bestShare = -1;
  for (const p of pending) {
    if (!p.progress.achievable || p.progress.target <= 0) continue;
    const share = Math.min(1, p.progress.current / p.progress.target);
    if (share > bestShare) {
      bestShare = share;
      best = { name: p.badge_name, description: p.description, points: p.points, ...p.progress };
    }
  }
  return best;
}

export const UNKNOWN_IDENTITY: Identity = {
  company_name: 'Votre entreprise',
  sector: '',
  estimated_size: '',
  tier: '',
};

/** Marks the badges earned inside the window (see newBadgesWindow); without one nothing is "new". */
export function markNewBadges(
  badges: readonly Omit<ReportBadge, 'is_new'>[],
  window: { start: Date; end: Date } | null,
): ReportBadge[] {
  return badges.map((b) => ({
    ...b,
    is_new: window !== null && b.earned_at >= window.start && b.earned_at < window.end,
  }));
}
