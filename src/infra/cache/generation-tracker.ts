import { randomBytes } from 'node:crypto';
import { createClient } from '@redis/client';
import Keyv from 'keyv';
import KeyvRedis from '@keyv/redis';
import { RedisTimeoutError, RedisUnavailableError, type RedisConnection } from '../redis/redis-connection.js';
import { Reconnector } from '../redis/reconnector.js';
import { RedisClientCloser } from '../redis/client-closer.js';
import { genKey, readTag } from './cache-keys.js';

export type TrackerOptions = {
  url: string;
  namespace: string;
  keyvOptions: Record<string, unknown>;
  /**
   * How long a reply from Redis vouches for the tags this process holds. Every writer waits this
   * long after its invalidation before returning (CacheService.invalidateAnalysis).
   */
  leaseMs: number;
  /** A PING unanswered for a second past this means a wedged connection: it is torn down and rebuilt. */
  commandTimeoutMs: number;
  /** How long to wait for a connection (and, when closing, for an attempt in progress). */
  connectTimeoutMs?: number;
};

/** A PING unanswered this long past the command timeout: the tracked connection is half-open. */
const WEDGED_MS = 1000;

/** How long a holder registration lasts; a tag registered longer ago than half of it is read again. */
const REGISTRATION_MS = 10 * 60_000;

/** The set naming the processes that may hold an analysis's tag under a lease: `{process}/{leaseMs}` members. */
export const holdersKey = (namespace: string, analysisId: string) => `${namespace}::holders:${analysisId}`;

/** The longest lease any holder but `self` may still be using, from the members of a holders set. */
export function longestOtherLease(members: readonly string[], self: string | null): number {
  let longest = 0;
  for (const m of members) if (m !== self) longest = Math.max(longest, Number(m.slice(m.lastIndexOf('/') + 1)) || 0);
  return longest;
}

/**
 * The longest lease another process may still hold on an analysis's old tag, read from its holders
 * set once Redis acknowledged the new one: a writer waits that long before returning.
 */
export async function leaseToOutlive(
  redis: RedisConnection,
  namespace: string,
  analysisId: string,
  self: string | null,
): Promise<number> {
  const holders = await redis.run(() => redis.client.sMembers(holdersKey(namespace, analysisId)));
  return longestOtherLease(holders, self);
}

/**
 * The generation tags of the analyses this process reads, held locally so that a cache hit needs
 * no Redis round trip, and still coherent across instances.
 *
 * Server-assisted client-side caching: a RESP3 connection with `CLIENT TRACKING ON` reads the
 * tags, and Redis pushes an invalidation on that connection when one changes. Pushes and replies
 * arrive in order on one connection, so once a reply to a command sent at time `s` has been
 * read, every invalidation Redis made before processing that command has been applied. A tag is
 * used only within the lease of the send time of the latest reply (a read that finds a quarter of
 * the lease used sends a PING, so under steady reads it seldom lapses; when it has, one PING shared
 * by the reads waiting renews it), and a writer returns only a lease after Redis acknowledged its new tag
 * (or after giving up on it). So a read that starts after a write has returned relies on a reply
 * to a command sent after that write was applied, which came after its invalidation: it cannot
 * see the old tag. Losing the connection, or a hung Redis, lets the lease lapse: reads then ask
 * Redis as before, under the circuit breaker.
 *
 * A writer waits only when another process may hold the tag: a read adds this process (and its
 * lease) to the analysis's holders set in the same pipeline as, and before, its MGET, and a writer
 * reads that set after Redis acknowledged the new tag. A holder added after that read also read
 * the tag after the write, so it cannot hold the old one. One instance alone never waits.
 */
export class GenerationTracker {
  private readonly client: ReturnType<typeof createClient>;
  private readonly closer: RedisClientCloser;
  private readonly keyv: Keyv;
  /** Tags held, with when their holder registration was made. */
  private readonly tags = new Map<string, { tag: string; at: number }>();
  /** This process in holders sets: a random id and its lease. */
  readonly member: string;
  private readonly prefix: string;
  /** Bumped by every invalidation and reset: a read that saw it change does not keep its tag. */
  private invalidations = 0;
  private leaseFrom = -Infinity;
  /** The reply to the PING in flight, if any. */
  private ping: Promise<void> | null = null;
  /** That reply or a lease's time, whichever comes first (`renewedHeld`). */
  private renewing: Promise<void> | null = null;
  private readonly reconnector: Reconnector;

  constructor(private readonly opts: TrackerOptions) {
    this.prefix = `${opts.namespace}::`;
    this.member = `${randomBytes(9).toString('base64url')}/${opts.leaseMs}`;
    const connectTimeout = opts.connectTimeoutMs ?? 1000;
    this.client = createClient({
      url: opts.url,
      RESP: 3,
      emitInvalidate: true,
      disableOfflineQueue: true,
      socket: {
        connectTimeout,
        reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, 500) + Math.floor(Math.random() * 50),
      },
    });
    this.client.on('invalidate', (key: string | Buffer | null) => this.invalidated(key));
    for (const event of ['error', 'end', 'reconnecting']) this.client.on(event, () => this.reset());
    this.reconnector = new Reconnector(this.client);
    this.closer = new RedisClientCloser(this.client, connectTimeout + 100);
    this.client.connect().catch(() => undefined);
    const store = new KeyvRedis(this.client as never, {
      namespace: opts.namespace,
      throwOnErrors: true,
      throwOnConnectError: true,
    });
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

