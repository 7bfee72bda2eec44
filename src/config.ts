import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { canonicalTimeZone, DEFAULT_TIME_ZONE } from './domain/time-zone.js';

/** Where the data lives: a PostgreSQL server, or PGlite on disk or in memory. */
export type DatabaseConfig = { kind: 'postgres'; url: string } | { kind: 'pglite'; dir: string | null };

const MAKE_TOKEN = 'make one with: openssl rand -hex 32';

const EnvSchema = z.object({
  DATABASE_URL: z.string().trim().min(1).optional(),
  REDIS_URL: z.string().trim().url().optional(),
  SMTP_URL: z.string().trim().url().optional(),
  DATA_DIR: z.string().trim().min(1).default('./data'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  FRONTEND_URL: z.string().trim().url().default('http://localhost:3000'),
  PUBLIC_URL: z.string().trim().url().optional(),
  MAIL_FROM: z.string().trim().min(3).default("Vision'AI're <rapports@visionaire.local>"),
  UNSUBSCRIBE_SECRET: z.string().min(16).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['auto', 'pretty', 'json']).default('auto'),
  CACHE_NAMESPACE: z.string().trim().min(1).default('visionaire'),
  REDIS_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(10).max(10000).default(150),
  CACHE_ENABLED: z.enum(['true', 'false', '1', '0']).default('true'),
  SCHEDULER: z.enum(['auto', 'on', 'off']).default('auto'),
  CORS_ORIGINS: z.string().trim().optional(),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(100),
  ADMIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(1200),
  TRUST_PROXY: z.enum(['true', 'false', '1', '0']).default('false'),
  ADMIN_TOKEN: z
    .string()
    .trim()
    .min(16, { message: `must be at least 16 characters (${MAKE_TOKEN})` })
    .optional(),
  REPORT_TIME_ZONE: z
    .string()
    .trim()
    .default(DEFAULT_TIME_ZONE)
    .refine((tz) => canonicalTimeZone(tz) !== null, 'must be an IANA time zone such as America/Toronto')
    .transform((tz) => canonicalTimeZone(tz)!),
  REPORT_CATCHUP_HOURS: z.coerce
    .number()
    .min(0)
    .max(24 * 31)
    .default(24),
  MAIL_POSTAL_ADDRESS: z.string().trim().min(5).max(300).optional(),
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(2000),
  DB_ACQUIRE_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(2000),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(8000).default(5000),
  PDF_WORKERS: z.coerce.number().int().min(0).max(64).optional(),
  CACHE_LEASE_MS: z.coerce.number().int().min(0).max(1000).default(20),
  RETENTION_DELIVERY_MONTHS: z.coerce.number().int().min(0).max(600).default(13),
  RETENTION_CONSENT_IP_YEARS: z.coerce.number().int().min(0).max(50).default(3),
});

export type Config = {
  database: DatabaseConfig;
  redisUrl: string | null;
  smtpUrl: string | null;
  dataDir: string;
  port: number;
  host: string;
  frontendUrl: string;
  publicUrl: string;
  mailFrom: string;
  unsubscribeSecret: string | null;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  /** `auto`: short human lines on a terminal, JSON anywhere else (pipes, files, containers). */
  logFormat: 'auto' | 'pretty' | 'json';
  cacheNamespace: string;
  redisCommandTimeoutMs: number;
  /** False: reads always go to the database (invalidations are still written); for diagnosis and benchmarks. */
  cacheEnabled: boolean;
  /** Run the report scheduler inside `serve`: `auto` means only in embedded mode. */
  scheduler: 'auto' | 'on' | 'off';
  /** The IANA time zone of analyses that name none: streak days, report periods and the 09:00 send time. */
  reportTimeZone: string;
  /** A report whose 09:00 passed while no scheduler ran is still sent within this window, never later. */
  reportCatchUpHours: number;
  /** The sender's postal address, printed in every email (CASL); required in production mode. */
  mailPostalAddress: string | null;
  /** True when no DATABASE_URL was given: PGlite and an in-process cache. */
  embedded: boolean;
  /** Browser origins allowed by CORS (exact `scheme://host[:port]`); CORS_ORIGINS, else FRONTEND_URL. */
  corsOrigins: string[];
  /** Requests a minute per client IP; 0 turns the limit off. */
  rateLimitPerMinute: number;
  /** Requests a minute per client IP that carry a valid ADMIN_TOKEN, never counted by the public limit; 0: unlimited. */
  adminRateLimitPerMinute: number;
  /** Take the client IP from X-Forwarded-For (only behind a proxy that sets it). */
  trustProxy: boolean;
  /** Bearer token for the operator endpoints; null leaves them open (embedded mode only). */
  adminToken: string | null;
  /** PostgreSQL waits: statement timeout (0 = none) and pool acquire timeout; past them a request gets 503. */
  dbLimits: DatabaseLimits;
  /** On SIGTERM/SIGINT, how long a request stalled mid-way may keep its socket before it is closed. */
  shutdownGraceMs: number;
  /** Worker threads rendering PDFs off the event loop; 0 renders on it. */
  pdfWorkers: number;
  /** How long generation tags are held without a Redis round trip; writers wait as long. 0: a round trip per read. */
  cacheLeaseMs: number;
  /** Months a delivery row keeps its subscription, and years a withdrawn consent keeps its IPs; 0 keeps them. */
  retention: { deliveryMonths: number; consentIpYears: number };
};

