import type { ReportModel } from './report-model.js';
import type { Frequency } from './report-period.js';
import {
  badgeInitials,
  categoryLabel,
  formatDate,
  formatHours,
  formatMoney,
  formatRate,
  formatPercent,
  NBSP,
  reportPercent,
} from './report-format.js';
import { dayNumber, localDate } from './local-time.js';

/** What the email templates show: every value already formatted in French. */
export type EmailView = {
  frequency: Frequency;
  subject: string;
  title: string;
  adjective: string;
  /** `cette semaine`, `ce mois-ci` */
  periodPhrase: string;
  /** When the new badges were earned: the period's phrase, or `depuis le dernier rapport` when that began earlier or later. */
  newBadgesPhrase: string;
  periodLabel: string;
  preheader: string;
  company: string;
  /** `.` after the company name, unless it already ends a sentence (`Example Inc.`). */
  companyEnd: string;
  completion: { percent: number; label: string; detail: string };
  hours: { implementedWeekly: string; implementedAnnual: string; potentialWeekly: string };
  money: { implementedAnnual: string; potentialAnnual: string; rate: string } | null;
  /** `initials` stand in for the emoji icon, which not every mail client can draw. */
  /** `credentialUrl`: the badge's public credential page, linked when there is one. */
  newBadges: { initials: string; name: string; description: string; points: number; credentialUrl: string | null }[];
  nextSteps: { category: string; teaser: string; hours: string }[];
  /** The badge closest to being earned, and how far along it is. */
  nextBadge: {
    initials: string;
    name: string;
    description: string;
    points: number;
    progress: string;
    percent: number;
  } | null;
  /** The opportunities under way, not only those implemented. */
  inProgress: { category: string; teaser: string; hours: string }[];
  dashboardUrl: string;
  unsubscribeUrl: string;
  /** Sender identification (CASL): name and postal address, in every email. */
  sender: { name: string; postalAddress: string };
  year: number;
};

const WORDS: Record<Frequency, { title: string; adjective: string; period: string }> = {
  weekly: { title: 'Rapport hebdomadaire', adjective: 'hebdomadaire', period: 'cette semaine' },
  monthly: { title: 'Rapport mensuel', adjective: 'mensuel', period: 'ce mois-ci' },
};

