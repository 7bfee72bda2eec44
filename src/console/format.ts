/** Formatting shared by the console's components: "unknown" when a figure is not available. */
export const UNKNOWN = 'unknown';

export const num = (n: number | null | undefined) =>
  n === null || n === undefined ? UNKNOWN : n.toLocaleString('en-US');

/** `2026-11-30 09:00 UTC`, or "unknown". */
export const when = (iso: string | null | undefined) => (iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : UNKNOWN);

/** `11-30 09:00` (UTC, no year: the console is about now), or "unknown". */
export const short = (iso: string | null | undefined) => (iso ? iso.slice(5, 16).replace('T', ' ') : UNKNOWN);

/** `09:00:12` (UTC), or "unknown". */
export const clock = (iso: string | null | undefined) => (iso ? iso.slice(11, 19) : UNKNOWN);

/** How far `iso` is from `now`: `in 4 min`, `12 min ago`. */
export function relative(iso: string | null | undefined, now: string): string {
  if (!iso) return UNKNOWN;
  const minutes = Math.round((new Date(iso).getTime() - new Date(now).getTime()) / 60_000);
  if (minutes === 0) return 'now';
  const span = Math.abs(minutes) < 90 ? `${Math.abs(minutes)} min` : `${Math.round(Math.abs(minutes) / 60)} h`;
  return minutes >= 0 ? `in ${span}` : `${span} ago`;
}
