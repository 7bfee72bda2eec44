import { z } from 'zod';
import { CanonicalUuid } from '../../../domain/ids.js';
import { PeriodKey } from './schema.js';

const SubscriptionState = z.enum(['active', 'pending', 'suspended', 'unsubscribed']);
const DeliveryState = z.enum(['queued', 'sending', 'sent', 'failed', 'cancelled']);
const Text = z.string().trim().min(1).max(200);

export const SubscriptionsQuery = z.object({
  q: Text.optional().describe('substring of the email, the company name, the analysis id or the subscription id'),
  email: Text.optional().describe('substring of the email'),
  analysis: CanonicalUuid.optional(),
  status: SubscriptionState.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export const DeliveriesQuery = z.object({
  status: DeliveryState.optional(),
  period: PeriodKey.optional(),
  email: Text.optional().describe('substring of the email'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const IdParams = z.object({ id: CanonicalUuid });

const Summary = z.object({
  subscription_id: z.uuid(),
  analysis_id: z.uuid(),
  email: z.string().describe('in full: operators only'),
  company_name: z.string().nullable(),
  frequency: z.enum(['weekly', 'monthly']),
  time_zone: z.string(),
  status: SubscriptionState,
  bounce_count: z.number().int(),
  created_at: z.iso.datetime(),
});
export const SubscriptionsResponse = z.array(Summary).meta({ id: 'AdminSubscriptions' });

const Delivery = z.object({
  id: z.uuid(),
  subscription_id: z.uuid(),
  analysis_id: z.uuid(),
  email: z.string(),
  company_name: z.string().nullable(),
  period_key: z.string(),
  state: DeliveryState,
  attempts: z.number().int(),
  last_error: z.string().nullable(),
  next_attempt_at: z.iso.datetime().nullable(),
  sent_at: z.iso.datetime().nullable(),
  failed_at: z.iso.datetime().nullable(),
});
export const DeliveriesResponse = z.array(Delivery).meta({ id: 'AdminDeliveries' });

export const SubscriptionDetailResponse = Summary.extend({
  suspended_at: z.iso.datetime().nullable(),
  consent: z.object({
    requested_at: z.iso.datetime().nullable(),
    request_ip: z.string().nullable().describe('masked: 203.0.113.x'),
    request_user_agent: z.string().nullable(),
    confirmation_sent_at: z.iso.datetime().nullable(),
    confirmed_at: z.iso.datetime().nullable(),
    confirm_ip: z.string().nullable(),
    confirm_user_agent: z.string().nullable(),
  }),
  deliveries: z.array(Delivery).describe('newest first'),
}).meta({ id: 'AdminSubscriptionDetail' });

const Outcome = {
  done: z.string(),
  workers_alive: z.number().int().nullable().describe('live instances that will act on it; null: unknown'),
  note: z.string().describe('"queued — no worker is running" when nobody will send it'),
};
export const SubscriptionActionResponse = z.object({ ...Outcome, subscription: SubscriptionDetailResponse });
export const DeliveryRetryResponse = z.object({
  ...Outcome,
  requeued: z.number().int(),
  skipped: z.string().nullable().describe('why the delivery was left alone'),
});