const monthYear = new Intl.DateTimeFormat('fr-CA', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const monthName = new Intl.DateTimeFormat('fr-CA', { month: 'long', timeZone: 'UTC' });
const DAY_MS = 86_400_000;

/** `1er mars`, `8 mars`, with the year when asked. */
function day(d: Date, withMonth: boolean, withYear: boolean): string {
  const n = d.getUTCDate();
  return [n === 1 ? '1er' : String(n), withMonth ? monthName.format(d) : '', withYear ? String(d.getUTCFullYear()) : '']
    .filter(Boolean)
    .join(' ');
}

/** `Semaine du 2 au 8 mars 2026`, `Semaine du 23 février au 1er mars 2026`, `Février 2026`; the period's end is exclusive. */
function periodLabel(model: ReportModel, frequency: Frequency): string {
  const period = model.period;
  if (!period) return `Au ${formatDate(model.generated_at)}`;
  // The period's local calendar dates, as UTC midnights for the formatters above.
  const first = new Date(dayNumber(localDate(period.start, period.timeZone)) * DAY_MS);
  const last = new Date((dayNumber(localDate(period.end, period.timeZone)) - 1) * DAY_MS);
  if (frequency === 'monthly') {
    const label = monthYear.format(first);
    return label.charAt(0).toUpperCase() + label.slice(1);
  }
  const sameYear = first.getUTCFullYear() === last.getUTCFullYear();
  const sameMonth = sameYear && first.getUTCMonth() === last.getUTCMonth();
  return `Semaine du ${day(first, !sameMonth, !sameYear)} au ${day(last, true, true)}`;
}

/** Header values must stay on one line. */
const oneLine = (s: string) => s.replace(/[\p{Cc}\u2028\u2029]+/gu, ' ').trim();

const plural = (n: number, word: string) => `${word}${n > 1 ? 's' : ''}`;

/** `5 h sur 10 h par semaine`, `1 opportunité sur 3`. */
function progressWords(current: number, target: number, unit: string): string {
  if (unit === 'hours_per_week') return `${formatHours(current)} sur ${formatHours(target)}${NBSP}par semaine`;
  if (unit === 'opportunities') return `${current} ${plural(current, 'opportunité')} sur ${target}`;
  return `${current} sur ${target}`;
}

/** The French view of a report for the email templates (HTML and text alike). */
export function emailView(
  model: ReportModel,
  opts: { frequency: Frequency; unsubscribeUrl: string; sender?: { name: string; postalAddress: string } },
): EmailView {
  const words = WORDS[opts.frequency];
  const company = oneLine(model.identity.company_name) || 'Votre entreprise';
  const c = model.completion;
  const t = model.metrics.time_saved;
  const m = model.metrics.money_saved;
  const perWeek = `${NBSP}par semaine`;
  // The report rounds to the nearest whole percent; the dashboard's completion_percentage is floored by contract.
  const percent = reportPercent(c.implemented, c.total_opportunities);
  const implemented = `${c.implemented} ${plural(c.implemented, 'opportunité')} ${plural(c.implemented, 'implémentée')} sur ${c.total_opportunities}`;
  return {
    frequency: opts.frequency,
    subject: `Votre ${words.title.toLowerCase()} Vision'AI're — ${company}`,
    title: words.title,
    adjective: words.adjective,
    periodPhrase: words.period,
    newBadgesPhrase:
      model.period && model.new_badges_since && model.new_badges_since.getTime() !== model.period.start.getTime()
        ? 'depuis le dernier rapport'
        : words.period,
    periodLabel: periodLabel(model, opts.frequency),
    preheader: `${formatPercent(percent)} complété · ${formatHours(t.implemented_weekly)} économisées par semaine`,
    company,
    companyEnd: /[.!?]$/.test(company) ? '' : '.',
    completion: {
      percent,
      label: `${formatPercent(percent)} complété`,
      detail: implemented,
    },
    hours: {
      implementedWeekly: `${formatHours(t.implemented_weekly)}${perWeek}`,
      implementedAnnual: `${formatHours(t.implemented_annual)} par an`,
      potentialWeekly: `${formatHours(t.potential_weekly)}${perWeek}`,
    },
    money:
      m.hourly_rate === null || m.implemented_annual === null || m.potential_annual === null
        ? null
        : {
            implementedAnnual: `${formatMoney(m.implemented_annual)}${NBSP}CAD par an`,
            potentialAnnual: `${formatMoney(m.potential_annual)}${NBSP}CAD par an`,
            rate: formatRate(m.hourly_rate),
          },
    newBadges: model.new_badges.map((b) => ({
      initials: badgeInitials(b.badge_name),
      name: b.badge_name,
      description: b.description,
      points: b.points,
      credentialUrl: b.credential_url ?? null,
    })),
    nextSteps: model.next_steps.slice(0, 2).map((s) => ({
      category: categoryLabel(s.category),
      teaser: s.problem_teaser,
      hours: `${formatHours(s.hours_per_week)}${perWeek}`,
    })),
    nextBadge: model.next_badge && {
      initials: badgeInitials(model.next_badge.name),
      name: model.next_badge.name,
      description: model.next_badge.description,
      points: model.next_badge.points,
      progress: progressWords(model.next_badge.current, model.next_badge.target, model.next_badge.unit),
      percent: reportPercent(model.next_badge.current, model.next_badge.target),
    },
    inProgress: model.opportunities
      .filter((o) => o.status === 'IN_PROGRESS')
      .map((o) => ({
        category: categoryLabel(o.category),
        teaser: o.problem_teaser,
        hours: `${formatHours(o.hours_per_week)}${perWeek}`,
      })),
    dashboardUrl: model.dashboard_url,
    unsubscribeUrl: opts.unsubscribeUrl,
    sender: opts.sender ?? { name: "Vision'AI're", postalAddress: '' },
    year: model.generated_at.getUTCFullYear(),
  };
}
