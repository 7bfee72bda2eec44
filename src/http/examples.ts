/** Example bodies for the OpenAPI document, from the spec's dashboard example (5, 8 and 2 h a week). */
const ID = '550e8400-e29b-41d4-a716-446655440000';
const AT = '2026-03-02T10:00:00.000Z';

const badge = {
  badge_type: 'first_step',
  badge_name: 'Premier Pas',
  description: 'Vous avez commencé votre première opportunité!',
  icon: '🎯',
  points: 10,
  earned_at: AT,
};
const metrics = {
  time_saved: { potential_weekly: 15, implemented_weekly: 5, potential_annual: 780, implemented_annual: 260 },
  money_saved: { hourly_rate: 50, potential_annual: 39000, implemented_annual: 13000, currency: 'CAD' },
};
const opportunity = {
  opportunity_id: 'digital_presence',
  category: 'digital_presence',
  hours_per_week: 5,
  hours_per_year: 260,
  problem_teaser: 'Publication manuelle sur les réseaux sociaux',
  complexity_level: 3,
  tools_hint: 'Buffer, Zapier',
  status: 'IMPLEMENTED',
  implemented_at: AT,
};

const SUB = '7d9f2c1a-3b4e-4f5a-8b6c-1d2e3f4a5b6c';
const failure = {
  id: '0b6e1c52-9f1d-4a53-8d5e-2f7c9a1b3c4d',
  subscription_id: SUB,
  analysis_id: ID,
  company_name: 'Example Inc.',
  email: 'm***@example.com',
  period_key: '2026-W10',
  attempts: 3,
  last_error: '451 4.3.0 mailbox temporarily unavailable',
  failed_at: AT,
  subscription_state: 'active',
};