export type DatabaseLimits = { statementTimeoutMs: number; acquireTimeoutMs: number };

/** Thrown when the environment does not describe a usable configuration. */
export class ConfigError extends Error {}

function parseDatabase(url: string | undefined, dataDir: string): DatabaseConfig {
  if (!url) return { kind: 'pglite', dir: path.join(dataDir, 'pglite') };
  if (url === 'pglite:memory') return { kind: 'pglite', dir: null };
  if (url.startsWith('pglite:')) return { kind: 'pglite', dir: url.slice('pglite:'.length) };
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new ConfigError('DATABASE_URL must be a postgres:// URL (or pglite:memory / pglite:PATH)');
  }
  return { kind: 'postgres', url };
}

/** Validates the environment once; nothing else in the service reads process.env. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  // An empty variable (`REDIS_URL=`) means unset.
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = EnvSchema.safeParse(given);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  const database = parseDatabase(e.DATABASE_URL, e.DATA_DIR);
  return {
    database,
    redisUrl: e.REDIS_URL ?? null,
    smtpUrl: e.SMTP_URL ?? null,
    dataDir: e.DATA_DIR,
    port: e.PORT,
    host: e.HOST,
    frontendUrl: e.FRONTEND_URL.replace(/\/$/, ''),
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    mailFrom: e.MAIL_FROM,
    unsubscribeSecret: e.UNSUBSCRIBE_SECRET ?? null,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    cacheNamespace: e.CACHE_NAMESPACE,
    redisCommandTimeoutMs: e.REDIS_COMMAND_TIMEOUT_MS,
    cacheEnabled: e.CACHE_ENABLED === 'true' || e.CACHE_ENABLED === '1',
    scheduler: e.SCHEDULER,
    reportTimeZone: e.REPORT_TIME_ZONE,
    reportCatchUpHours: e.REPORT_CATCHUP_HOURS,
    mailPostalAddress: e.MAIL_POSTAL_ADDRESS ?? null,
    embedded: database.kind === 'pglite',
    corsOrigins: (e.CORS_ORIGINS ?? e.FRONTEND_URL)
      .split(',')
      .map((o) => o.trim().replace(/\/$/, ''))
      .filter(Boolean),
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    adminRateLimitPerMinute: e.ADMIN_RATE_LIMIT_PER_MINUTE,
    trustProxy: e.TRUST_PROXY === 'true' || e.TRUST_PROXY === '1',
    adminToken: e.ADMIN_TOKEN ?? null,
    dbLimits: { statementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS, acquireTimeoutMs: e.DB_ACQUIRE_TIMEOUT_MS },
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    // One core stays free for the event loop.
    pdfWorkers: e.PDF_WORKERS ?? Math.max(1, os.availableParallelism() - 1),
    cacheLeaseMs: e.CACHE_LEASE_MS,
    retention: { deliveryMonths: e.RETENTION_DELIVERY_MONTHS, consentIpYears: e.RETENTION_CONSENT_IP_YEARS },
  };
}

function mailProblems(config: Config): string[] {
  if (config.embedded) return [];
  const problems: string[] = [];
  if (!config.unsubscribeSecret)
    problems.push(
      'UNSUBSCRIBE_SECRET is not set. Report emails and unsubscribe links need it when DATABASE_URL is set, ' +
        'and every process (serve, scheduler) must share it: set it to a random string of 16+ characters, e.g. `openssl rand -hex 32`.',
    );
  if (!config.mailPostalAddress)
    problems.push(
      "MAIL_POSTAL_ADDRESS is not set. Every email must carry the sender's postal address (CASL): set it when DATABASE_URL is set.",
    );
  return problems;
}

function refuse(problems: string[]): void {
  if (problems.length > 0) throw new ConfigError(problems.join(' '));
}

/**
 * What sending email needs beyond a valid configuration (scheduler, reports send and retry):
 * checked before anything is opened, so a refusal leaves nothing to close.
 */
export function assertMailReady(config: Config): void {
  refuse(mailProblems(config));
}

/** What `serve` needs beyond a valid configuration: protected operator endpoints, and what emails need. */
export function assertServable(config: Config): void {
  const problems = mailProblems(config);
  if (!config.embedded && !config.adminToken)
    problems.unshift(
      `ADMIN_TOKEN is required in production mode (DATABASE_URL set), at least 16 characters; ${MAKE_TOKEN}.`,
    );
  refuse(problems);
}

/** The process's configuration; `defaults` apply where the environment is silent. */
export function loadProcessConfig(
  defaults: Record<string, string> = {},
  overrides: Record<string, string | undefined> = {},
): Config {
  const env: Record<string, string | undefined> = { ...defaults, ...process.env };
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) env[k] = v;
  return loadConfig(env);
}
