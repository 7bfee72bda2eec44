import type { createClient } from '@redis/client';

type RedisClient = ReturnType<typeof createClient>;

/**
 * Closes a node-redis client without leaving a socket behind. node-redis's `destroy()` misses a
 * socket that is still connecting: that socket then connects, runs its handshake and keeps the
 * process alive with nothing left to close it. So a close that comes during a connection attempt
 * first waits for the attempt to settle (ready or failed; at most `settleMs`, the connect timeout),
 * then closes what is there. A socket that still connects after that is unreferenced.
 */
export class RedisClientCloser {
  private attempting = true;
  private closing = false;

  constructor(
    private readonly client: RedisClient,
    private readonly settleMs: number,
  ) {
    client.on('reconnecting', () => (this.attempting = true));
    for (const event of ['ready', 'error', 'end']) client.on(event, () => (this.attempting = false));
    client.on('connect', () => {
      if (this.closing) client.unref();
    });
  }

  /** `graceful`: wait for the replies still due (QUIT semantics); otherwise drop the connection. */
  async close(graceful: boolean): Promise<void> {
    this.closing = true;
    if (this.client.isOpen && this.attempting) await this.settled();
    if (!this.client.isOpen) return;
    if (graceful && this.client.isReady) await this.client.close().catch(() => undefined);
    if (this.client.isOpen) this.client.destroy();
  }

  private settled(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        for (const event of ['ready', 'error', 'end']) this.client.off(event, done);
        resolve();
      };
      const timer = setTimeout(done, this.settleMs);
      for (const event of ['ready', 'error', 'end']) this.client.once(event, done);
    });
  }
}
