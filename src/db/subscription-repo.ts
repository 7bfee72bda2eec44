import type { Knex } from 'knex';

import type { Frequency } from '../domain/report-period.js';

export type { Frequency };

export type SubscriptionRow = {
  id: string;
  analysis_id: string;
  email: string;
  frequency: Frequency;
  active: boolean;
  hourly_rate: number | null;
  last_sent_at: Date | null;
  bounce_count?: number;
  suspended_at?: Date | null;
  created_at: Date;
  updated_at: Date | null;
};

function toRow(r: Record<string, unknown>): SubscriptionRow {
  return { ...(r as SubscriptionRow), hourly_rate: r.hourly_rate === null ? null : Number(r.hourly_rate) };
}

/**
 * Creates or re-activates the subscription of one (analysis, email) pair.
 * `created` tells a new row (xmax = 0) from an updated one.
 */
export async function upsertSubscription(
  q: Knex,
  s: { analysisId: string; email: string; frequency: Frequency; hourlyRate: number | null; at: Date },
): Promise<{ row: SubscriptionRow; created: boolean }> {
  // Subscribing again switches an unsubscribed address back on, but not one suspended for hard bounces: only an operator lifts that.
  const merge: Record<string, unknown> = { frequency: s.frequency, active: q.raw('email_subscriptions.suspended_at IS NULL') };
  if (s.hourlyRate !== null) merge.hourly_rate = s.hourlyRate;
  const [row] = await q('email_subscriptions')
    .insert({
      analysis_id: s.analysisId,
      email: s.email,
      frequency: s.frequency,
      hourly_rate: s.hourlyRate,
      active: true,
      created_at: s.at,
    })
    .onConflict(['analysis_id', 'email'])
    .merge(merge)
    .returning(['*', q.raw('(xmax = 0) AS created')]);
  const { created, ...rest } = row as Record<string, unknown>;
  return { row: toRow(rest), created: Boolean(created) };
}

export async function findSubscription(q: Knex, id: string): Promise<SubscriptionRow | null> {
  const row = await q('email_subscriptions').where({ id }).first();
  return row ? toRow(row) : null;
}

export async function setSubscriptionActive(q: Knex, id: string, active: boolean): Promise<SubscriptionRow | null> {
  const [row] = await q('email_subscriptions').where({ id }).update({ active }).returning('*');
  return row ? toRow(row) : null;
}

/** Switches a subscription back on after a suspension (or an unsubscribe), its bounces forgotten. */
export async function reactivateSubscription(q: Knex, id: string): Promise<SubscriptionRow | null> {
  const [row] = await q('email_subscriptions').where({ id }).update({ active: true, suspended_at: null, bounce_count: 0 }).returning('*');
  return row ? toRow(row) : null;
}
