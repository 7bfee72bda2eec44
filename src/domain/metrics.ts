import { exactHours } from './hours.js';
import type { OpportunityProgress } from './progress.js';

export type TimeSaved = {
  potential_weekly: number;
  implemented_weekly: number;
  potential_annual: number;
  implemented_annual: number;
};

export type MoneySaved = {
  hourly_rate: number | null;
  potential_annual: number | null;
  implemented_annual: number | null;
  currency: 'CAD';
};

export type Metrics = { time_saved: TimeSaved; money_saved: MoneySaved };

/** Annual hours times the rate in whole cents, rounded once to whole dollars. */
const dollars = (hours: number, rate: number) => Math.round((hours * Math.round(rate * 100)) / 100);

/**
 * Hours and money saved, potential and implemented; money is null without an hourly rate. The rate
 * is the one stored (2 decimals), so every door that shows these figures shows the same ones.
 */
export function computeMetrics(items: readonly OpportunityProgress[], hourlyRate: number | null): Metrics {
  const done = items.filter((i) => i.status === 'IMPLEMENTED');
  const sum = (list: readonly OpportunityProgress[], f: (o: OpportunityProgress) => number) =>
    list.reduce((acc, o) => acc + f(o), 0);
  const time_saved: TimeSaved = {
    // Summed exactly and cut to tenths for display, as the time_saver badge's progress shows them.
    potential_weekly: exactHours(items.map((o) => o.hours_per_week)).tenths,
    implemented_weekly: exactHours(done.map((o) => o.hours_per_week)).tenths,
    potential_annual: Math.round(sum(items, (o) => o.hours_per_year)),
    implemented_annual: Math.round(sum(done, (o) => o.hours_per_year)),
  };
  const money_saved: MoneySaved =
    hourlyRate === null
      ? { hourly_rate: null, potential_annual: null, implemented_annual: null, currency: 'CAD' }
      : {
          hourly_rate: hourlyRate,
          potential_annual: dollars(time_saved.potential_annual, hourlyRate),
          implemented_annual: dollars(time_saved.implemented_annual, hourlyRate),
          currency: 'CAD',
        };
  return { time_saved, money_saved };
}
