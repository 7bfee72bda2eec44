/** Where the integration suite finds its real services; CI and the README use these defaults. */
const BASE_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/visionaire_test';

/** Under `mocha --parallel` each worker process has a database of its own (`…_w0`, `…_w1`), created by test/setup.ts. */
function perWorker(url: string): string {
  const worker = process.env.MOCHA_WORKER_ID;
  if (worker === undefined) return url;
  const u = new URL(url);
  u.pathname = `${u.pathname}_w${worker}`;
  return u.toString();
}

export const TEST_DATABASE_URL = perWorker(BASE_DATABASE_URL);
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The same server's maintenance database, for CREATE DATABASE. */
export function adminUrl(url: string = TEST_DATABASE_URL): string {
  const u = new URL(url);
  u.pathname = '/postgres';
  return u.toString();
}

export function databaseName(url: string = TEST_DATABASE_URL): string {
  return new URL(url).pathname.slice(1);
}
