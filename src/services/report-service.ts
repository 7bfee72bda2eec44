import { markNewBadges, nextBadgeWithinReach, UNKNOWN_IDENTITY, type ReportModel } from '../domain/report-model.js';
import type { BadgeService } from './badge-service.js';
import { newBadgesWindow, reportPeriod, type Frequency, type LastReport } from '../domain/report-period.js';
import { recommend } from '../domain/recommendations.js';
import type { CredentialService } from './credential-service.js';
import type { DashboardService } from './dashboard-service.js';
import type { ServiceDeps } from './deps.js';

/** Builds the one report model that the email and PDF renderers share. */
export class ReportService {
  constructor(
    private readonly deps: ServiceDeps & {
      dashboard: DashboardService;
      badges: BadgeService;
      frontendUrl: string;
      credentials?: CredentialService;
    },
  ) {}

  /**
   * The report of an analysis as of now. With a frequency, the period is the last full week or
   * month, and badges earned since `lastReport` (the subscription's last report sent; without
   * one, since the period's start) up to the period's end are marked new.
   */
  async buildReport(
    analysisId: string,
    opts: { frequency?: Frequency; now?: Date; lastReport?: LastReport | null } = {},
  ): Promise<ReportModel> {
    const now = opts.now ?? this.deps.clock.now();
    const [d, overview] = await Promise.all([
      this.deps.dashboard.loadDashboard(analysisId),
      this.deps.badges.loadBadgesOverview(analysisId),
    ]);
    const period = opts.frequency ? reportPeriod(opts.frequency, now, d.time_zone) : null;
    const window = period && newBadgesWindow(period, opts.lastReport ?? null);
    const pages =
      (await this.deps.credentials?.pageUrls(
        analysisId,
        d.badges.map((b) => b.badge_type),
      )) ?? {};
    const badges = markNewBadges(
      d.badges.map((b) => ({ ...b, earned_at: new Date(b.earned_at), credential_url: pages[b.badge_type] ?? null })),
      window,
    );
    return {
      analysis_id: d.analysis_id,
      url: d.url,
      generated_at: now,
      period,
      identity: d.identity ?? UNKNOWN_IDENTITY,
      completion: d.progress_summary,
      metrics: d.metrics,
      opportunities: d.opportunities,
      badges,
      new_badges: badges.filter((b) => b.is_new),
      new_badges_since: window?.start ?? null,
      next_badge: nextBadgeWithinReach(overview.in_progress),
      next_steps: recommend(d.opportunities),
      dashboard_url: `${this.deps.frontendUrl}/dashboard/${d.analysis_id}`,
    };
  }
}