export const EXAMPLES = {
  intake: { analysis_id: ID, status: 'COMPLETE', cached: false },
  analysis: {
    id: ID,
    url: 'https://example.com',
    status: 'COMPLETE',
    results_summary: {
      identity_a1: { company_name: 'Example Inc.', sector: 'Services', estimated_size: '10-50', tier: 'A' },
      digital_presence: {
        hours_per_week: 5,
        hours_per_year: 260,
        problem_teaser: 'Publication manuelle',
        complexity_level: 3,
        tools_hint: 'Buffer',
      },
    },
    hourly_rate: 50,
    time_zone: 'America/Toronto',
    created_at: AT,
    completed_at: AT,
  },
  dashboard: {
    analysis_id: ID,
    url: 'https://example.com',
    status: 'COMPLETE',
    identity: { company_name: 'Example Inc.', sector: 'Services', estimated_size: '10-50', tier: 'A' },
    opportunities: [opportunity],
    progress_summary: {
      total_opportunities: 3,
      not_started: 1,
      in_progress: 1,
      implemented: 1,
      completion_percentage: 33,
    },
    badges: [badge],
    metrics,
    time_zone: 'America/Toronto',
    created_at: AT,
    completed_at: AT,
  },
  progress: {
    analysis_id: ID,
    opportunity_id: 'digital_presence',
    status: 'IMPLEMENTED',
    implemented_at: AT,
    new_badges: [badge],
    metrics,
  },
  metrics,
  recommendations: {
    analysis_id: ID,
    recommendations: [
      {
        opportunity_id: 'business_management',
        category: 'business_management',
        hours_per_week: 2,
        complexity_level: 1,
        problem_teaser: 'Relances de factures à la main',
        priority_score: 2,
        reason: '2 h/semaine pour une complexité de 1/10',
      },
    ],
  },
  badges: {
    analysis_id: ID,
    badges: [badge],
    total_badges: 1,
    total_points: 10,
    in_progress: [
      {
        badge_type: 'time_saver',
        badge_name: 'Économiseur de Temps',
        description: 'Vous économisez déjà 10+ heures par semaine!',
        icon: '⏰',
        points: 50,
        progress: { current: 5, target: 10, unit: 'hours_per_week', achievable: true },
      },
    ],
  },
  subscription: {
    subscription_id: '7d9f2c1a-3b4e-4f5a-8b6c-1d2e3f4a5b6c',
    analysis_id: ID,
    email: 'marie@example.com',
    frequency: 'weekly',
    active: true,
    hourly_rate: 50,
    created_at: AT,
    status: 'active',
  },
  dashboardSubscriptions: {
    analysis_id: ID,
    subscriptions: [
      {
        subscription_id: '7d9f2c1a-3b4e-4f5a-8b6c-1d2e3f4a5b6c',
        frequency: 'weekly',
        status: 'active',
        created_at: AT,
        masked_email: 'm•••@example.com',
      },
    ],
  },
  dashboardSubscription: {
    subscription_id: '7d9f2c1a-3b4e-4f5a-8b6c-1d2e3f4a5b6c',
    frequency: 'monthly',
    status: 'active',
    created_at: AT,
    masked_email: 'm•••@example.com',
  },
  unsubscribed: { unsubscribed: true, changed: true, analysis_id: ID, frequency: 'weekly' },
  adminOverview: {
    at: AT,
    database: 'postgres',
    cache: {
      health: 'healthy',
      backend: 'redis',
      hits: 1520,
      misses: 87,
      hit_rate: 94.59,
      memory_used: '1.52M',
      connected_clients: 4,
    },
    subscriptions: { weekly: 212, monthly: 88, inactive: 9, suspended: 1 },
    deliveries: { pending: 4, sending: 0, sent: 1830, failed: 1, cancelled: 3, due_now: 0 },
    retrying: [
      {
        id: '5a1f3e2d-7c6b-4a98-b1e2-3f4d5c6b7a89',
        company_name: 'Café Éloïse & Fils',
        period_key: '2026-W10',
        attempts: 1,
        last_error: '421 4.7.0 try again later',
        next_attempt_at: AT,
      },
    ],
    failures: [failure],
    suspended: [
      {
        subscription_id: SUB,
        email: 'm***@example.com',
        company_name: 'Example Inc.',
        bounce_count: 2,
        suspended_at: AT,
      },
    ],
    next_runs: { weekly: '2026-03-09T13:00:00.000Z', monthly: '2026-04-01T13:00:00.000Z' },
    activity: {
      since: AT,
      progress_updates: 12,
      badges_awarded: 3,
      latest: [{ kind: 'badge', company_name: 'Example Inc.', what: 'first_step', at: AT }],
    },
  },
  failures: [failure],
  retry: { dry_run: false, requeued: [failure], skipped: [] },
  consents: [
    {
      subscription_id: SUB,
      email: 'm***@example.com',
      frequency: 'weekly',
      status: 'active',
      active: true,
      requested_at: AT,
      request_ip: '203.0.113.x',
      request_user_agent: 'Mozilla/5.0',
      confirmation_sent_at: AT,
      confirmed_at: AT,
      confirm_ip: '203.0.113.x',
      confirm_user_agent: 'Mozilla/5.0',
      withdrawn_at: null,
      withdrawal_source: null,
      withdraw_ip: null,
      withdraw_user_agent: null,
    },
  ],
  confirmed: { confirmed: true, changed: true, analysis_id: ID, frequency: 'weekly', status: 'active' },
  cacheStats: {
    health: 'healthy',
    backend: 'redis',
    hits: 1520,
    misses: 87,
    hit_rate: 94.59,
    memory_used: '1.52M',
    connected_clients: 4,
  },
  health: {
    status: 'ok',
    database: { status: 'up', kind: 'postgres', latency_ms: 1.2 },
    cache: { status: 'up', backend: 'redis' },
  },
  html: '<!DOCTYPE html><html lang="fr">…</html>',
  metricsText:
    '# TYPE http_request_duration_seconds histogram\nhttp_request_duration_seconds_bucket{le="0.005",method="GET",route="/api/v1/dashboard/:analysisId",status="200"} 12\n',
} as const;
