/**
 * What a Redis outage costs GET /dashboard (the latency the outage tests no longer time): the API
 * and Redis (a redis-server of its own, on a spare port) on 127.0.0.1, real PostgreSQL, and
 * CONCURRENCY request loops over four phases: Redis up, killed, hung (SIGSTOP: the socket stays
 * open and nothing answers) and back. Per phase: requests, errors, p50/p95/max, and the command
 * timeouts and breaker probes counted by the Redis connection.
 *
 *   npx tsx artillery/cache-outage.ts   (BENCH_DATABASE_URL, default visionaire_bench_outage)
 *
 * Bounded: PHASE_SECONDS per phase (default 3), at most MAX_REQUESTS requests each.
 */
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../src/config.js';
import { createContainer } from '../src/container.js';
import { DEMO_RESULTS } from '../src/db/demo-seed.js';
import { createApp } from '../src/http/app.js';
import { ensureDatabase } from '../test/helpers/postgres.js';
import { OwnRedis } from '../test/helpers/redis-server.js';

const DB = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/visionaire_bench_outage';
const PHASE_SECONDS = Number(process.env.PHASE_SECONDS ?? 3);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 8);
const MAX_REQUESTS = 50_000;

await ensureDatabase(DB, { fresh: true });
const redis = await OwnRedis.start();
const c = createContainer(
  loadConfig({
    DATABASE_URL: DB,
    REDIS_URL: redis.url,
    CACHE_NAMESPACE: `bench-outage-${randomUUID()}`,
    LOG_LEVEL: 'silent',
  }),
);
await c.migrate();
await c.cache.ready(5000);
const server = createApp(c).listen(0, '127.0.0.1');
await new Promise<void>((resolve) => server.once('listening', () => resolve()));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/dashboard/`;
const { analysis_id: id } = await c.analyses.createAnalysis({
  url: `https://bench-${randomUUID()}.example`,
  results_summary: DEMO_RESULTS,
});

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
const r = (x: number) => Math.round(x * 10) / 10;

async function phase(name: string) {
  const events = { ...c.cache.redis!.events };
  const latencies: number[] = [];
  let errors = 0;
  const until = performance.now() + PHASE_SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until && latencies.length < MAX_REQUESTS) {
        const t = performance.now();
        const res = await fetch(url + id);
        await res.arrayBuffer();
        latencies.push(performance.now() - t);
        if (res.status !== 200) errors++;
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const e = c.cache.redis!.events;
  console.log(
    `${name.padEnd(14)} n=${latencies.length} errors=${errors} p50=${r(pct(latencies, 50))}ms p95=${r(pct(latencies, 95))}ms max=${r(latencies.at(-1) ?? NaN)}ms ` +
      `timeouts=${e.timeouts - events.timeouts} probes=${e.probes - events.probes}`,
  );
}

console.log(
  `cache-outage: ${PHASE_SECONDS} s per phase, ${CONCURRENCY} loops, command timeout ${c.config.redisCommandTimeoutMs} ms`,
);
try {
  await phase('redis up');
  await redis.kill();
  await phase('redis killed');
  await redis.restart();
  await c.cache.ready(10_000);
  redis.pause();
  await phase('redis hung');
  redis.resume();
  await c.cache.ready(10_000);
  await phase('redis back');
} finally {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await c.close();
  await redis.stop();
}
