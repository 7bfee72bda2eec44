import type { OpportunityProgress } from './progress.js';

export type Recommendation = {
  opportunity_id: string;
  category: string;
  hours_per_week: number;
  complexity_level: number;
  problem_teaser: string;
  priority_score: number;
  reason: string;
};

/** priority = hours_per_week / complexity_level, rounded to 2 decimals. */
export function priorityScore(hoursPerWeek: number, complexity: number): number {
  return Math.round((hoursPerWeek / complexity) * 100) / 100;
}

/** The complexity of an opportunity that is not a quick win (level 4 and above). */
const complexityWord = (level: number): string => (level <= 6 ? 'moderate' : 'high');

function reasonFor(o: OpportunityProgress): string {
  const h = `${o.hours_per_week}h/week`;
  if (o.complexity_level <= 3) return `Quick win - Low complexity with ${h} savings`;
  if (o.hours_per_week >= 5) return `High impact - ${h} savings, ${complexityWord(o.complexity_level)} complexity`;
  return `Steady gain - ${h} savings, ${complexityWord(o.complexity_level)} complexity`;
}

/** NOT_STARTED opportunities, best priority first (ties: more hours, then category name). */
export function recommend(items: readonly OpportunityProgress[]): Recommendation[] {
  return items
    .filter((o) => o.status === 'NOT_STARTED')
    .map((o) => ({
      opportunity_id: o.opportunity_id,
      category: o.category,
      hours_per_week: o.hours_per_week,
      complexity_level: o.complexity_level,
      problem_teaser: o.problem_teaser,
      priority_score: priorityScore(o.hours_per_week, o.complexity_level),
      reason: reasonFor(o),
    }))
    .sort(
      (a, b) =>
        b.priority_score - a.priority_score ||
        b.hours_per_week - a.hours_per_week ||
        a.category.localeCompare(b.category),
    );
}
