import type { Clock } from '../../clock.js';
import type { Logger } from '../../logger.js';
import { classifySendError, type SendFailure } from '../mail/smtp-errors.js';

/*
 * The outbox every kind of email goes through (consent confirmations, reports, any later kind).
 * Rows are claimed in short statements (FOR UPDATE SKIP LOCKED) under a lease, sent outside any
 * transaction, then marked. At-least-once: a worker that dies between the SMTP 250 and the mark
 * leaves its lease to expire, and the row is sent again; every attempt carries one Message-ID so
 * receivers can drop the duplicate. A temporary failure waits base × 2^(attempt-1); a permanent one
 * (SMTP 5xx), or the last attempt, fails the row.
 */

export type OutboxPolicy = {
  /** Rows claimed per round trip. */
  batchSize: number;
  /** Mails in flight at once per worker. */
  concurrency: number;
  /** How long a claim lasts before another worker may take the row over. */
  leaseMs: number;
  maxAttempts: number;
  /** Retry n waits backoffBaseMs × 2^(n-1). */
  backoffBaseMs: number;
};

export type Claim = { now: Date; leaseUntil: Date; limit: number; maxAttempts: number };
/** A failed attempt as the queue records it: `final` when the row is given up. */
export type FailedAttempt = SendFailure & { now: Date; retryAt: Date; final: boolean };

/** One kind of email: where its rows are claimed and marked, and how one is sent. */
export type OutboxQueue<Row> = {
  /** For logs: `report`, `confirmation`. */
  readonly kind: string;
  /** Fails the rows whose lease ran out during their last allowed attempt (the worker died). */
  expireLastAttempts(now: Date, maxAttempts: number): Promise<number>;
  /** Claims due rows and rows whose lease expired; each claim counts an attempt. */
  claim(claim: Claim): Promise<Row[]>;
  /** The attempt this claim is (1 for the first). */
  attempt(row: Row): number;
  /** What the logs say of a row (ids, never an address). */
  describe(row: Row): Record<string, unknown>;
  /** Sends one row and marks it sent, or `cancelled` when it should no longer go; throws what the mailer threw. */
  send(row: Row): Promise<'sent' | 'cancelled'>;
  /** Records a failed attempt; `retrying` or `failed` as it was recorded (a row taken over meanwhile is left alone). */
  fail(row: Row, attempt: FailedAttempt): Promise<'retrying' | 'failed'>;
  /** Gives claimed rows back untouched (the worker is stopping before it started them). */
  release(rows: Row[]): Promise<void>;
};

export type DrainResult = { claimed: number; sent: number; retrying: number; failed: number; cancelled: number };

/** The delay before retry `attempt` + 1. */
export function retryDelayMs(policy: Pick<OutboxPolicy, 'backoffBaseMs'>, attempt: number): number {
  return policy.backoffBaseMs * 2 ** Math.max(0, attempt - 1);
}

/**
 * Sends everything that is due now, batch after batch, until nothing is left or `shouldStop` says
 * so. Rows claimed but not started when stopping are given back.
 */
export async function drainOutbox<Row>(
  queue: OutboxQueue<Row>,
  policy: OutboxPolicy,
  deps: { clock: Clock; logger: Logger },
  opts: { shouldStop?: () => boolean; onProgress?: (done: number, claimed: number) => void } = {},
): Promise<DrainResult> {
  const shouldStop = opts.shouldStop ?? (() => false);
  const total: DrainResult = { claimed: 0, sent: 0, retrying: 0, failed: 0, cancelled: 0 };
  let done = 0;
  const attempt = async (row: Row): Promise<keyof DrainResult> => {
    try {
      return await queue.send(row);
    } catch (err) {
      const failure = classifySendError(err);
      const n = queue.attempt(row);
      const now = deps.clock.now();
      const final = failure.permanent || n >= policy.maxAttempts;
      const retryAt = new Date(now.getTime() + retryDelayMs(policy, n));
      const outcome = await queue.fail(row, { ...failure, now, retryAt, final });
      deps.logger.warn(
        { ...queue.describe(row), attempt: n, outcome, ...failure, ...(outcome === 'retrying' ? { retryAt } : {}) },
        `${queue.kind} email attempt failed`,
      );
      return outcome;
    }
  };
  while (!shouldStop()) {
    const now = deps.clock.now();
    await queue.expireLastAttempts(now, policy.maxAttempts);
    const rows = await queue.claim({
      now,
      leaseUntil: new Date(now.getTime() + policy.leaseMs),
      limit: policy.batchSize,
      maxAttempts: policy.maxAttempts,
    });
    if (rows.length === 0) break;
    total.claimed += rows.length;
    const waiting = [...rows];
    const lane = async () => {
      for (let row = waiting.shift(); row !== undefined; row = shouldStop() ? undefined : waiting.shift()) {
        total[await attempt(row)] += 1;
        opts.onProgress?.(++done, total.claimed);
      }
    };
    await Promise.all(Array.from({ length: Math.min(policy.concurrency, rows.length) }, lane));
    await queue.release(waiting);
  }
  return total;
}
