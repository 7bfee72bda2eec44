/*
 * Double opt-in (CASL): a subscription is pending until the owner of the address confirms it by a
 * POST on the link sent to that address; only confirmed subscriptions get reports.
 */

/** A pending subscription lapses this long after its consent request. */
export const PENDING_TTL_MS = 7 * 24 * 3_600_000;

/** A repeat subscribe sends another confirmation email only when the last one is older than this. */
export const CONFIRMATION_RESEND_MS = 15 * 60_000;

export type SubscriptionStatus = 'active' | 'pending' | 'suspended' | 'unsubscribed';

/** Suspended (hard bounces) or unsubscribed when off; otherwise `active` once confirmed, `pending` before. */
export const subscriptionStatus = (s: {
  confirmed_at: Date | null;
  active?: boolean;
  suspended_at?: Date | null | undefined;
}): SubscriptionStatus =>
  s.suspended_at ? 'suspended' : s.active === false ? 'unsubscribed' : s.confirmed_at ? 'active' : 'pending';

/** True once a pending subscription's confirmation link has lapsed. */
export const consentExpired = (
  s: { confirmed_at: Date | null; consent_requested_at: Date | null },
  now: Date,
): boolean =>
  !s.confirmed_at &&
  (s.consent_requested_at === null || now.getTime() - s.consent_requested_at.getTime() >= PENDING_TTL_MS);

/** An IP address with its last part hidden: `203.0.113.x`, `2001:db8:…`. */
export function maskIp(ip: string | null): string | null {
  if (!ip) return null;
  const v4 = /^(?:::ffff:)?(\d+\.\d+\.\d+)\.\d+$/.exec(ip);
  if (v4) return `${v4[1]}.x`;
  return `${ip.split(':').slice(0, 3).join(':')}:…`;
}

/** The display name of a `Name <address>` sender, or the whole value. */
export function senderName(mailFrom: string): string {
  return /^\s*"?([^"<]+?)"?\s*</.exec(mailFrom)?.[1] ?? mailFrom;
}
