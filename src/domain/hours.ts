/**
 * Hours summed exactly: each value in millionths of an hour, added as integers, so that
 * 4.98 + 4.98 is 9.96 (not 10 after rounding) and 5.1 + 4.9 is exactly 10. `tenths` is what is
 * shown: the sum cut (never rounded up) to one decimal, so 9.96 shows as 9.9. A badge threshold
 * is a whole number of tenths, so the hours shown reach it exactly when the exact sum does.
 */
export function exactHours(values: readonly number[]): { micro: number; tenths: number } {
  const micro = values.reduce((acc, h) => acc + Math.round(h * 1e6), 0);
  return { micro, tenths: Math.floor(micro / 100_000) / 10 };
}

/** True when an hour threshold is a whole number of tenths (what `exactHours().tenths` can show). */
export const isWholeTenths = (hours: number): boolean => Number.isInteger(Math.round(hours * 1e6) / 100_000);
