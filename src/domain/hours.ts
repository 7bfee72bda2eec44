/**
 * Hours summed exactly: each value in millionths of an hour, added as integers, so that
 * 4.98 + 4.98 is 9.96 (not 10 after rounding) and 5.1 + 4.9 is exactly 10.
 */
export function exactHours(values: readonly number[]): { micro: number; hours: number } {
  const micro = values.reduce((acc, h) => acc + Math.round(h * 1e6), 0);
  return { micro, hours: micro / 1e6 };
}
