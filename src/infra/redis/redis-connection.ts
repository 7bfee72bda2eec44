import { createClient } from '@redis/client';
import type { Logger } from '../../logger.js';
import { CircuitBreaker, type BreakerState } from './circuit-breaker.js';
import { Reconnector } from './reconnector.js';
import { RedisClientCloser } from './client-closer.js';

type RedisClient = ReturnType<typeof createClient>;

/** Thrown instead of waiting when Redis is not usable right now. */
export class RedisUnavailableError extends Error {
  constructor() {
    super('Redis is unavailable');
  }
}

/** A command got no reply in time: the connection it went out on is torn down and rebuilt. */
export class RedisTimeoutError extends Error {
  constructor(ms: number) {
    super(`Redis did not answer within ${ms} ms`);
  }
}

export type RedisConnectionOptions = {
  url: string;
  /** Every command fails after this long instead of waiting. */
  commandTimeoutMs: number;
  logger: Logger;
  /** How long an open breaker waits before probing (timeouts with the socket still up). */
  cooldownMs?: number;
  /** After a lost connection comes back, how long to wait before serving from the cache again. */
  settleMs?: number;
  /** How often an idle or open connection is checked without traffic of its own (PING or probe). */
  heartbeatMs?: number;
};

/** `run` gets the connection's reply timeout to wrap its commands in; `done` is checked when closing. */
export type RecoveryStep = {
  run: (withTimeout: <T>(p: Promise<T>) => Promise<T>) => Promise<void>;
  done: () => boolean;
};

/** How long a connection may stay silent after a command timed out before it is torn down. */
const SILENCE_MS = 1000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * One Redis client for the cache and the rate limiter, guarded so that an outage costs no latency:
 * - no offline queue and a per-command timeout, so no command waits for a reconnect;
 * - a circuit breaker: while it is open (or the socket is down) callers skip Redis without trying;
 * - it reconnects forever in the background; once a probe succeeds and the recovery tasks
 *   (replaying invalidations that failed during the outage) have run, the breaker closes.
 * After an outage it also waits `settleMs` before closing, so other instances reconnecting at
 * about the same time can replay their own missed invalidations first.
 */
export class RedisConnection {
  readonly client: RedisClient;
  /**
   * Since start: commands that hit the reply timeout, breaker probes and idle PINGs begun (what an
   * outage cost), and connections torn down and rebuilt after a timeout.
   */
  readonly events = { timeouts: 0, probes: 0, rebuilds: 0 };
  private readonly breaker: CircuitBreaker;
  private readonly recovery: RecoveryStep[] = [];
  private readyAt = 0;
  private lostOnce = false;
  private closing = false;
  private reportedDown: boolean | null = null;
  /** When the last reply arrived, and when the connection was last (re)opened or found wanting. */
  private lastReplyAt = 0;
  private readonly reconnector: Reconnector;
  private silence: NodeJS.Timeout | null = null;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly closer: RedisClientCloser;

