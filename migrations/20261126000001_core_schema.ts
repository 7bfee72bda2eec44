import type { Knex } from 'knex';

// One migration set for PostgreSQL and PGlite: plain Postgres DDL (jsonb, gen_random_uuid, plpgsql).
const BADGES = [
  ['first_step', 'Premier Pas', 'Vous avez commencé votre première opportunité!', '🎯', 10, { rule: 'first_progress' }],
  [
    'quick_win',
    'Victoire Rapide',
    'Première opportunité complétée en moins de 7 jours!',
    '⚡',
    25,
    { rule: 'first_implemented_within', hours: 168 },
  ],
  [
    'time_saver',
    'Économiseur de Temps',
    'Vous économisez déjà 10+ heures par semaine!',
    '⏰',
    50,
    { rule: 'implemented_hours_per_week', min: 10 },
  ],
  [
    'efficiency_expert',
    'Expert Efficacité',
    'Toutes les opportunités implémentées!',
    '🏆',
    100,
    { rule: 'all_implemented' },
  ],
  [
    'streak_master',
    'Maître de la Constance',
    'Activité pendant 7 jours consécutifs!',
    '🔥',
    75,
    { rule: 'activity_streak', days: 7 },
  ],
] as const;

const UP: readonly string[] = [
  `CREATE OR REPLACE FUNCTION update_updated_at_column() RETURNS TRIGGER AS $$
  BEGIN
    NEW.updated_at = NOW();
    RETURN NEW;
  END;
  $$ LANGUAGE plpgsql`,
  `CREATE TABLE analyses (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    url TEXT NOT NULL,
    url_hash CHAR(64) NOT NULL,
    status VARCHAR(20) NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'COMPLETE')),
    results_summary JSONB,
    hourly_rate NUMERIC(10,2) CHECK (hourly_rate IS NULL OR (hourly_rate >= 20 AND hourly_rate <= 500)),
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    completed_at TIMESTAMPTZ,
    updated_at TIMESTAMPTZ,
    CHECK ((status = 'COMPLETE') = (results_summary IS NOT NULL))
  )`,
  `CREATE INDEX idx_analyses_url_hash_created ON analyses (url_hash, created_at DESC)`,
  `CREATE TRIGGER update_analyses_updated_at BEFORE UPDATE ON analyses
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column()`,
  `CREATE TABLE user_progress (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    analysis_id UUID NOT NULL REFERENCES analyses(id) ON DELETE CASCADE,
    opportunity_category VARCHAR(50) NOT NULL CHECK (opportunity_category IN ('digital_presence', 'value_creation', 'business_management')),
    opportunity_id VARCHAR(100) NOT NULL,
    status VARCHAR(20) NOT NULL DEFAULT 'NOT_STARTED' CHECK (status IN ('NOT_STARTED', 'IN_PROGRESS', 'IMPLEMENTED')),
    implemented_at TIMESTAMPTZ,
    metadata JSONB,
    created_at TIMESTAMPTZ DEFAULT NOW(),
    updated_at TIMESTAMPTZ,
    UNIQUE (analysis_id, opportunity_id)
  )`,
  `CREATE INDEX idx_progress_analysis_id ON user_progress (analysis_id)`,
  `CREATE INDEX idx_progress_status ON user_progress (status)`,
  `CREATE INDEX idx_progress_implemented_at ON user_progress (implemented_at)`,
  `CREATE TRIGGER update_user_progress_updated_at BEFORE UPDATE ON user_progress
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column()`,
  `CREATE TABLE progress_events (
    id BIGSERIAL PRIMARY KEY,
    analysis_id UUID NOT NULL REFERENCES analyses(id) ON DELETE CASCADE,
    opportunity_id VARCHAR(100) NOT NULL,
    from_status VARCHAR(20) NOT NULL,
    to_status VARCHAR(20) NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    CHECK (from_status <> to_status)
  )`,
  `CREATE INDEX idx_progress_events_analysis ON progress_events (analysis_id, occurred_at)`,
  `CREATE TABLE badge_definitions (
    type VARCHAR(50) NOT NULL,
    version INTEGER NOT NULL CHECK (version > 0),
    name VARCHAR(100) NOT NULL,
    description TEXT NOT NULL,
    icon VARCHAR(10),
    points INTEGER NOT NULL CHECK (points >= 0),
    criteria JSONB NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    PRIMARY KEY (type, version)
  )`,
  `-- At most one active version of a badge at a time.
  CREATE UNIQUE INDEX idx_badge_definitions_active ON badge_definitions (type) WHERE active`,
  `CREATE TABLE user_badges (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    analysis_id UUID NOT NULL REFERENCES analyses(id) ON DELETE CASCADE,
    badge_type VARCHAR(50) NOT NULL,
    badge_version INTEGER NOT NULL,
    badge_name VARCHAR(100) NOT NULL,
    description TEXT NOT NULL,
    icon VARCHAR(10),
    points INTEGER NOT NULL DEFAULT 0,
    earned_at TIMESTAMPTZ DEFAULT NOW(),
    metadata JSONB,
    UNIQUE (analysis_id, badge_type),
    FOREIGN KEY (badge_type, badge_version) REFERENCES badge_definitions (type, version)
  )`,
  `CREATE INDEX idx_badges_analysis_id ON user_badges (analysis_id)`,
  `CREATE INDEX idx_badges_type ON user_badges (badge_type)`,
  `CREATE INDEX idx_badges_earned_at ON user_badges (earned_at)`,
  `CREATE TABLE email_subscriptions (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    analysis_id UUID NOT NULL REFERENCES analyses(id) ON DELETE CASCADE,
    email VARCHAR(320) NOT NULL CHECK (email = lower(email)),
    frequency VARCHAR(20) NOT NULL DEFAULT 'weekly' CHECK (frequency IN ('weekly', 'monthly')),
    active BOOLEAN DEFAULT TRUE,
    hourly_rate NUMERIC(10,2) CHECK (hourly_rate IS NULL OR (hourly_rate >= 20 AND hourly_rate <= 500)),
    last_sent_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ DEFAULT NOW(),
    updated_at TIMESTAMPTZ,
    UNIQUE (analysis_id, email)
  )`,
  `CREATE INDEX idx_subscriptions_analysis_id ON email_subscriptions (analysis_id)`,
  `CREATE INDEX idx_subscriptions_email ON email_subscriptions (email)`,
  `CREATE INDEX idx_subscriptions_active ON email_subscriptions (active)`,
  `CREATE INDEX idx_subscriptions_last_sent ON email_subscriptions (last_sent_at)`,
  `CREATE TRIGGER update_email_subscriptions_updated_at BEFORE UPDATE ON email_subscriptions
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column()`,
];

export async function up(knex: Knex): Promise<void> {
  for (const statement of UP) await knex.raw(statement);
  await knex('badge_definitions').insert(
    BADGES.map(([type, name, description, icon, points, criteria]) => ({
      type,
      version: 1,
      name,
      description,
      icon,
      points,
      criteria: JSON.stringify(criteria),
    })),
  );
}

const DOWN: readonly string[] = [
  'DROP TABLE IF EXISTS email_subscriptions',
  'DROP TABLE IF EXISTS user_badges',
  'DROP TABLE IF EXISTS badge_definitions',
  'DROP TABLE IF EXISTS progress_events',
  'DROP TABLE IF EXISTS user_progress',
  'DROP TABLE IF EXISTS analyses',
  'DROP FUNCTION IF EXISTS update_updated_at_column()',
];

export async function down(knex: Knex): Promise<void> {
  for (const statement of DOWN) await knex.raw(statement);
}
