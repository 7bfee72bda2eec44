import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { DatabaseConfig, DatabaseLimits } from '../config.js';
import { ConfigError } from '../config.js';
import type { Logger } from '../logger.js';

export type Database = { knex: Knex; kind: DatabaseConfig['kind']; close(): Promise<void> };

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** PGlite's data directory has no lock of its own: one process at a time, guarded by a pid file. */
function lockPgliteDir(dir: string): () => void {
  fs.mkdirSync(dir, { recursive: true });
  const lockFile = path.join(path.dirname(dir), `${path.basename(dir)}.lock`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(lockFile, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(fs.readFileSync(lockFile, 'utf8'));
      if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) {
        throw new ConfigError(
          `The embedded database in ${dir} is in use by process ${holder}. ` +
            'Stop the running server first, or set DATABASE_URL to use a PostgreSQL server.',
        );
      }
      fs.rmSync(lockFile, { force: true }); // stale lock from a process that died
    }
  }
  throw new ConfigError(`Could not lock the embedded database in ${dir}`);
}

const DEFAULT_LIMITS: DatabaseLimits = { statementTimeoutMs: 2000, acquireTimeoutMs: 2000 };
// The server cancels a slow statement itself (57014); the client gives up a little later, when the server cannot answer at all.
const CLIENT_READ_MARGIN_MS = 250;

/**
 * A query a frozen server never answers hits the client read timeout; the connection is then destroyed so that
 * nothing (not even the transaction's ROLLBACK) queues behind it, and the pool replaces it.
 */
function dropOnReadTimeout(conn: pg.Client, done: (err: Error | null, conn: pg.Client) => void): void {
  const query = conn.query.bind(conn) as (...args: unknown[]) => unknown;
  const socket = () => (conn as unknown as { connection: { stream: { destroy(): void } } }).connection.stream;
  Object.assign(conn, {
    query: (...args: unknown[]) => {
      const i = args.findIndex((a) => typeof a === 'function');
      if (i >= 0) {
        const callback = args[i] as (err: Error | null, ...rest: unknown[]) => void;
        args[i] = (err: Error | null, ...rest: unknown[]) => {
          if (err?.message === 'Query read timeout') socket().destroy();
          callback(err, ...rest);
        };
      }
      return query(...args);
    },
  });
  done(null, conn);
}

function newPglite(dir: string | null): PGlite {
  const { PGlite: Pglite } = createRequire(import.meta.url)(
    '@electric-sql/pglite',
  ) as typeof import('@electric-sql/pglite');
  return new Pglite(dir ?? undefined);
}

/** Knex settings for the configured database (also what `knexfile.ts` hands the knex CLI). */
export function knexConfig(config: DatabaseConfig, limits: DatabaseLimits = DEFAULT_LIMITS): Knex.Config {
  if (config.kind === 'postgres') {
    const statement = limits.statementTimeoutMs;
    return {
      client: 'pg',
      connection: {
        connectionString: config.url,
        connectionTimeoutMillis: limits.acquireTimeoutMs,
        ...(statement > 0 ? { statement_timeout: statement, query_timeout: statement + CLIENT_READ_MARGIN_MS } : {}),
      } as Knex.PgConnectionConfig,
      pool: {
        min: 0,
        max: 10,
        acquireTimeoutMillis: limits.acquireTimeoutMs,
        afterCreate: dropOnReadTimeout,
      } as Knex.PoolConfig,
      acquireConnectionTimeout: limits.acquireTimeoutMs,
    };
  }
  // Loaded only in embedded mode: PGlite is large, and PostgreSQL deployments never need it.
  const ClientPgLite = createRequire(import.meta.url)('knex-pglite') as { default?: unknown };
  return {
    client: (ClientPgLite.default ?? ClientPgLite) as typeof knexFactory.Client,
    dialect: 'postgres',
    connection: config.dir ? { filename: config.dir } : {},
  } as Knex.Config;
}

/**
 * Opens the configured database: PostgreSQL through `pg` with bounded waits (`limits`), or PGlite
 * in-process (`pglite`: an instance already open, e.g. a test's copy of a migrated snapshot).
 */
export function openDatabase(
  config: DatabaseConfig,
  logger: Logger,
  opts: { pglite?: PGlite; limits?: DatabaseLimits } = {},
): Database {
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const log = {
    // A failed acquire reaches whoever waited for the connection (a 503, a CLI error line): no second report.
    warn: (message: string) =>
      String(message).startsWith('Acquire connection error')
        ? logger.debug({ component: 'knex' }, String(message).split('\n')[0])
        : logger.warn({ component: 'knex' }, String(message).split('\n')[0]),
    error: (message: string) => logger.error({ component: 'knex' }, String(message).split('\n')[0]),
    deprecate: (message: string) => logger.debug({ component: 'knex' }, String(message)),
    debug: (message: string) => logger.debug({ component: 'knex' }, String(message)),
  };
  if (config.kind === 'postgres') {
    // NUMERIC and BIGINT arrive as strings by default; the service's values fit in a double.
    pg.types.setTypeParser(pg.types.builtins.NUMERIC, parseFloat);
    pg.types.setTypeParser(pg.types.builtins.INT8, (v: string) => Number(v));
    const knex = knexFactory({ ...knexConfig(config, limits), log });
    return { knex, kind: 'postgres', close: () => knex.destroy() };
  }
  const release = config.dir && !opts.pglite ? lockPgliteDir(config.dir) : () => undefined;
  // Opened here rather than by knex-pglite, so that close() can shut it down even when knex never
  // got a connection: a PGlite left starting (a fresh data directory takes seconds) keeps the process alive.
  const pglite = opts.pglite ?? newPglite(config.dir);
  const knex = knexFactory({
    ...knexConfig(config),
    connection: { pglite } as unknown as Knex.StaticConnectionConfig,
    log,
  });
  return {
    knex,
    kind: 'pglite',
    close: async () => {
      try {
        await knex.destroy();
        if (!pglite.closed) {
          await pglite.waitReady.catch(() => undefined);
          if (!pglite.closed) await pglite.close();
        }
      } finally {
        release();
      }
    },
  };
}
