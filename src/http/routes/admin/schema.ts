import { z } from 'zod';
import { CanonicalUuid } from '../../../domain/ids.js';
import { Frequency, SubscriptionState } from '../../schemas.js';
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
  workers_alive: z.number().int().nullable(),
  note: z.string().describe('"queued — no worker is running" when nobody will send them'),
  requeued: z.array(Failure),
  skipped: z.array(Failure.extend({ reason: z.string() })),
});
export const OverviewResponse = z
  .object({
    at: z.string(),
    database: z.enum(['postgres', 'pglite']),
    liveness: z
      .object({
        interval_ms: z.number().int(),
        schedulers: z.number().int().describe('alive: beat within 3 intervals'),
        workers: z.number().int(),
        confirmations: z.number().int(),
        instances: z.array(
          z.object({
            instance_id: z.uuid(),
            role: z.enum(['scheduler', 'worker', 'confirmations']),
            host: z.string(),
            pid: z.number().int(),
            started_at: z.iso.datetime(),
            last_beat_at: z.iso.datetime(),
            beat_age_s: z.number().int(),
            alive: z.boolean().describe('false: stale, dropped after 10 minutes'),
          }),
        ),
      })
      .nullable(),
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
      .object({
        weekly: z.number(),
        monthly: z.number(),
        awaiting_confirmation: z.number().describe('pending double opt-in'),
        inactive: z.number(),
        suspended: z.number(),
      })
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
      frequency: Frequency,
      status: SubscriptionState,
      active: z.boolean(),
      requested_at: z.iso.datetime().nullable(),
      request_ip: z.string().nullable().describe('masked: 203.0.113.x'),
      request_user_agent: z.string().nullable(),
      confirmation_sent_at: z.iso.datetime().nullable(),
      confirmed_at: z.iso.datetime().nullable(),
      confirm_ip: z.string().nullable(),
      confirm_user_agent: z.string().nullable(),
      withdrawn_at: z.iso.datetime().nullable(),
      withdrawal_source: z
        .string()
        .nullable()
        .describe('how consent was withdrawn: `dashboard`, `unsubscribe_link`; null while it stands'),
      withdraw_ip: z.string().nullable().describe('masked: 203.0.113.x'),
      withdraw_user_agent: z.string().nullable(),
    }),
  )
  .meta({ id: 'ConsentRecords' });
