import { z } from 'zod';
import { CanonicalUuid } from '../../../domain/ids.js';
import { PERIOD_KEY } from '../../../domain/report-period.js';

export const PeriodKey = z.string().regex(PERIOD_KEY, 'must be a period key such as 2026-W47 or 2026-10');
export const FailuresQuery = z.object({
  period: PeriodKey.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export const RetryBody = z
  .object({ id: CanonicalUuid.optional(), period: PeriodKey.optional(), dry_run: z.boolean().default(false) })
  .refine((b) => b.id !== undefined || b.period !== undefined, { message: 'give id or period' });
export const SubscriptionParams = z.object({ id: CanonicalUuid });
export const AnalysisParams = z.object({ id: CanonicalUuid });

const Failure = z
  .object({
    id: z.uuid(),
    subscription_id: z.uuid(),
    analysis_id: z.uuid(),
    company_name: z.string().nullable(),
    email: z.string().describe('masked: o***@example.com'),
    period_key: z.string(),
    attempts: z.number().int(),
    last_error: z.string().nullable(),
    failed_at: z.string().nullable(),
    subscription_state: z.enum(['active', 'suspended', 'unsubscribed']),
  })
  .meta({ id: 'FailedDelivery' });
export const FailuresResponse = z.array(Failure);
export const RetryResponse = z.object({
  dry_run: z.boolean(),
  requeued: z.array(Failure),
  skipped: z.array(Failure.extend({ reason: z.string() })),
});
export const OverviewResponse = z
  .object({
    at: z.string(),
    database: z.enum(['postgres', 'pglite']),
    cache: z
      .object({
        health: z.string(),
        backend: z.string(),
        hits: z.number(),
        misses: z.number(),
        hit_rate: z.number(),
        memory_used: z.string().nullable(),
        connected_clients: z.number().nullable(),
      })
      .nullable(),
    subscriptions: z
      .object({ weekly: z.number(), monthly: z.number(), inactive: z.number(), suspended: z.number() })
      .nullable(),
    deliveries: z
      .object({
        pending: z.number(),
        sending: z.number(),
        sent: z.number(),
        failed: z.number(),
        cancelled: z.number(),
        due_now: z.number(),
      })
      .nullable(),
    retrying: z
      .array(
        z.object({
          id: z.uuid(),
          company_name: z.string().nullable(),
          period_key: z.string(),
          attempts: z.number(),
          last_error: z.string().nullable(),
          next_attempt_at: z.string().nullable(),
        }),
      )
      .nullable(),
    failures: FailuresResponse.nullable(),
    suspended: z
      .array(
        z.object({
          subscription_id: z.uuid(),
          email: z.string(),
          company_name: z.string().nullable(),
          bounce_count: z.number(),
          suspended_at: z.string().nullable(),
        }),
      )
      .nullable(),
    next_runs: z.object({ weekly: z.string().nullable(), monthly: z.string().nullable() }).nullable(),
    activity: z
      .object({
        since: z.string(),
        progress_updates: z.number(),
        badges_awarded: z.number(),
        latest: z.array(
          z.object({
            kind: z.enum(['progress', 'badge']),
            company_name: z.string().nullable(),
            what: z.string(),
            at: z.string().nullable(),
          }),
        ),
      })
      .nullable(),
  })
  .meta({ id: 'AdminOverview' });

/** The consent record of each subscription of an analysis (double opt-in), masked. */
export const ConsentRecordsResponse = z
  .array(
    z.object({
      subscription_id: z.string(),
      email: z.string().describe('masked: o***@example.com'),
      frequency: z.enum(['weekly', 'monthly']),
      status: z.enum(['pending', 'active']),
      active: z.boolean(),
      requested_at: z.iso.datetime().nullable(),
      request_ip: z.string().nullable().describe('masked: 203.0.113.x'),
      request_user_agent: z.string().nullable(),
      confirmation_sent_at: z.iso.datetime().nullable(),
      confirmed_at: z.iso.datetime().nullable(),
      confirm_ip: z.string().nullable(),
      confirm_user_agent: z.string().nullable(),
    }),
  )
  .meta({ id: 'ConsentRecords' });
