import type { PGlite } from '@electric-sql/pglite';
import type { Knex } from 'knex';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { openDatabase } from './db/database.js';
import { createLogger, type Logger } from './logger.js';
import { AdminService } from './services/admin-service.js';
import { AnalysisService } from './services/analysis-service.js';
import { BadgeService } from './services/badge-service.js';
import { CacheService, type CacheHooks } from './infra/cache/cache-service.js';
import { DashboardService } from './services/dashboard-service.js';
import { HealthService } from './services/health-service.js';
import { ConsoleService } from './services/console-service.js';
import type { ServiceDeps } from './services/deps.js';
import { runMigrations } from './db/migrator.js';
import { RateLimiter } from './infra/rate-limit/rate-limiter.js';
import { ServiceMetrics } from './infra/metrics.js';
import { badgeCountsByType, deliveryCountsByState, poolUse } from './db/metrics-repo.js';
import { invalidationJournal } from './db/invalidation-repo.js';
import { ReportService } from './services/report-service.js';
import { PdfRenderPool, type ReportPdfRenderer } from './infra/pdf/pdf-pool.js';
import { lazyPdfRenderer } from './infra/pdf/lazy-pdf-renderer.js';
import { PdfReportService } from './services/pdf-report-service.js';
import { ProgressService } from './services/progress-service.js';
import { SubscriptionService } from './services/subscription-service.js';
import { DashboardSubscriptionService } from './services/dashboard-subscription-service.js';
import { DeliveryService, type DeliveryOptions } from './services/delivery-service.js';
import { EmailRenderer } from './infra/mail/email-renderer.js';
import { createMailer, type Mailer } from './infra/mail/mailer.js';
import { UnsubscribeService } from './services/unsubscribe-service.js';
import { SignedLinks } from './infra/mail/signed-links.js';
import { Sender } from './infra/mail/sender.js';
import { ConsentService } from './services/consent-service.js';
import { LivenessService } from './services/liveness-service.js';
import { SupportService } from './services/support-service.js';
import { CredentialService } from './services/credential-service.js';
import { PrivacyService } from './services/privacy-service.js';
import { Views } from './infra/views.js';
import { Lifecycle } from './infra/lifecycle.js';

export type ContainerOverrides = {
  clock?: Clock;
  logger?: Logger;
  /** An open PGlite to use in embedded mode instead of a new one (tests: a copy of a migrated snapshot). */
  pglite?: PGlite;
  /** Fault injection, for tests only. */
  hooks?: { cache?: CacheHooks };
  /** Report delivery tuning (batch, concurrency, lease, backoff) and SMTP pool size, for tests and benchmarks. */
  delivery?: Partial<DeliveryOptions> & { smtpMaxConnections?: number };
  /** Heartbeat interval of the report jobs (tests shorten it). */
  heartbeatMs?: number;
};

export type Container = {
  config: Config;
  db: Knex;
  dbKind: 'postgres' | 'pglite';
  clock: Clock;
  logger: Logger;
  cache: CacheService;
  /**
   * Per client IP (null when RATE_LIMIT_PER_MINUTE is 0), per client IP for requests with a valid
   * ADMIN_TOKEN (null when ADMIN_RATE_LIMIT_PER_MINUTE is 0), and per analysis for the PDF report.
   */
  rateLimits: { perIp: RateLimiter | null; admin: RateLimiter | null; pdf: RateLimiter };
  metrics: ServiceMetrics;
  analyses: AnalysisService;
  dashboard: DashboardService;
  badges: BadgeService;
  progress: ProgressService;
  subscriptions: SubscriptionService;
  /** A dashboard's own subscriptions: list, change frequency, cancel. */
  dashboardSubscriptions: DashboardSubscriptionService;
  reports: ReportService;
  pdfReports: PdfReportService;
  views: Views;
  mailer: Mailer;
  links: SignedLinks;
  unsubscribes: UnsubscribeService;
  consents: ConsentService;
  /** Open Badges 3.0 credentials of earned badges: keys, issuance, revocation list. */
  credentials: CredentialService;
  /** A subscriber's data: export, erasure, retention. */
  privacy: PrivacyService;
  deliveries: DeliveryService;
  console: ConsoleService;
  health: HealthService;
  /** Draining or not: set on SIGTERM/SIGINT, read by /health. */
  lifecycle: Lifecycle;
  admin: AdminService;
  /** Heartbeats of the scheduler, delivery workers and confirmation senders. */
  liveness: LivenessService;
  /** Finding subscriptions and deliveries, and the support actions (console and CLI). */
  support: SupportService;
  /** Brings the schema up to date. */
  migrate(): Promise<void>;
  close(): Promise<void>;
};

