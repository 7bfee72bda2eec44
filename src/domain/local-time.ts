/*
 * Calendar dates and wall-clock times in an IANA time zone. Pure: instants come in, nothing reads
 * the clock. Days are calendar days, so a 23-hour or 25-hour day across a DST change is one day.
 */

const DAY_MS = 86_400_000;

/** A calendar date with no time zone attached (month 1–12). */
export type LocalDate = { year: number; month: number; day: number };
type LocalDateTime = LocalDate & { hour: number; minute: number; second: number };

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock reading of an instant in a time zone. */
export function localDateTime(instant: Date, timeZone: string): LocalDateTime {
  const out: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(instant)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return {
    year: out.year!,
    month: out.month!,
    day: out.day!,
    hour: out.hour!,
    minute: out.minute!,
    second: out.second!,
  };
}

/** The calendar date of an instant in a time zone. */
export function localDate(instant: Date, timeZone: string): LocalDate {
  const { year, month, day } = localDateTime(instant, timeZone);
  return { year, month, day };
}

/** Days since 1970-01-01 of a calendar date. */
export const dayNumber = (d: LocalDate): number => Date.UTC(d.year, d.month - 1, d.day) / DAY_MS;

/** The calendar date of a day number. */
export function dateOfDay(n: number): LocalDate {
  const t = new Date(n * DAY_MS);
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** The local day number of an instant: instants on one local calendar day share it. */
export const localDayNumber = (instant: Date, timeZone: string): number => dayNumber(localDate(instant, timeZone));

/** ISO weekday of a day number: 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday). */
export const isoWeekday = (n: number): number => ((((n + 3) % 7) + 7) % 7) + 1;

/** The zone's offset from UTC at an instant, in ms (east positive). */
function offsetMs(instant: number, timeZone: string): number {
  const p = localDateTime(new Date(instant), timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant a local wall-clock time happens. In a repeated hour (DST end) the first one wins;
 * a time that does not exist (DST start) moves forward by the gap.
 */
export function zonedTime(date: LocalDate, hour: number, minute: number, timeZone: string): Date {
  const wall = Date.UTC(date.year, date.month - 1, date.day, hour, minute);
  const before = offsetMs(wall - DAY_MS, timeZone);
  const after = offsetMs(wall + DAY_MS, timeZone);
  // The larger offset first: in a repeated hour (the offset drops) it gives the first reading. When
  // it does not fit, the smaller one is the answer: it fits, or the time falls in a gap and moves forward by it.
  const first = wall - Math.max(before, after);
  if (offsetMs(first, timeZone) === Math.max(before, after)) return new Date(first);
  return new Date(wall - Math.min(before, after));
}

/** Local midnight that starts a calendar date. */
export const startOfLocalDay = (date: LocalDate, timeZone: string): Date => zonedTime(date, 0, 0, timeZone);
