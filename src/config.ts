import path from 'node:path';
import { z } from 'zod';

/** Where the data lives: a PostgreSQL server, or PGlite on disk or in memory. */
export type DatabaseConfig =
  | { kind: 'postgres'; url: string }
  | { kind: 'pglite'; dir: string | null };

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
  CACHE_NAMESPACE: z.string().trim().min(1).default('visionaire'),
  REDIS_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(10).max(10000).default(150),
  CACHE_ENABLED: z.enum(['true', 'false', '1', '0']).default('true'),
  SCHEDULER: z.enum(['auto', 'on', 'off']).default('auto'),
  ADMIN_TOKEN: z.string().min(16).optional(),
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
  cacheNamespace: string;
  redisCommandTimeoutMs: number;
  /** False: reads always go to the database (invalidations are still written); for diagnosis and benchmarks. */
  cacheEnabled: boolean;
  /** Run the report scheduler inside `serve`: `auto` means only in embedded mode. */
  scheduler: 'auto' | 'on' | 'off';
  /** True when no DATABASE_URL was given: PGlite and an in-process cache. */
  embedded: boolean;
  /** Bearer token of the operator endpoints (`/api/v1/admin/*`) and the console; null leaves them open. */
  adminToken: string | null;
};

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
    cacheNamespace: e.CACHE_NAMESPACE,
    redisCommandTimeoutMs: e.REDIS_COMMAND_TIMEOUT_MS,
    cacheEnabled: e.CACHE_ENABLED === 'true' || e.CACHE_ENABLED === '1',
    scheduler: e.SCHEDULER,
    embedded: database.kind === 'pglite',
    adminToken: e.ADMIN_TOKEN ?? null,
  };
}

/** The process's configuration; `defaults` apply where the environment is silent. */
export function loadProcessConfig(defaults: Record<string, string> = {}, overrides: Record<string, string | undefined> = {}): Config {
  const env: Record<string, string | undefined> = { ...defaults, ...process.env };
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) env[k] = v;
  return loadConfig(env);
}
