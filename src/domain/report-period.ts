export type Frequency = 'weekly' | 'monthly';

/** A reporting period: [start, end) in UTC, with a stable key used for once-per-period delivery. */
export type ReportPeriod = { frequency: Frequency; key: string; start: Date; end: Date };

const DAY_MS = 86_400_000;

/** ISO-8601 week number and week-year of a UTC date. */
function isoWeek(d: Date): { year: number; week: number } {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const dow = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - dow);
  const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
  return { year: t.getUTCFullYear(), week: Math.ceil(((t.getTime() - yearStart) / DAY_MS + 1) / 7) };
}

/**
 * The period a report sent at `now` covers: the last full ISO week (Monday to Monday) for weekly
 * reports, the last full calendar month for monthly ones.
 */
export function reportPeriod(frequency: Frequency, now: Date): ReportPeriod {
  if (frequency === 'weekly') {
    const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
    const dow = new Date(today).getUTCDay() || 7;
    const end = new Date(today - (dow - 1) * DAY_MS); // this week's Monday 00:00
    const start = new Date(end.getTime() - 7 * DAY_MS);
    const { year, week } = isoWeek(start);
    return { frequency, key: `${year}-W${String(week).padStart(2, '0')}`, start, end };
  }
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return { frequency, key: `${start.getUTCFullYear()}-${String(start.getUTCMonth() + 1).padStart(2, '0')}`, start, end };
}
