/** Example bodies of the support endpoints for the OpenAPI document. */
const SUB = '7d9f2c1a-3b4e-4f5a-8b6c-1d2e3f4a5b6c';
const ID = '550e8400-e29b-41d4-a716-446655440000';
const AT = '2026-03-02T10:00:00.000Z';

const summary = {
  subscription_id: SUB,
  analysis_id: ID,
  email: 'marie@example.com',
  company_name: 'Example Inc.',
  frequency: 'weekly',
  time_zone: 'America/Toronto',
  status: 'suspended',
  bounce_count: 2,
  created_at: AT,
};
const delivery = {
  id: '5a1f3e2d-7c6b-4a98-b1e2-3f4d5c6b7a89',
  subscription_id: SUB,
  analysis_id: ID,
  email: 'marie@example.com',
  company_name: 'Example Inc.',
  period_key: '2026-W10',
  state: 'failed',
  attempts: 1,
  last_error: '550 5.1.1 mailbox unavailable',
  next_attempt_at: null,
  sent_at: null,
  failed_at: AT,
};
const detail = {
  ...summary,
  suspended_at: AT,
  consent: {
    requested_at: AT,
    request_ip: '203.0.113.x',
    request_user_agent: 'Mozilla/5.0',
    confirmation_sent_at: AT,
    confirmed_at: AT,
    confirm_ip: '203.0.113.x',
    confirm_user_agent: 'Mozilla/5.0',
  },
  deliveries: [delivery],
};

export const SUPPORT_EXAMPLES = {
  list: [summary],
  detail,
  deliveries: [delivery],
  reactivated: {
    done: 'marie@example.com is active again',
    workers_alive: 1,
    note: 'a live scheduler will queue its next report',
    subscription: { ...detail, status: 'active', bounce_count: 0, suspended_at: null },
  },
  resent: {
    done: 'confirmation email to marie@example.com',
    workers_alive: 0,
    note: 'queued — no worker is running',
    subscription: { ...detail, status: 'pending' },
  },
  retried: {
    done: `delivery ${delivery.id} of 2026-W10`,
    workers_alive: 1,
    note: 'queued — 1 live worker will send it',
    requeued: 1,
    skipped: null,
  },
};