/** Builds the world once: database, cache and services. Nothing connects before this is called. */
export function createContainer(config: Config, overrides: ContainerOverrides = {}): Container {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const clock = overrides.clock ?? systemClock;
  const database = openDatabase(config.database, logger, { pglite: overrides.pglite, limits: config.dbLimits });
  const metrics = new ServiceMetrics({
    badgesByType: () => badgeCountsByType(database.knex),
    deliveriesByState: () => deliveryCountsByState(database.knex),
    pool: () => poolUse(database.knex),
  });
  const cache = new CacheService({
    redisUrl: config.redisUrl,
    namespace: config.cacheNamespace,
    commandTimeoutMs: config.redisCommandTimeoutMs,
    enabled: config.cacheEnabled,
    leaseMs: config.cacheLeaseMs,
    logger,
    hooks: overrides.hooks?.cache,
    onLookup: (kind, result) => metrics.cacheLookup(kind, result),
    journal: config.redisUrl ? invalidationJournal(database.knex, config.cacheNamespace) : null,
  });
  const limiterDeps = {
    redis: cache.redis,
    namespace: config.cacheNamespace,
    commandTimeoutMs: config.redisCommandTimeoutMs,
    onReject: (limit: string) => metrics.rateLimited.inc({ limit }),
  };
  const deps: ServiceDeps = { db: database.knex, cache, clock, logger };
  const defaultTimeZone = config.reportTimeZone;
  const badges = new BadgeService({ ...deps, defaultTimeZone });
  const dashboard = new DashboardService({ ...deps, defaultTimeZone });
  const credentials = new CredentialService({
    ...deps,
    publicUrl: config.publicUrl,
    frontendUrl: config.frontendUrl,
    embedded: config.embedded,
  });
  const reports = new ReportService({ ...deps, dashboard, badges, frontendUrl: config.frontendUrl, credentials });
  const views = new Views();
  const { smtpMaxConnections, ...deliveryOptions } = overrides.delivery ?? {};
  const mailer = createMailer({
    smtpUrl: config.smtpUrl,
    dataDir: config.dataDir,
    from: config.mailFrom,
    maxConnections: smtpMaxConnections,
  });
  const links = new SignedLinks({
    secret: config.unsubscribeSecret,
    embedded: config.embedded,
    dataDir: config.dataDir,
  });
  const sender = new Sender({
    mailFrom: config.mailFrom,
    postalAddress: config.mailPostalAddress,
    embedded: config.embedded,
    links,
  });
  const emails = new EmailRenderer(views, sender);
  const unsubscribes = new UnsubscribeService({ ...deps, links, publicUrl: config.publicUrl });
  const consents = new ConsentService({
    ...deps,
    links,
    unsubscribes,
    renderer: emails,
    mailer,
    sender,
    publicUrl: config.publicUrl,
  });
  const deliveries = new DeliveryService({
    ...deps,
    reports,
    renderer: emails,
    mailer,
    unsubscribes,
    sender,
    defaultTimeZone,
    catchUpHours: config.reportCatchUpHours,
    options: deliveryOptions,
  });
  const consoleSnapshot = new ConsoleService({
    db: database.knex,
    dbKind: database.kind,
    cache,
    clock,
    timeZone: defaultTimeZone,
  });
  // PDFs render in worker threads; with PDF_WORKERS=0, in this process, loading pdfkit at the first PDF.
  const pdfRenderer: ReportPdfRenderer =
    config.pdfWorkers > 0 ? new PdfRenderPool({ threads: config.pdfWorkers }) : lazyPdfRenderer();
  const lifecycle = new Lifecycle();
  const perMinute = (name: string, points: number) =>
    points > 0 ? new RateLimiter({ name, points, durationSeconds: 60 }, limiterDeps) : null;
  const rateLimits = {
    perIp: perMinute('ip', config.rateLimitPerMinute),
    admin: perMinute('admin', config.adminRateLimitPerMinute),
    pdf: perMinute('report-pdf', 5)!, // CONTRACT.md: 5 a minute per analysis
  };
  const liveness = new LivenessService({ ...deps, intervalMs: overrides.heartbeatMs });
  const subscriptions = new SubscriptionService({ ...deps, onConsentRequested: () => consents.requested() });
  let closed = false;
  return {
    config,
    db: database.knex,
    dbKind: database.kind,
    clock,
    logger,
    cache,
    rateLimits,
    metrics,
    analyses: new AnalysisService(deps),
    dashboard,
    badges,
    progress: new ProgressService({ ...deps, badges }),
    subscriptions,
    dashboardSubscriptions: new DashboardSubscriptionService(deps),
    reports,
    pdfReports: new PdfReportService({ ...deps, reports, renderer: pdfRenderer }),
    views,
    mailer,
    links,
    unsubscribes,
    consents,
    credentials,
    privacy: new PrivacyService({ ...deps, unsubscribes, retention: config.retention }),
    deliveries,
    console: consoleSnapshot,
    admin: new AdminService({ ...deps, dbKind: database.kind, consoleSnapshot, deliveries, liveness }),
    liveness,
    support: new SupportService({
      ...deps,
      defaultTimeZone,
      liveness,
      subscriptions,
      deliveries,
      onConsentRequested: () => consents.requested(),
    }),
    health: new HealthService({ db: database.knex, dbKind: database.kind, cache, lifecycle }),
    lifecycle,
    migrate: async () => {
      await runMigrations(database.knex, 'latest');
    },
    close: async () => {
      if (closed) return;
      closed = true;
      mailer.close();
      for (const limiter of Object.values(rateLimits)) limiter?.close();
      await Promise.allSettled([cache.close(), database.close(), pdfRenderer.close?.()]);
    },
  };
}
