import { z } from 'zod';
import { UuidOut } from '../../../domain/ids.js';
import { CanonicalUuid } from '../../../domain/ids.js';
import { Frequency, HourlyRate, Status, SubscriptionState, TimeZone } from '../../schemas.js';

export const Badge = z
  .object({
    badge_type: z.string(),
    badge_name: z.string(),
    description: z.string(),
    icon: z.string().nullable(),
    points: z.number().int(),
    earned_at: z.iso.datetime(),
  })
  .meta({ id: 'Badge' });

export const Metrics = z
  .object({
    time_saved: z.object({
      potential_weekly: z.number(),
      implemented_weekly: z.number(),
      potential_annual: z.number().int(),
      implemented_annual: z.number().int(),
    }),
    money_saved: z.object({
      hourly_rate: z.number().nullable(),
      potential_annual: z.number().int().nullable(),
      implemented_annual: z.number().int().nullable(),
      currency: z.literal('CAD'),
    }),
  })
  .meta({ id: 'Metrics' });

export const DashboardBody = z
  .object({
    analysis_id: UuidOut,
    url: z.string(),
    status: z.enum(['PENDING', 'COMPLETE']),
    identity: z
      .object({ company_name: z.string(), sector: z.string(), estimated_size: z.string(), tier: z.string() })
      .nullable(),
    opportunities: z.array(
      z.object({
        opportunity_id: z.string(),
        category: z.string(),
        hours_per_week: z.number(),
        hours_per_year: z.number().int(),
        problem_teaser: z.string(),
        complexity_level: z.number().int(),
        tools_hint: z.string(),
        status: Status,
        implemented_at: z.iso.datetime().nullable(),
      }),
    ),
    progress_summary: z.object({
      total_opportunities: z.number().int(),
      not_started: z.number().int(),
      in_progress: z.number().int(),
      implemented: z.number().int(),
      completion_percentage: z.number().int(),
    }),
    badges: z.array(Badge),
    metrics: Metrics,
    time_zone: z.string().describe('IANA time zone: streak days and report periods are its local days'),
    created_at: z.iso.datetime(),
    completed_at: z.iso.datetime().nullable(),
  })
  .meta({ id: 'DashboardResponse' });

export const ProgressResultBody = z
  .object({
    analysis_id: UuidOut,
    opportunity_id: z.string(),
    status: Status,
    implemented_at: z.iso.datetime().nullable(),
    new_badges: z.array(Badge),
    metrics: Metrics,
  })
  .meta({ id: 'ProgressUpdateResponse' });

export const BadgesBody = z
  .object({
    analysis_id: UuidOut,
    badges: z.array(Badge),
    total_badges: z.number().int(),
    total_points: z.number().int(),
    in_progress: z.array(
      z.object({
        badge_type: z.string(),
        badge_name: z.string(),
        description: z.string(),
        icon: z.string(),
        points: z.number().int(),
        progress: z.object({
          current: z.number(),
          target: z.number(),
          unit: z.string(),
          achievable: z
            .boolean()
            .describe('false: the badge can no longer be earned (a quick_win whose 7 days are over shows current 0)'),
        }),
      }),
    ),
  })
  .meta({ id: 'BadgesResponse' });

export const RecommendationsBody = z
  .object({
    analysis_id: UuidOut,
    recommendations: z.array(
      z.object({
        opportunity_id: z.string(),
        category: z.string(),
        hours_per_week: z.number(),
        complexity_level: z.number().int(),
        problem_teaser: z.string(),
        priority_score: z.number(),
        reason: z.string(),
      }),
    ),
  })
  .meta({ id: 'RecommendationsResponse' });

export const ProgressBody = z
  .object({ opportunity_id: z.string().min(1).max(100), status: Status, hourly_rate: HourlyRate.optional() })
  .meta({ id: 'ProgressUpdateRequest' });
export const SubscribeBody = z
  .object({
    email: z.email({ message: 'must be a valid email address' }).max(320),
    frequency: Frequency,
    hourly_rate: HourlyRate.nullable().optional(),
    time_zone: TimeZone.optional(),
  })
  .meta({ id: 'SubscribeRequest' });
export const SubscriptionBody = z
  .object({
    subscription_id: UuidOut,
    analysis_id: UuidOut,
    email: z.string(),
    frequency: Frequency,
    active: z.boolean().describe('true exactly when status is active'),
    hourly_rate: z.number().nullable(),
    created_at: z.iso.datetime(),
    status: SubscriptionState,
  })
  .meta({ id: 'EmailSubscriptionResponse' });

export const SubscriptionParams = z.object({ analysisId: CanonicalUuid, subscriptionId: CanonicalUuid });
/** A subscription as its dashboard lists it: the address masked, never in full. */
export const DashboardSubscription = z
  .object({
    subscription_id: UuidOut,
    frequency: Frequency,
    status: SubscriptionState,
    created_at: z.iso.datetime(),
    masked_email: z.string().describe('The first character, `•••`, then `@domain`: `o•••@example.com`'),
  })
  .meta({ id: 'DashboardSubscription' });
export const DashboardSubscriptionsBody = z
  .object({ analysis_id: UuidOut, subscriptions: z.array(DashboardSubscription) })
  .meta({ id: 'DashboardSubscriptionsResponse' });
export const SubscriptionPatchBody = z.object({ frequency: Frequency }).meta({ id: 'SubscriptionPatchRequest' });
