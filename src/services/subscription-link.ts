import type { Knex } from 'knex';
import { ConfigError } from '../config.js';
import { findSubscription, type SubscriptionRow } from '../db/subscription-repo.js';
import { InvalidInputError, NotFoundError, ServiceUnavailableError, UnauthorizedError } from '../errors.js';
import type { LinkPurpose, SignedLinks } from '../infra/mail/signed-links.js';

const LINKS = {
  unsubscribe: { name: 'unsubscribe', token: 'an unsubscribe token' },
  confirm: { name: 'confirmation', token: 'a confirmation token' },
} as const satisfies Record<LinkPurpose, unknown>;

/**
 * The subscription an emailed link names: 503 when links cannot be verified (no secret), 400 for a
 * malformed token, 401 for a forged one, 404 when the subscription is gone.
 */
export async function subscriptionOfLink(
  db: Knex,
  links: SignedLinks,
  purpose: LinkPurpose,
  token: string,
): Promise<SubscriptionRow> {
  const link = LINKS[purpose].name;
  const name = link[0]!.toUpperCase() + link.slice(1);
  let check;
  try {
    check = links.verify(purpose, token);
  } catch (err) {
    if (err instanceof ConfigError)
      throw new ServiceUnavailableError(`${name} links cannot be verified: UNSUBSCRIBE_SECRET is not configured`);
    throw err;
  }
  if (!check.ok && check.reason === 'malformed') {
    throw new InvalidInputError(`Malformed ${link} link`, [
      { field: 'path.token', message: `not ${LINKS[purpose].token}` },
    ]);
  }
  if (!check.ok) throw new UnauthorizedError(`This ${link} link is not valid`);
  const row = await findSubscription(db, check.subscriptionId);
  if (!row) throw new NotFoundError('This subscription no longer exists');
  return row;
}
