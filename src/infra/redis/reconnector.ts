import type { createClient } from '@redis/client';

type RedisClient = Pick<ReturnType<typeof createClient>, 'isOpen' | 'isReady' | 'destroy' | 'connect' | 'on'>;

/** A connection attempt silent this long (no connect, error or retry) is a handshake whose bytes were swallowed. */
const STUCK_MS = 2000;
/**
 * After tearing down a connection that was not ready, how long to wait before opening the next
 * one: node-redis's own retry loop must see the client closed and end (a connect timeout plus a
 * retry delay), or two loops would share one client.
 */
const LOOP_EXIT_MS = 1500;

/**
 * Tears a node-redis client's connection down and opens a new one on the same client, so that
 * whoever holds the client (Keyv, the rate limiter) keeps it. For a half-open connection: bytes
 * swallowed, socket still open, as after a NAT timeout, where nothing else would ever close it.
 */
export class Reconnector {
  private lastEventAt = performance.now();
  private pending: NodeJS.Timeout | null = null;
  private closed = false;
  /** Connections torn down and rebuilt since start. */
  rebuilds = 0;

  constructor(private readonly client: RedisClient) {
    for (const event of ['connect', 'ready', 'error', 'reconnecting', 'end'])
      client.on(event, () => (this.lastEventAt = performance.now()));
  }

  /** True when a connection attempt has gone silent: its handshake will never end by itself. */
  get stuck(): boolean {
    return this.client.isOpen && !this.client.isReady && performance.now() - this.lastEventAt > STUCK_MS;
  }

  /** Drops the connection now and opens a new one (at once if it was ready, else once the retry loop ended). */
  rebuild(): void {
    if (this.closed || this.pending) return;
    this.rebuilds++;
    const wasReady = this.client.isReady;
    if (this.client.isOpen) this.client.destroy();
    this.lastEventAt = performance.now();
    this.pending = setTimeout(
      () => {
        this.pending = null;
        if (!this.closed && !this.client.isOpen) this.client.connect().catch(() => undefined);
      },
      wasReady ? 0 : LOOP_EXIT_MS,
    ).unref();
  }

  close(): void {
    this.closed = true;
    if (this.pending) clearTimeout(this.pending);
  }
}
