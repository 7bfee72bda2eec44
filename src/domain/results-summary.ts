import { z } from 'zod';

export const CATEGORIES = ['digital_presence', 'value_creation', 'business_management'] as const;
export type Category = (typeof CATEGORIES)[number];

const OpportunityInput = z.object({
  hours_per_week: z.number().min(0).max(168),
  hours_per_year: z
    .number()
    .int()
    .min(0)
    .max(168 * 53)
    .optional(),
  problem_teaser: z.string().max(2000).default(''),
  complexity_level: z.number().int().min(1).max(10),
  tools_hint: z.string().max(2000).default(''),
});

const IdentityInput = z.object({
  company_name: z.string().trim().min(1).max(300),
  sector: z.string().max(300).default(''),
  estimated_size: z.string().max(100).default(''),
  tier: z.string().max(100).default(''),
});

/** The analyzer's output for one site, validated on intake. */
export const ResultsSummarySchema = z
  .object({
    identity_a1: IdentityInput,
    digital_presence: OpportunityInput.optional(),
    value_creation: OpportunityInput.optional(),
    business_management: OpportunityInput.optional(),
    total_hours_per_week: z.number().min(0).optional(),
    total_hours_per_year: z.number().min(0).optional(),
  })
  .refine((r) => CATEGORIES.some((c) => r[c] !== undefined), {
    message: 'at least one of digital_presence, value_creation, business_management is required',
  });

export type ResultsSummary = z.infer<typeof ResultsSummarySchema>;
export type Identity = ResultsSummary['identity_a1'];

/** One automation opportunity of an analysis; its id is its category name. */
export type Opportunity = {
  opportunity_id: Category;
  category: Category;
  hours_per_week: number;
  hours_per_year: number;
  problem_teaser: string;
  complexity_level: number;
  tools_hint: string;
};

/** Lists the opportunities present in a results summary, in the canonical category order. */
export function opportunitiesOf(summary: ResultsSummary | null): Opportunity[] {
  if (!summary) return [];
  return CATEGORIES.flatMap((category) => {
    const o = summary[category];
    if (!o) return [];
    return [
      {
        opportunity_id: category,
        category,
        hours_per_week: o.hours_per_week,
        hours_per_year: o.hours_per_year ?? Math.round(o.hours_per_week * 52),
        problem_teaser: o.problem_teaser,
        complexity_level: o.complexity_level,
        tools_hint: o.tools_hint,
      },
    ];
  });
}
