import { localDayNumber } from './local-time.js';

function distinctDays(instants: readonly Date[], timeZone: string): number[] {
  return [...new Set(instants.map((d) => localDayNumber(d, timeZone)))].sort((a, b) => a - b);
}

/** The longest run of consecutive local days (in `timeZone`) that each have at least one instant. */
export function longestStreak(instants: readonly Date[], timeZone = 'UTC'): number {
  let best = 0;
  let run = 0;
  let prev = Number.NaN; // no day before the first
  for (const day of distinctDays(instants, timeZone)) {
    run = day === prev + 1 ? run + 1 : 1;
    best = Math.max(best, run);
    prev = day;
  }
  return best;
}

/** The run of consecutive active local days that ends today or yesterday (still alive), else 0. */
export function currentStreak(instants: readonly Date[], now: Date, timeZone = 'UTC'): number {
  const days = new Set(instants.map((d) => localDayNumber(d, timeZone)));
  let day = localDayNumber(now, timeZone);
  if (!days.has(day)) day -= 1;
  let run = 0;
  while (days.has(day)) {
    run += 1;
    day -= 1;
  }
  return run;
}
