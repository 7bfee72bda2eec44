import type { Knex } from 'knex';
import { ConfigError } from '../config.js';
import { findSubscription, type SubscriptionRow } from '../db/subscription-repo.js';
import { InvalidInputError, NotFoundError, ServiceUnavailableError, UnauthorizedError } from '../errors.js';
import type { UnsubscribeTokens } from '../infra/mail/unsubscribe-tokens.js';

const TOKEN_NAMES = { unsubscribe: 'an unsubscribe token', confirmation: 'a confirmation token' } as const;

/**
 * The subscription an emailed link names: 503 when links cannot be verified (no secret), 400 for a
 * malformed token, 401 for a forged one, 404 when the subscription is gone.
 */
export async function subscriptionOfLink(
  db: Knex,
  tokens: UnsubscribeTokens,
  token: string,
  link: 'unsubscribe' | 'confirmation',
): Promise<SubscriptionRow> {
  const name = link[0]!.toUpperCase() + link.slice(1);
  let check;
  try {
    check = tokens.verify(token);
  } catch (err) {
    if (err instanceof ConfigError)
      throw new ServiceUnavailableError(`${name} links cannot be verified: UNSUBSCRIBE_SECRET is not configured`);
    throw err;
  }
  if (!check.ok && check.reason === 'malformed') {
    throw new InvalidInputError(`Malformed ${link} link`, [
      { field: 'path.token', message: `not ${TOKEN_NAMES[link]}` },
    ]);
  }
  if (!check.ok) throw new UnauthorizedError(`This ${link} link is not valid`);
  const row = await findSubscription(db, check.subscriptionId);
  if (!row) throw new NotFoundError('This subscription no longer exists');
  return row;
}
