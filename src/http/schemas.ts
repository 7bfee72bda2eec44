import { z } from 'zod';
import { SUBSCRIPTION_STATUSES } from '../domain/consent.js';
import { STATUSES } from '../domain/progress.js';
import { CanonicalUuid } from '../domain/ids.js';
import { canonicalTimeZone } from '../domain/time-zone.js';

/** Shared by every resource: the path id, the hourly rate, statuses and the error body. */
export const AnalysisIdParams = z.object({ analysisId: CanonicalUuid });
/** Dollars an hour, as stored (NUMERIC(10,2)): more than 2 decimals is refused, never rounded behind the caller's back. */
export const HourlyRate = z
  .number()
  .min(20)
  .max(500)
  .multipleOf(0.01, { message: 'must have at most 2 decimals (cents)' })
  .meta({ description: 'hourly rate in CAD, 20 to 500, at most 2 decimals', example: 50 });
export const Status = z.enum(STATUSES);
/** A report subscription's state: pending confirmation, active, suspended (hard bounces) or unsubscribed. */
export const SubscriptionState = z.enum(SUBSCRIPTION_STATUSES).meta({
  id: 'SubscriptionStatus',
  description:
    'pending until confirmed through the emailed link; suspended after hard bounces; unsubscribed once withdrawn',
});
export const Frequency = z.enum(['weekly', 'monthly']).meta({ id: 'Frequency' });
/** An IANA time zone name (aliases accepted), given back in its canonical form. */
export const TimeZone = z
  .string()
  .max(64)
  .refine((tz) => canonicalTimeZone(tz) !== null, { message: 'must be an IANA time zone such as America/Toronto' })
  .transform((tz) => canonicalTimeZone(tz)!)
  .meta({ description: 'IANA time zone, e.g. America/Toronto', example: 'America/Toronto' });

/** Every error code the API answers with (CONTRACT.md); each operation documents the ones it can give. */
export const ErrorCode = z
  .enum([
    'INVALID_INPUT',
    'INVALID_TRANSITION',
    'UNAUTHORIZED',
    'NOT_FOUND',
    'OPPORTUNITY_NOT_FOUND',
    'METHOD_NOT_ALLOWED',
    'PAYLOAD_TOO_LARGE',
    'UNSUPPORTED_MEDIA_TYPE',
    'RATE_LIMIT_EXCEEDED',
    'INTERNAL_SERVER_ERROR',
    'SERVICE_UNAVAILABLE',
  ])
  .meta({ id: 'ErrorCode' });
export type ErrorCodeName = z.infer<typeof ErrorCode>;

export const ErrorBody = z
  .object({
    error: ErrorCode,
    detail: z.string(),
    timestamp: z.iso.datetime(),
    request_id: z.string(),
    fields: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'ErrorResponse' });
