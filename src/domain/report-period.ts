import { InvalidInputError } from '../errors.js';
import { dateOfDay, dayNumber, isoWeekday, localDate, startOfLocalDay } from './local-time.js';

export type Frequency = 'weekly' | 'monthly';

/**
 * A reporting period: [start, end) between two local midnights of `timeZone`, with a stable key
 * (`2026-W10`, `2026-03`) used for once-per-period delivery.
 */
export type ReportPeriod = { frequency: Frequency; key: string; start: Date; end: Date; timeZone: string };

/** ISO-8601 week number and week-year of a day number. */
function isoWeek(day: number): { year: number; week: number } {
  const thursday = day - isoWeekday(day) + 4;
  const year = dateOfDay(thursday).year;
  return { year, week: Math.floor((thursday - dayNumber({ year, month: 1, day: 1 })) / 7) + 1 };
}

/**
 * The period a report sent at `now` covers, in local days of `timeZone`: the last full ISO week
 * (Monday to Monday) for weekly reports, the last full calendar month for monthly ones.
 */
export function reportPeriod(frequency: Frequency, now: Date, timeZone = 'UTC'): ReportPeriod {
  const today = localDate(now, timeZone);
  if (frequency === 'weekly') {
    const endDay = dayNumber(today) - (isoWeekday(dayNumber(today)) - 1); // this week's Monday
    const { year, week } = isoWeek(endDay - 7);
    return {
      frequency,
      key: `${year}-W${String(week).padStart(2, '0')}`,
      start: startOfLocalDay(dateOfDay(endDay - 7), timeZone),
      end: startOfLocalDay(dateOfDay(endDay), timeZone),
      timeZone,
    };
  }
  const first = { year: today.year, month: today.month, day: 1 };
  const previous =
    today.month === 1
      ? { year: today.year - 1, month: 12, day: 1 }
      : { year: today.year, month: today.month - 1, day: 1 };
  return {
    frequency,
    key: `${previous.year}-${String(previous.month).padStart(2, '0')}`,
    start: startOfLocalDay(previous, timeZone),
    end: startOfLocalDay(first, timeZone),
    timeZone,
  };
}

/** The report a subscription was last sent: its frequency then and its send time (the delivery's `scheduled_at`). */
export type LastReport = { frequency: Frequency; sendAt: Date };

/**
 * Since when a report's badges count as new: the end of the period that the subscription's last
 * report covered, or the period's start when it had none. A badge is then told once, even after a
 * missed report or a change of frequency. Like the rest of the period, the window ends at its end.
 */
export function newBadgesWindow(period: ReportPeriod, last: LastReport | null): { start: Date; end: Date } {
  if (!last) return { start: period.start, end: period.end };
  const covered = reportPeriod(last.frequency, last.sendAt, period.timeZone).end;
  return { start: covered < period.end ? covered : period.end, end: period.end };
}

/** A period key as `reportPeriod` makes them: an ISO week (`2026-W47`, weeks 01-53) or a month (`2026-10`). */
export const PERIOD_KEY = /^\d{4}-(W(0[1-9]|[1-4]\d|5[0-3])|(0[1-9]|1[0-2]))$/;

/** The period key as given; INVALID_INPUT naming the field when it is not one. */
export function requirePeriodKey(value: string, field: string): string {
  if (!PERIOD_KEY.test(value)) {
    const message = 'must be an ISO week such as 2026-W47 or a month such as 2026-10';
    throw new InvalidInputError(`${field} ${message}`, [{ field, message }]);
  }
  return value;
}
