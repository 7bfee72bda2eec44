import type { Knex } from 'knex';
import { toRow, type SubscriptionRow } from './subscription-repo.js';

// The confirmation outbox lives on the subscription: `confirmation_due_at` is when the email is due,
// or, while a worker sends it, when that worker's lease ends; null once sent or given up.

const PENDING = 'confirmed_at IS NULL AND active';

/**
 * Claims pending subscriptions whose confirmation email is due (or whose lease expired): the due
 * time moves to the end of the lease and the attempt is counted, in one statement.
 */
export async function claimConfirmations(
  q: Knex,
  o: { now: Date; leaseUntil: Date; limit: number; maxAttempts: number },
): Promise<SubscriptionRow[]> {
  const { rows } = await q.raw(
    `UPDATE email_subscriptions
     SET confirmation_due_at = :leaseUntil, confirmation_attempts = confirmation_attempts + 1
     WHERE id IN (
       SELECT id FROM email_subscriptions
       WHERE confirmation_due_at <= :now AND ${PENDING} AND confirmation_attempts < :maxAttempts
       ORDER BY confirmation_due_at
       LIMIT :limit
       FOR UPDATE SKIP LOCKED)
     RETURNING *`,
    o,
  );
  return (rows as Record<string, unknown>[]).map(toRow);
}

/** Gives up the confirmations whose lease ran out during their last allowed attempt. */
export async function giveUpConfirmations(q: Knex, now: Date, maxAttempts: number): Promise<number> {
  return q('email_subscriptions')
    .where('confirmation_due_at', '<=', now)
    .andWhere('confirmation_attempts', '>=', maxAttempts)
    .whereNull('confirmed_at')
    .update({ confirmation_due_at: null });
}

/** The confirmation email went out. */
export async function markConfirmationSent(q: Knex, id: string, sentAt: Date): Promise<void> {
  await q('email_subscriptions').where({ id }).update({ confirmation_due_at: null, confirmation_sent_at: sentAt });
}

/**
 * A failed attempt: the email waits until `retryAt`, or is given up (null). Only the claim of this
 * attempt may record it (a row claimed again meanwhile is left alone): returns whether it did.
 */
export async function markConfirmationFailed(
  q: Knex,
  d: Pick<SubscriptionRow, 'id' | 'confirmation_attempts'>,
  retryAt: Date | null,
): Promise<boolean> {
  const n = await q('email_subscriptions')
    .where({ id: d.id, confirmation_attempts: d.confirmation_attempts })
    .whereNotNull('confirmation_due_at')
    .update({ confirmation_due_at: retryAt });
  return n > 0;
}

/** Gives claimed confirmations back untouched: due now, the attempt not counted. */
export async function releaseConfirmations(q: Knex, ids: readonly string[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await q('email_subscriptions')
    .whereIn('id', ids)
    .whereNull('confirmed_at')
    .update({ confirmation_due_at: now, confirmation_attempts: q.raw('GREATEST(confirmation_attempts - 1, 0)') });
}
