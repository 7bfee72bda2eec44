import type { ChildProcess } from 'node:child_process';
import { spawnCli, tempDir, waitForOutput } from './cli.js';
import { TEST_DATABASE_URL } from './env.js';
import { freePort } from './redis-server.js';

/** `visionaire serve` in production mode, as a process of its own that a test may SIGKILL. */
export type ServeInstance = { baseUrl: string; child: ChildProcess; kill(): Promise<void> };

/** Starts `serve` on the test database with the given Redis and namespace; resolves once it listens. */
export async function startServeInstance(env: { REDIS_URL: string; CACHE_NAMESPACE: string }): Promise<ServeInstance> {
  const port = await freePort();
  const child = spawnCli(['serve'], {
    DATABASE_URL: TEST_DATABASE_URL,
    PORT: String(port),
    HOST: '127.0.0.1',
    SCHEDULER: 'off',
    DATA_DIR: tempDir('instance'),
    ADMIN_TOKEN: 'instance-test-admin-token',
    UNSUBSCRIBE_SECRET: 'instance-test-unsubscribe-secret',
    MAIL_POSTAL_ADDRESS: '1 rue de la Paix, Montréal QC',
    RATE_LIMIT_PER_MINUTE: '0',
    ...env,
  });
  await waitForOutput(child, /listening on/, 60_000);
  return {
    baseUrl: `http://127.0.0.1:${port}/api/v1`,
    child,
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Polls `cond` every 50 ms until it holds; fails past a generous deadline (a hang, not a speed check). */
export async function until(cond: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
