const DAY_MS = 24 * 60 * 60 * 1000;

/** The UTC day number of an instant (days since the epoch). */
export const utcDay = (d: Date): number => Math.floor(d.getTime() / DAY_MS);

function distinctDays(instants: readonly Date[]): number[] {
  return [...new Set(instants.map(utcDay))].sort((a, b) => a - b);
}

/** The longest run of consecutive UTC days that each have at least one instant. */
export function longestStreak(instants: readonly Date[]): number {
  let best = 0;
  let run = 0;
  let prev: number | null = null;
  for (const day of distinctDays(instants)) {
    run = prev !== null && day === prev + 1 ? run + 1 : 1;
    best = Math.max(best, run);
    prev = day;
  }
  return best;
}

/** The run of consecutive active UTC days that ends today or yesterday (still alive), else 0. */
export function currentStreak(instants: readonly Date[], now: Date): number {
  const days = new Set(instants.map(utcDay));
  let day = utcDay(now);
  if (!days.has(day)) day -= 1;
  let run = 0;
  while (days.has(day)) {
    run += 1;
    day -= 1;
  }
  return run;
}
