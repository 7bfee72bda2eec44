/**
 * Hours summed exactly: each value in millionths of an hour, added as integers, so that
 * 4.98 + 4.98 is 9.96 (not 10 after rounding) and 5.1 + 4.9 is exactly 10. `tenths` is the
 * sum rounded half-up to one decimal for display (1.15 shows as 1.2, as on paper).
 */
export function exactHours(values: readonly number[]): { micro: number; tenths: number } {
  const micro = values.reduce((acc, h) => acc + Math.round(h * 1e6), 0);
  return { micro, tenths: Math.round(micro / 100_000) / 10 };
}
