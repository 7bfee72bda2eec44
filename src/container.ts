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
import { ConsoleService } from './services/console-service.js';
import type { ServiceDeps } from './services/deps.js';
import { runMigrations } from './db/migrator.js';
import { MemoryRateLimiter, type RateLimiter } from './infra/rate-limit/rate-limiter.js';
import { RedisRateLimiter } from './infra/rate-limit/redis-rate-limiter.js';
import { ReportService } from './services/report-service.js';
import { lazyPdfRenderer } from './infra/pdf/lazy-pdf-renderer.js';
import { PdfReportService } from './services/pdf-report-service.js';
import { ProgressService } from './services/progress-service.js';
import { SubscriptionService } from './services/subscription-service.js';
import { DeliveryService, type DeliveryOptions } from './services/delivery-service.js';
import { EmailRenderer } from './infra/mail/email-renderer.js';
import { createMailer, type Mailer } from './infra/mail/mailer.js';
import { UnsubscribeService } from './services/unsubscribe-service.js';
import { UnsubscribeTokens } from './infra/mail/unsubscribe-tokens.js';
import { Views } from './infra/views.js';

export type ContainerOverrides = {
  clock?: Clock;
  logger?: Logger;
  /** Fault injection, for tests only. */
  hooks?: { cache?: CacheHooks };
  /** Report delivery tuning (batch, concurrency, lease, backoff) and SMTP pool size, for tests and benchmarks. */
  delivery?: Partial<DeliveryOptions> & { smtpMaxConnections?: number };
};

export type Container = {
  config: Config;
  db: Knex;
  dbKind: 'postgres' | 'pglite';
  clock: Clock;
  logger: Logger;
  cache: CacheService;
  rateLimiter: RateLimiter;
  analyses: AnalysisService;
  dashboard: DashboardService;
  badges: BadgeService;
  progress: ProgressService;
  subscriptions: SubscriptionService;
  reports: ReportService;
  pdfReports: PdfReportService;
  views: Views;
  mailer: Mailer;
  unsubscribeTokens: UnsubscribeTokens;
  unsubscribes: UnsubscribeService;
  emails: EmailRenderer;
  deliveries: DeliveryService;
  console: ConsoleService;
  admin: AdminService;
  /** Brings the schema up to date. */
  migrate(): Promise<void>;
  close(): Promise<void>;
};

/** Builds the world once: database, cache and services. Nothing connects before this is called. */
export function createContainer(config: Config, overrides: ContainerOverrides = {}): Container {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const clock = overrides.clock ?? systemClock;
  const database = openDatabase(config.database, logger);
  const cache = new CacheService({
    redisUrl: config.redisUrl,
    namespace: config.cacheNamespace,
    commandTimeoutMs: config.redisCommandTimeoutMs,
    enabled: config.cacheEnabled,
    logger,
    hooks: overrides.hooks?.cache,
  });
  const deps: ServiceDeps = { db: database.knex, cache, clock, logger };
  const badges = new BadgeService(deps);
  const dashboard = new DashboardService(deps);
  const reports = new ReportService({ ...deps, dashboard, frontendUrl: config.frontendUrl });
  const views = new Views();
  const emails = new EmailRenderer(views);
  const { smtpMaxConnections, ...deliveryOptions } = overrides.delivery ?? {};
  const mailer = createMailer({ smtpUrl: config.smtpUrl, dataDir: config.dataDir, from: config.mailFrom, maxConnections: smtpMaxConnections });
  const unsubscribeTokens = new UnsubscribeTokens({ secret: config.unsubscribeSecret, embedded: config.embedded, dataDir: config.dataDir });
  const unsubscribes = new UnsubscribeService({ ...deps, tokens: unsubscribeTokens, publicUrl: config.publicUrl });
  const deliveries = new DeliveryService({ ...deps, reports, renderer: emails, mailer, unsubscribes, options: deliveryOptions });
  const consoleSnapshot = new ConsoleService({ db: database.knex, dbKind: database.kind, cache, clock });
  let closed = false;
  return {
    config,
    db: database.knex,
    dbKind: database.kind,
    clock,
    logger,
    cache,
    rateLimiter: cache.redis ? new RedisRateLimiter({ redis: cache.redis, namespace: config.cacheNamespace, logger }) : new MemoryRateLimiter(),
    analyses: new AnalysisService(deps),
    dashboard,
    badges,
    progress: new ProgressService({ ...deps, badges }),
    subscriptions: new SubscriptionService(deps),
    reports,
    pdfReports: new PdfReportService({ ...deps, reports, renderer: lazyPdfRenderer() }),
    views,
    mailer,
    unsubscribeTokens,
    unsubscribes,
    emails,
    deliveries,
    console: consoleSnapshot,
    admin: new AdminService({ ...deps, dbKind: database.kind, consoleSnapshot, deliveries }),
    migrate: async () => {
      await runMigrations(database.knex, 'latest');
    },
    close: async () => {
      if (closed) return;
      closed = true;
      mailer.close();
      await Promise.allSettled([cache.close(), database.close()]);
    },
  };
}
