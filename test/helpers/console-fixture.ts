import type { AdminOverview, FailureView } from '../../src/services/admin-service.js';
import type { SubscriptionDetail, SubscriptionSummary } from '../../src/services/support-service.js';

const failure = (i: number, period: string, error: string): FailureView => ({
  id: `abcdef1${i}-0000-4000-8000-000000000000`,
  subscription_id: `5ub5c71${i}-0000-4000-8000-000000000000`,
  analysis_id: `a0a0a0a${i}-0000-4000-8000-000000000000`,
  company_name: `Boulangerie ${i}`,
  email: `o***@example${i}.com`,
  period_key: period,
  attempts: 3,
  last_error: error,
  failed_at: '2026-11-30T09:12:00.000Z',
  subscription_state: 'active',
});

/** What `GET /api/v1/admin/console` answers, for component tests. */
export const OVERVIEW: AdminOverview = {
  at: '2026-11-30T09:20:00.000Z',
  database: 'postgres',
  liveness: {
    interval_ms: 5000,
    schedulers: 1,
    workers: 1,
    confirmations: 1,
    instances: [
      {
        instance_id: '0b7c9d2e-4f1a-4c3b-9e8d-7a6b5c4d3e2f',
        role: 'scheduler',
        host: 'worker-1',
        pid: 4242,
        started_at: '2026-11-30T08:00:00.000Z',
        last_beat_at: '2026-11-30T09:19:58.000Z',
        beat_age_s: 2,
        alive: true,
      },
      {
        instance_id: '1c8d0e3f-5a2b-4d4c-8f9e-8b7c6d5e4f30',
        role: 'worker',
        host: 'worker-1',
        pid: 4242,
        started_at: '2026-11-30T08:00:00.000Z',
        last_beat_at: '2026-11-30T09:19:57.000Z',
        beat_age_s: 3,
        alive: true,
      },
    ],
  },
  cache: {
    health: 'healthy',
    backend: 'redis',
    hits: 8123,
    misses: 1877,
    hit_rate: 81.23,
    memory_used: '1.52M',
    connected_clients: 4,
  },
  subscriptions: { weekly: 310, monthly: 95, awaiting_confirmation: 6, inactive: 12, suspended: 1 },
  deliveries: { pending: 12, sending: 3, sent: 40210, failed: 2, cancelled: 0, due_now: 7 },
  retrying: [
    {
      id: 'feed0000-0000-4000-8000-000000000000',
      company_name: 'Garage Tremblay',
      period_key: '2026-W48',
      attempts: 1,
      last_error: '451 try again later',
      next_attempt_at: '2026-11-30T09:24:00.000Z',
    },
  ],
  failures: [failure(1, '2026-W48', '550 mailbox unavailable'), failure(2, '2026-W47', 'Connection timeout')],
  suspended: [
    {
      subscription_id: '5ub5c713-0000-4000-8000-000000000000',
      email: 'g***@example.org',
      company_name: 'Café Nord',
      bounce_count: 2,
      suspended_at: '2026-11-30T09:00:00.000Z',
    },
  ],
  next_runs: { weekly: '2026-12-07T09:00:00.000Z', monthly: '2026-12-01T09:00:00.000Z' },
  activity: {
    since: '2026-11-30T08:20:00.000Z',
    progress_updates: 14,
    badges_awarded: 3,
    latest: [{ kind: 'badge', company_name: 'Boulangerie 1', what: 'Premier Pas', at: '2026-11-30T09:15:00.000Z' }],
  },
};

const SUB = '5b5c7130-0000-4000-8000-000000000000';

/** What `GET /api/v1/admin/subscriptions?q=` answers, for component tests. */
export const SEARCH_RESULTS: SubscriptionSummary[] = [
  {
    subscription_id: SUB,
    analysis_id: 'a0a0a0a3-0000-4000-8000-000000000000',
    email: 'gerant.cafe-nord@example.org',
    company_name: 'Café Nord',
    frequency: 'weekly',
    time_zone: 'America/Toronto',
    status: 'suspended',
    bounce_count: 2,
    created_at: '2026-11-01T12:00:00.000Z',
  },
];

/** What `GET /api/v1/admin/subscriptions/:id` answers, for component tests. */
export const SUBSCRIPTION: SubscriptionDetail = {
  ...SEARCH_RESULTS[0]!,
  suspended_at: '2026-11-30T09:00:00.000Z',
  consent: {
    requested_at: '2026-11-01T12:00:00.000Z',
    request_ip: '203.0.113.x',
    request_user_agent: 'Mozilla/5.0',
    confirmation_sent_at: '2026-11-01T12:00:05.000Z',
    confirmed_at: '2026-11-01T12:03:00.000Z',
    confirm_ip: '203.0.113.x',
    confirm_user_agent: null,
  },
  deliveries: [
    {
      id: 'de1e0002-0000-4000-8000-000000000000',
      subscription_id: SUB,
      analysis_id: 'a0a0a0a3-0000-4000-8000-000000000000',
      email: 'gerant.cafe-nord@example.org',
      company_name: 'Café Nord',
      period_key: '2026-W48',
      state: 'failed',
      attempts: 1,
      last_error: '550 5.1.1 mailbox unavailable',
      next_attempt_at: null,
      sent_at: null,
      failed_at: '2026-11-30T09:00:00.000Z',
    },
    {
      id: 'de1e0001-0000-4000-8000-000000000000',
      subscription_id: SUB,
      analysis_id: 'a0a0a0a3-0000-4000-8000-000000000000',
      email: 'gerant.cafe-nord@example.org',
      company_name: 'Café Nord',
      period_key: '2026-W47',
      state: 'sent',
      attempts: 1,
      last_error: null,
      next_attempt_at: null,
      sent_at: '2026-11-23T09:00:03.000Z',
      failed_at: null,
    },
  ],
};
