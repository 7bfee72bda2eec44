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
  /** The consent record (double opt-in): when and from where it was asked for and confirmed. */
  consent_requested_at: Date | null;
  consent_request_ip: string | null;
  consent_request_user_agent: string | null;
  /** Null while pending: only confirmed subscriptions get reports. */
  confirmed_at: Date | null;
  consent_confirm_ip: string | null;
  consent_confirm_user_agent: string | null;
  /** When the confirmation email is due (or its send lease ends); null when none is to be sent. */
  confirmation_due_at: Date | null;
  confirmation_attempts: number;
  confirmation_sent_at: Date | null;
  /** The withdrawal of consent: when, through what, and from where; null while the subscription stands. */
  consent_withdrawn_at?: Date | null;
  consent_withdrawal_source?: string | null;
  consent_withdraw_ip?: string | null;
  consent_withdraw_user_agent?: string | null;
};

/** A subscription switched back on has no withdrawal on record. */
const NOT_WITHDRAWN = {
  consent_withdrawn_at: null,
  consent_withdrawal_source: null,
  consent_withdraw_ip: null,
  consent_withdraw_user_agent: null,
};

/** Where a consent step came from. */
export type ConsentSource = { ip: string | null; userAgent: string | null };

export function toRow(r: Record<string, unknown>): SubscriptionRow {
  return { ...(r as SubscriptionRow), hourly_rate: r.hourly_rate === null ? null : Number(r.hourly_rate) };
}

/** The subscription of one (analysis, email) pair, locked for the rest of the transaction. */
export async function findSubscriptionByEmail(
  q: Knex,
  analysisId: string,
  email: string,
): Promise<SubscriptionRow | null> {
  const row = await q('email_subscriptions').where({ analysis_id: analysisId, email }).forUpdate().first();
  return row ? toRow(row) : null;
}

/** Records a new consent request: the subscription is pending and its confirmation email due now. */
export async function insertPendingSubscription(
  q: Knex,
  s: {
    analysisId: string;
    email: string;
    frequency: Frequency;
    hourlyRate: number | null;
    at: Date;
    source: ConsentSource;
  },
): Promise<SubscriptionRow> {
  const [row] = await q('email_subscriptions')
    .insert({
      analysis_id: s.analysisId,
      email: s.email,
      frequency: s.frequency,
      hourly_rate: s.hourlyRate,
      active: true,
      created_at: s.at,
      consent_requested_at: s.at,
      consent_request_ip: s.source.ip,
      consent_request_user_agent: s.source.userAgent,
      confirmation_due_at: s.at,
    })
    .returning('*');
  return toRow(row);
}

/** Changes a subscription's settings; with `request`, it becomes pending again under a new consent request. */
export async function updateSubscription(
  q: Knex,
  id: string,
  s: {
    frequency: Frequency;
    hourlyRate: number | null;
    request?: { at: Date; source: ConsentSource; sendConfirmation: boolean };
  },
): Promise<SubscriptionRow> {
  // A subscription suspended for hard bounces stays off: only reactivateSubscription (an operator) lifts that.
  const patch: Record<string, unknown> = {
    frequency: s.frequency,
    active: q.raw('suspended_at IS NULL'),
    ...NOT_WITHDRAWN,
  };
  if (s.hourlyRate !== null) patch.hourly_rate = s.hourlyRate;
  if (s.request) {
    Object.assign(patch, {
      confirmed_at: null,
      consent_confirm_ip: null,
      consent_confirm_user_agent: null,
      consent_requested_at: s.request.at,
      consent_request_ip: s.request.source.ip,
      consent_request_user_agent: s.request.source.userAgent,
    });
    if (s.request.sendConfirmation)
      Object.assign(patch, { confirmation_due_at: s.request.at, confirmation_attempts: 0 });
  }
  const [row] = await q('email_subscriptions').where({ id }).update(patch).returning('*');
  return toRow(row);
}

/** Confirms a pending subscription; null when it was not pending. */
export async function confirmSubscription(
  q: Knex,
  id: string,
  at: Date,
  source: ConsentSource,
): Promise<SubscriptionRow | null> {
  const [row] = await q('email_subscriptions')
    .where({ id })
    .whereNull('confirmed_at')
    .update({
      confirmed_at: at,
      consent_confirm_ip: source.ip,
      consent_confirm_user_agent: source.userAgent,
      confirmation_due_at: null,
    })
    .returning('*');
  return row ? toRow(row) : null;
}

/** Deletes the pending subscriptions whose consent request was made at or before `before`. */
export async function deleteExpiredPending(q: Knex, before: Date): Promise<number> {
  return q('email_subscriptions').whereNull('confirmed_at').andWhere('consent_requested_at', '<=', before).delete();
}

/** Every subscription of an analysis with its consent record, oldest first. */
export async function listSubscriptions(q: Knex, analysisId: string): Promise<SubscriptionRow[]> {
  return (await q('email_subscriptions').where({ analysis_id: analysisId }).orderBy('created_at')).map(toRow);
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
  const [row] = await q('email_subscriptions')
    .where({ id })
    .update({ active: true, suspended_at: null, bounce_count: 0, ...NOT_WITHDRAWN })
    .returning('*');
  return row ? toRow(row) : null;
}

/** One subscription of one analysis, or null (also when the id belongs to another analysis). */
export async function findSubscriptionOfAnalysis(
  q: Knex,
  analysisId: string,
  id: string,
): Promise<SubscriptionRow | null> {
  const row = await q('email_subscriptions').where({ id, analysis_id: analysisId }).forUpdate().first();
  return row ? toRow(row) : null;
}

/** Changes only a subscription's frequency. */
export async function setSubscriptionFrequency(q: Knex, id: string, frequency: Frequency): Promise<SubscriptionRow> {
  const [row] = await q('email_subscriptions').where({ id }).update({ frequency }).returning('*');
  return toRow(row);
}

/** Switches a subscription off and records the withdrawal of consent: when, through what, from where. */
export async function withdrawSubscription(
  q: Knex,
  id: string,
  w: { at: Date; via: string; source: ConsentSource },
): Promise<SubscriptionRow | null> {
  const [row] = await q('email_subscriptions')
    .where({ id })
    .update({
      active: false,
      // Withdrawn is the last word: a suspension for bounces no longer describes it.
      suspended_at: null,
      confirmation_due_at: null,
      consent_withdrawn_at: w.at,
      consent_withdrawal_source: w.via,
      consent_withdraw_ip: w.source.ip,
      consent_withdraw_user_agent: w.source.userAgent,
    })
    .returning('*');
  return row ? toRow(row) : null;
}