  constructor(private readonly opts: RedisConnectionOptions) {
    const { logger } = opts;
    const connectTimeout = Math.max(500, opts.commandTimeoutMs * 4);
    this.client = createClient({
      url: opts.url,
      disableOfflineQueue: true,
      commandsQueueMaxLength: 5000,
      socket: {
        connectTimeout,
        reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, 500) + Math.floor(Math.random() * 50),
      },
    });
    this.breaker = new CircuitBreaker({
      failureThreshold: 3,
      cooldownMs: opts.cooldownMs ?? 1000,
      startOpen: true,
      probe: () => this.probe(),
      canClose: () => this.recovery.every((r) => r.done()),
      onChange: (state: BreakerState) => {
        // Once per transition, not once per failed probe.
        if (state === 'closed' && this.reportedDown !== false) logger.info('cache: Redis available');
        else if (state === 'open' && this.reportedDown !== true)
          logger.warn('cache: Redis unavailable, serving from the database');
        if (state !== 'probing') this.reportedDown = state === 'open';
      },
    });
    this.client.on('ready', () => {
      this.readyAt = performance.now();
      this.lastReplyAt = this.readyAt;
      if (this.breaker.state !== 'closed') this.breaker.probe();
    });
    this.client.on('error', (err: Error) => {
      logger.debug({ err: err.message }, 'cache: Redis connection error');
      this.lost();
    });
    this.client.on('reconnecting', () => this.lost());
    this.client.on('end', () => this.lost());
    this.reconnector = new Reconnector(this.client);
    this.closer = new RedisClientCloser(this.client, connectTimeout + 100);
    this.client.connect().catch(() => undefined);
    this.heartbeat = setInterval(() => this.beat(), opts.heartbeatMs ?? 1000).unref();
  }

  /**
   * Runs without traffic: an open breaker gets its probe (so Redis is found back with no request
   * touching the cache), and an idle closed one a PING (so a hung Redis is found out).
   */
  private beat(): void {
    if (this.closing) return;
    if (this.breaker.state !== 'closed') {
      this.breaker.allows();
      return;
    }
    if (!this.client.isReady || performance.now() - this.lastReplyAt < (this.opts.heartbeatMs ?? 1000)) return;
    this.events.probes++;
    this.run(() => this.client.ping()).catch(() => undefined);
  }

  /**
   * Tears the connection down and opens a new one: after a command timed out (bytes swallowed,
   * socket still open, as after a NAT timeout), or when a reconnect has not become ready in time.
   * Commands waiting on the old socket fail at once; the breaker opens until a probe succeeds.
   */
  /**
   * After a command timed out: if nothing at all comes back on the connection for SILENCE_MS more
   * (not even that command's late reply), it is half-open and is rebuilt. A reply that is merely
   * late, on a busy machine, keeps the connection.
   */
  private watchSilence(sentAt: number): void {
    if (this.silence) return;
    this.silence = setTimeout(() => {
      this.silence = null;
      if (this.lastReplyAt < sentAt) this.rebuild();
    }, SILENCE_MS).unref();
  }

  private rebuild(): void {
    if (this.closing) return;
    this.breaker.trip();
    this.reconnector.rebuild();
    this.events.rebuilds = this.reconnector.rebuilds;
  }

  private lost(): void {
    if (this.closing) return;
    this.lostOnce = true;
    this.breaker.trip();
    // Unreachable from the start is worth a note (a CLI run may not need Redis); losing it, a warning.
    if (this.reportedDown === null)
      this.opts.logger.info('cache: Redis unreachable, serving from the database until it answers');
    else if (this.reportedDown === false) this.opts.logger.warn('cache: Redis unreachable, serving from the database');
    this.reportedDown = true;
  }

  private async probe(): Promise<void> {
    this.events.probes++;
    if (!this.client.isReady) {
      // A handshake whose bytes were swallowed never ends by itself.
      if (this.reconnector.stuck) this.rebuild();
      throw new RedisUnavailableError();
    }
    await this.withTimeout(this.client.ping());
    const settleLeft = this.lostOnce ? this.readyAt + (this.opts.settleMs ?? 750) - performance.now() : 0;
    if (settleLeft > 0) await sleep(settleLeft);
    for (const step of this.recovery) await step.run((p) => this.withTimeout(p));
  }

  /**
   * Registers work that must be done before Redis is used again after an outage: `run` goes
   * during the probe, and the breaker closes only if `done()` holds at that very moment.
   */
  onRecovery(step: RecoveryStep): void {
    this.recovery.push(step);
  }

  /** True when commands may be sent now; never waits. */
  get available(): boolean {
    return this.client.isReady && this.breaker.allows();
  }

  /** Runs `op` if Redis is available, feeding its outcome to the breaker; throws instead of waiting. */
  async run<T>(op: () => Promise<T>): Promise<T> {
    if (!this.available) throw new RedisUnavailableError();
    try {
      const result = await this.withTimeout(op());
      this.breaker.succeeded();
      return result;
    } catch (err) {
      this.breaker.failed();
      throw err;
    }
  }

  /**
   * node-redis times out only commands still waiting to be written; this bounds the reply too.
   * The rejection waits for setImmediate, after the poll phase: a reply already received while
   * the event loop was busy wins over a timer that fired late.
   */
  private withTimeout<T>(p: Promise<T>, ms = this.opts.commandTimeoutMs): Promise<T> {
    const sentAt = performance.now();
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          setImmediate(() => {
            if (settled) return;
            this.events.timeouts++;
            reject(new RedisTimeoutError(ms));
            this.watchSilence(sentAt);
          }),
        ms,
      );
    });
    const replied = p.then((value) => {
      this.lastReplyAt = performance.now();
      return value;
    });
    return Promise.race([replied, timeout]).finally(() => {
      settled = true;
      clearTimeout(timer);
    });
  }

  /**
   * One PING under its own deadline, whatever the breaker says: what /health reports. A PING that
   * times out counts as any other command timeout (the connection is rebuilt).
   */
  async ping(deadlineMs: number): Promise<boolean> {
    if (!this.client.isReady) return false;
    return this.withTimeout(this.client.ping(), deadlineMs).then(
      () => true,
      () => false,
    );
  }

  /** Opens the breaker: used when a write that matters (an invalidation) failed. */
  trip(): void {
    this.breaker.trip();
  }

  /** Waits up to `timeoutMs` for the breaker to close (CLI commands, tests); false if it did not. */
  async whenAvailable(timeoutMs: number): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    while (!this.available) {
      if (performance.now() >= deadline) return false;
      await sleep(10);
    }
    return true;
  }

  /** `used_memory_human` and `connected_clients` from INFO. */
  async info(): Promise<{ memory_used: string | null; connected_clients: number | null }> {
    const [memory, clients] = await this.run(() =>
      Promise.all([this.client.info('memory'), this.client.info('clients')]),
    );
    const field = (text: string, name: string) => new RegExp(`^${name}:(.*)$`, 'm').exec(text)?.[1]?.trim() ?? null;
    const connected = field(clients, 'connected_clients');
    return {
      memory_used: field(memory, 'used_memory_human'),
      connected_clients: connected === null ? null : Number(connected),
    };
  }

  /** Waits for the replies still due, or drops a connection still being made (see RedisClientCloser). */
  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.heartbeat);
    if (this.silence) clearTimeout(this.silence);
    this.reconnector.close();
    await this.closer.close(true);
  }
}
