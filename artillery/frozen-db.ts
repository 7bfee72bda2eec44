/**
 * How fast the API answers while its PostgreSQL is frozen (SIGSTOP): every request should get 503 within the
 * statement timeout plus 500 ms, and /health within 1 s. Uses a PostgreSQL of its own (initdb in a temp dir,
 * a spare port), never a shared one. Default limits (2000 ms) unless DB_STATEMENT_TIMEOUT_MS / DB_ACQUIRE_TIMEOUT_MS say otherwise.
 *
 *   npx tsx artillery/frozen-db.ts
 */
import { loadConfig } from '../src/config.js';
import { createContainer } from '../src/container.js';
import { DEMO_RESULTS } from '../src/db/demo-seed.js';
import { startServer } from '../src/http/server.js';
import { OwnPostgres } from '../test/helpers/own-postgres.js';

const pgServer = await OwnPostgres.start();
const c = createContainer(
  loadConfig({
    DATABASE_URL: pgServer.url,
    LOG_LEVEL: 'silent',
    DB_STATEMENT_TIMEOUT_MS: process.env.DB_STATEMENT_TIMEOUT_MS,
    DB_ACQUIRE_TIMEOUT_MS: process.env.DB_ACQUIRE_TIMEOUT_MS,
  }),
);
await c.migrate();
const server = await startServer(c, { port: 0, host: '127.0.0.1' });
const base = `${server.url}/api/v1`;
const timed = async (method: string, path: string, body?: unknown) => {
  const t = performance.now();
  const res = await fetch(base + path, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  await res.arrayBuffer();
  return { status: res.status, ms: Math.round(performance.now() - t) };
};
try {
  const id = (
    (await (
      await fetch(`${base}/analyses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ url: 'https://frozen.example.org', results_summary: DEMO_RESULTS }),
      })
    ).json()) as { analysis_id: string }
  ).analysis_id;
  await Promise.all(Array.from({ length: 10 }, () => timed('GET', `/dashboard/${id}/recommendations`))); // a warm pool
  pgServer.freeze();
  const burst = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      i % 2
        ? timed('GET', `/dashboard/${id}`)
        : timed('POST', `/dashboard/${id}/progress`, {
            opportunity_id: 'value_creation',
            status: i % 4 ? 'IN_PROGRESS' : 'NOT_STARTED',
          }),
    ),
  );
  const sequential = [];
  for (let i = 0; i < 5; i++) sequential.push(await timed('GET', `/dashboard/${id}/badges`));
  const health = await timed('GET', '/health');
  pgServer.thaw();
  const statuses = [...burst, ...sequential].map((r) => r.status);
  const ms = (rs: { ms: number }[]) => rs.map((r) => r.ms).sort((a, b) => a - b);
  console.log(
    `limits: statement ${c.config.dbLimits.statementTimeoutMs} ms, acquire ${c.config.dbLimits.acquireTimeoutMs} ms`,
  );
  console.log(
    `20 concurrent requests while frozen: statuses ${[...new Set(statuses)].join(',')}; ms ${ms(burst).join(' ')}`,
  );
  console.log(`5 sequential requests while frozen: ms ${ms(sequential).join(' ')}`);
  console.log(`/health while frozen: ${health.status} in ${health.ms} ms`);
  let after = await timed('GET', `/dashboard/${id}`);
  for (let i = 0; i < 30 && after.status !== 200; i++) after = await timed('GET', `/dashboard/${id}`);
  console.log(`after SIGCONT: ${after.status} in ${after.ms} ms`);
} finally {
  pgServer.thaw();
  await server.close(0);
  await c.close();
  await pgServer.stop();
}
