import { randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { loadConfig, type Config } from '../../src/config.js';
import { createContainer, type Container, type ContainerOverrides } from '../../src/container.js';
import { startServer } from '../../src/http/server.js';
import { TestClock } from './clock.js';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from './env.js';

export type DbMode = 'postgres' | 'pglite';
export const DB_MODES: readonly DbMode[] = ['postgres', 'pglite'];

const DATA_TABLES = ['progress_events', 'user_badges', 'user_progress', 'email_subscriptions', 'analyses'];

/** Config for a test container: real PostgreSQL or in-memory PGlite; Redis only when asked. */
export function testConfig(mode: DbMode, env: Record<string, string> = {}): Config {
  return loadConfig({
    DATABASE_URL: mode === 'postgres' ? TEST_DATABASE_URL : 'pglite:memory',
    LOG_LEVEL: 'silent',
    CACHE_NAMESPACE: `test-${randomUUID()}`,
    DATA_DIR: '.tmp/test-data',
    RATE_LIMIT_PER_MINUTE: '0', // the per-IP limit has its own tests; others make many requests from one IP
    ...env,
  });
}

export type Harness = {
  container: Container;
  clock: TestClock;
  baseUrl: string;
  /** Empties the data tables (badge definitions stay). */
  reset(): Promise<void>;
  close(): Promise<void>;
};

let pgliteSnapshot: Promise<Blob> | null = null;

/**
 * A fresh in-memory PGlite holding the migrated schema. initdb dominates a new PGlite's start
 * (seconds on a busy machine), so it runs once per test process: later instances load a copy of
 * that data directory. test/integration/db/migrations.test.ts still migrates PGlite from scratch.
 */
export async function migratedPglite(): Promise<PGlite> {
  pgliteSnapshot ??= (async () => {
    const pglite = new PGlite();
    const c = createContainer(testConfig('pglite'), { pglite });
    try {
      await c.migrate();
      return await pglite.dumpDataDir('none');
    } finally {
      await c.close();
    }
  })();
  return new PGlite({ loadDataDir: await pgliteSnapshot });
}

/** A migrated container and a listening API on a free port. */
export async function startHarness(
  mode: DbMode,
  opts: { redis?: boolean; env?: Record<string, string>; overrides?: ContainerOverrides } = {},
): Promise<Harness> {
  const clock = new TestClock();
  const env = { ...(opts.redis ? { REDIS_URL: TEST_REDIS_URL } : {}), ...opts.env };
  const pglite = mode === 'pglite' && !opts.overrides?.pglite ? { pglite: await migratedPglite() } : {};
  const container = createContainer(testConfig(mode, env), { clock, ...pglite, ...opts.overrides });
  await container.migrate();
  const server = await startServer(container, { port: 0, host: '127.0.0.1' });
  const harness: Harness = {
    container,
    clock,
    baseUrl: `${server.url}/api/v1`,
    reset: async () => {
      await container.db.raw(`TRUNCATE ${DATA_TABLES.join(', ')} CASCADE`);
    },
    close: async () => {
      await server.close(0);
      await container.close();
    },
  };
  await harness.reset();
  return harness;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are asserted field by field
export type JsonResponse = { status: number; body: any; headers: Headers };

/** A tiny JSON client for the API under test. */
export function api(baseUrl: string) {
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<JsonResponse> => {
    const res = await fetch(baseUrl + path, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed, headers: res.headers };
  };
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body?: unknown, headers?: Record<string, string>) => call('POST', path, body, headers),
    put: (path: string, body?: unknown) => call('PUT', path, body),
    call,
  };
}

/** Registers mocha hooks for one harness per describe block: started before, closed after, reset before each test unless `reset: false`. */
export function useHarness(mode: DbMode, opts: Parameters<typeof startHarness>[1] & { reset?: boolean } = {}) {
  const t = {} as { h: Harness; client: ReturnType<typeof api> };
  before(async () => {
    t.h = await startHarness(mode, opts);
    t.client = api(t.h.baseUrl);
  });
  after(() => t.h?.close());
  if (opts.reset !== false) beforeEach(() => t.h.reset());
  return t;
}

/** Mocha hooks for a migrated container without HTTP, for tests that drive the CLI or services. */
export function useContainer(mode: DbMode) {
  const t = {} as { c: Container };
  before(async () => {
    t.c = createContainer(testConfig(mode));
    await t.c.migrate();
  });
  after(() => t.c?.close());
  return t;
}
