import type { Knex } from 'knex';
import type { JWK } from 'jose';

export type SigningKeyRow = {
  kid: string;
  algorithm: string;
  public_jwk: JWK;
  private_jwk: JWK;
  created_at: Date;
  retired_at: Date | null;
};

/** The key new credentials are signed with; null when none was generated yet. */
export async function currentSigningKey(q: Knex): Promise<SigningKeyRow | null> {
  return (await q('signing_keys').whereNull('retired_at').first()) ?? null;
}

/** Every key's public half, the current one first: what the JWKS publishes. */
export async function publicKeys(
  q: Knex,
): Promise<Pick<SigningKeyRow, 'kid' | 'public_jwk' | 'created_at' | 'retired_at'>[]> {
  return q('signing_keys')
    .select('kid', 'public_jwk', 'created_at', 'retired_at')
    .orderByRaw('retired_at IS NULL DESC, created_at DESC');
}

/** Makes a new key current; the previous one is retired (kept, so that its credentials still verify). */
export async function rotateSigningKey(
  q: Knex,
  key: { kid: string; publicJwk: JWK; privateJwk: JWK },
  at: Date,
): Promise<{ retired: string | null }> {
  return q.transaction(async (trx) => {
    // Serialises concurrent rotations (and the embedded first start) on one row lock.
    await trx.raw('LOCK TABLE signing_keys IN SHARE ROW EXCLUSIVE MODE');
    const [old] = await trx('signing_keys').whereNull('retired_at').update({ retired_at: at }).returning('kid');
    await trx('signing_keys').insert({
      kid: key.kid,
      public_jwk: JSON.stringify(key.publicJwk),
      private_jwk: JSON.stringify(key.privateJwk),
      created_at: at,
    });
    return { retired: (old as { kid: string } | undefined)?.kid ?? null };
  });
}

/** Inserts a first key unless one is current already; returns whether it did. */
export async function insertFirstSigningKey(
  q: Knex,
  key: { kid: string; publicJwk: JWK; privateJwk: JWK },
  at: Date,
): Promise<boolean> {
  return q.transaction(async (trx) => {
    await trx.raw('LOCK TABLE signing_keys IN SHARE ROW EXCLUSIVE MODE');
    if (await trx('signing_keys').whereNull('retired_at').first()) return false;
    await trx('signing_keys').insert({
      kid: key.kid,
      public_jwk: JSON.stringify(key.publicJwk),
      private_jwk: JSON.stringify(key.privateJwk),
      created_at: at,
    });
    return true;
  });
}
