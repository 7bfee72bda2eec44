import { createClient } from '@redis/client';
import Keyv from 'keyv';
import KeyvRedis from '@keyv/redis';

/** The heartbeat runs only while reads come in. */
const ACTIVE_MS = 1000;
const MAX_PINGS_IN_FLIGHT = 2;

export type TrackerOptions = {
  url: string;
  namespace: string;
  epochKey: string;
  genKey: (analysisId: string) => string;
  keyvOptions: Record<string, unknown>;
  /**
   * How long a reply from Redis vouches for the tags this process holds. Every writer waits this
   * long after its invalidation before returning (CacheService.invalidateAnalysis).
   */
  leaseMs: number;
};

/**
 * The generation tags of the analyses this process reads, held locally so that a cache hit needs
 * no Redis round trip, and still coherent across instances.
 *
 * Server-assisted client-side caching: a RESP3 connection with `CLIENT TRACKING ON` reads the
 * tags, and Redis pushes an invalidation on that connection when one changes. Pushes and replies
 * arrive in order on one connection, so once a reply to a command sent at time `s` has been
 * read, every invalidation Redis made before processing that command has been applied. A tag is
 * used only within the lease of the send time of the latest reply (a heartbeat PING keeps it fresh
 * while reads come in), and a writer returns only a lease after Redis acknowledged its new tag
 * (or after giving up on it). So a read that starts after a write has returned relies on a reply
 * to a command sent after that write was applied, which came after its invalidation: it cannot
 * see the old tag. Losing the connection, or a hung Redis, lets the lease lapse: reads then ask
 * Redis as before, under the circuit breaker.
 */
export class GenerationTracker {
  private readonly client: ReturnType<typeof createClient>;
  private readonly keyv: Keyv;
  private readonly tags = new Map<string, string>();
  private readonly prefix: string;
  /** Bumped by every invalidation and reset: a read that saw it change does not keep its tag. */
  private invalidations = 0;
  private leaseFrom = -Infinity;
  private lastRead = 0;
  private heartbeat: NodeJS.Timeout | null = null;
  private pingsInFlight = 0;

  constructor(private readonly opts: TrackerOptions) {
    this.prefix = `${opts.namespace}::`;
    this.client = createClient({
      url: opts.url,
      RESP: 3,
      emitInvalidate: true,
      disableOfflineQueue: true,
      socket: { reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, 500) + Math.floor(Math.random() * 50) },
    });
    this.client.on('invalidate', (key: string | Buffer | null) => this.invalidated(key));
    for (const event of ['error', 'end', 'reconnecting']) this.client.on(event, () => this.reset());
    this.client.connect().catch(() => undefined);
    const store = new KeyvRedis(this.client as never, { namespace: opts.namespace, throwOnErrors: true, throwOnConnectError: true });
    this.keyv = new Keyv({ store, namespace: opts.namespace, ...opts.keyvOptions });
    this.keyv.on('error', () => undefined);
  }

  get leaseMs(): number {
    return this.opts.leaseMs;
  }

  /** True when tags can be read through the tracked connection. */
  get ready(): boolean {
    return this.client.isReady;
  }

  /** The tag of an analysis if this process holds it and a recent reply vouches for it; never waits. */
  held(analysisId: string): string | undefined {
    const now = performance.now();
    this.lastRead = now;
    this.heartbeat ??= setInterval(() => this.beat(), Math.max(1, Math.floor(this.opts.leaseMs / 2.5))).unref();
    return now - this.leaseFrom < this.opts.leaseMs ? this.tags.get(analysisId) : undefined;
  }

  /** Reads the tag through the tracked connection (registering it for invalidation) and holds it. */
  async read(analysisId: string): Promise<string> {
    const sentAt = performance.now();
    const seen = this.invalidations;
    const [epoch, gen] = await this.keyv.getMany<string>([this.opts.epochKey, this.opts.genKey(analysisId)]);
    const tag = `${epoch ?? '0'}.${gen ?? '0'}`;
    if (this.invalidations === seen) {
      this.tags.set(analysisId, tag);
      this.renewed(sentAt);
    }
    return tag;
  }

  /** Drops what this process holds for one analysis (its own write), or everything. */
  forget(analysisId?: string): void {
    this.invalidations++;
    if (analysisId === undefined) this.tags.clear();
    else this.tags.delete(analysisId);
  }

  private invalidated(key: string | Buffer | null): void {
    const name = key === null ? null : key.toString();
    if (name === null || !name.startsWith(this.prefix)) return this.forget();
    const local = name.slice(this.prefix.length);
    const gen = this.opts.genKey('');
    if (local.startsWith(gen)) this.forget(local.slice(gen.length));
    else this.forget();
  }

  private reset(): void {
    this.leaseFrom = -Infinity;
    this.forget();
  }

  private renewed(sentAt: number): void {
    if (sentAt > this.leaseFrom) this.leaseFrom = sentAt;
  }

  private beat(): void {
    if (performance.now() - this.lastRead > ACTIVE_MS) {
      clearInterval(this.heartbeat!);
      this.heartbeat = null;
      return;
    }
    if (!this.client.isReady || this.pingsInFlight >= MAX_PINGS_IN_FLIGHT) return;
    const sentAt = performance.now();
    this.pingsInFlight++;
    this.client.ping().then(
      () => this.renewed(sentAt),
      () => undefined,
    ).finally(() => this.pingsInFlight--);
  }

  close(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    this.reset();
    // Nothing to flush on this connection: drop it rather than wait on a Redis that may hang.
    if (this.client.isOpen) this.client.destroy();
    return Promise.resolve();
  }
}
