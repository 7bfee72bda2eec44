import { createHash } from 'node:crypto';
import { z } from 'zod';
import { InvalidInputError } from '../errors.js';

/** An address as subscriptions store it (trimmed, lower case); INVALID_INPUT when it is not one. */
export function subscriberAddress(input: string): string {
  const email = input.trim().toLowerCase();
  if (!z.email().safeParse(email).success)
    throw new InvalidInputError('email must be an email address', [
      { field: 'email', message: 'must be an email address' },
    ]);
  return email;
}

/** The proof of an erasure: SHA-256 of the salt and the address. Whoever knows the address can check it; the row alone does not give it. */
export function erasureHash(salt: string, email: string): string {
  return createHash('sha256').update(`${salt}:${email}`).digest('hex');
}

/** How long personal data is kept before the scheduler anonymises it; 0 keeps it. */
export type RetentionPolicy = { deliveryMonths: number; consentIpYears: number };

/** The instants before which each kind of data is anonymised (null: kept). */
export function retentionCutoffs(now: Date, p: RetentionPolicy): { deliveries: Date | null; consentIps: Date | null } {
  const shift = (months: number) => {
    const d = new Date(now);
    d.setUTCMonth(d.getUTCMonth() - months);
    return d;
  };
  return {
    deliveries: p.deliveryMonths > 0 ? shift(p.deliveryMonths) : null,
    consentIps: p.consentIpYears > 0 ? shift(p.consentIpYears * 12) : null,
  };
}