  /**
   * The tag a read must match, through the tracked connection: held (no round trip) while a recent
   * reply vouches for it, else read and registered under `run`'s guard. Undefined when the tracked
   * connection is not ready (the caller reads the tag itself).
   */
  async tagFor(analysisId: string, redis: RedisConnection): Promise<string | undefined> {
    if (!redis.available) throw new RedisUnavailableError();
    const held = this.held(analysisId);
    if (held !== undefined) return held;
    if (!this.ready) {
      // A handshake whose bytes were swallowed never ends by itself.
      if (this.reconnector.stuck) this.rebuild();
      return undefined;
    }
    return redis
      .run(() => this.tag(analysisId))
      .catch((err: unknown) => {
        // A PING tells a late reply from a connection that swallows bytes (then rebuilt).
        if (err instanceof RedisTimeoutError) void this.renew();
        throw err;
      });
  }

  /** The tag of an analysis if this process holds it and a recent reply vouches for it; never waits. */
  held(analysisId: string): string | undefined {
    const now = performance.now();
    const age = now - this.leaseFrom;
    if (age >= this.opts.leaseMs) return undefined;
    if (age >= this.opts.leaseMs / 4) this.renew();
    const held = this.tags.get(analysisId);
    return held && now - held.at < REGISTRATION_MS / 2 ? held.tag : undefined;
  }

  /**
   * The tag of an analysis: when this process holds it but the lease has lapsed, a PING (shared by
   * every read waiting at the same time) renews the lease instead of reading the tag again; the
   * tag is read only if no reply came within a lease.
   */
  async tag(analysisId: string): Promise<string> {
    return (await this.renewedHeld(analysisId)) ?? this.read(analysisId);
  }

  /**
   * The tag of an analysis this process holds, once a lapsed lease is renewed by the PING the
   * reads waiting share; undefined when it is not held, or when no reply came within a lease (a
   * slow or hung Redis: the caller then asks Redis under its own timeout, and waits only there).
   */
  async renewedHeld(analysisId: string): Promise<string | undefined> {
    if (!this.tags.has(analysisId)) return undefined;
    await this.renewal();
    return this.held(analysisId);
  }

  /** Reads the tag through the tracked connection (registering it for invalidation) and holds it. */
  async read(analysisId: string, again = true): Promise<string> {
    const sentAt = performance.now();
    const seen = this.invalidations;
    const holders = holdersKey(this.opts.namespace, analysisId);
    // Queued in this order on the one connection: the registration is applied before the MGET.
    const [, , { tag, fresh }] = await Promise.all([
      this.client.sAdd(holders, this.member),
      this.client.pExpire(holders, REGISTRATION_MS),
      readTag(this.keyv, analysisId),
    ]);
    // The invalidation push of an epoch this read set drops what it read: read again to hold it.
    if (fresh && again) return this.read(analysisId, false);
    if (this.invalidations === seen) {
      this.tags.set(analysisId, { tag, at: sentAt });
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
    const gen = genKey('');
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

  /** The PING's reply, or a lease's time if that comes first; shared by the reads waiting. */
  private renewal(): Promise<void> {
    if (this.renewing) return this.renewing;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.opts.leaseMs).unref()));
    this.renewing = Promise.race([this.renew(), late]).finally(() => {
      clearTimeout(timer);
      this.renewing = null;
    });
    return this.renewing;
  }

  /**
   * Sends a PING (one at a time; callers share it) whose reply extends the lease from the moment it
   * was sent. One unanswered for a second past the command timeout means bytes are swallowed (a half-open
   * socket): the connection is torn down and rebuilt.
   */
  private renew(): Promise<void> {
    if (this.ping) return this.ping;
    if (!this.client.isReady) return Promise.resolve();
    const sentAt = performance.now();
    const wedged = setTimeout(() => this.rebuild(), this.opts.commandTimeoutMs + WEDGED_MS).unref();
    this.ping = this.client
      .ping()
      .then(
        () => this.renewed(sentAt),
        () => undefined,
      )
      .finally(() => {
        clearTimeout(wedged);
        this.ping = null;
      });
    return this.ping;
  }

  /** Drops the connection (and every tag held under it) and opens a new one. */
  rebuild(): void {
    this.reset();
    this.reconnector.rebuild();
  }

  async close(): Promise<void> {
    this.reconnector.close();
    this.reset();
    // Nothing to flush on this connection: drop it rather than wait on a Redis that may hang.
    await this.closer.close(false);
  }
}
