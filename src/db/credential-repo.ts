import type { Knex } from 'knex';

export type CredentialRow = {
  id: string;
  analysis_id: string;
  badge_type: string;
  badge_version: number;
  badge_name: string;
  earned_at: Date;
  status_list: number;
  status_index: number;
  kid: string;
  jwt: string;
  issued_at: Date;
  revoked_at: Date | null;
};

/** An earned badge with what its credential says about it. */
export type EarnedBadgeRecord = {
  badge_type: string;
  badge_version: number;
  badge_name: string;
  description: string;
  icon: string | null;
  earned_at: Date;
};

/** The badge an analysis holds now, with its version; null when not earned. */
export async function findEarnedBadge(
  q: Knex,
  analysisId: string,
  badgeType: string,
): Promise<EarnedBadgeRecord | null> {
  const row = await q('user_badges')
    .select('badge_type', 'badge_version', 'badge_name', 'description', 'icon', 'earned_at')
    .where({ analysis_id: analysisId, badge_type: badgeType })
    .first();
  return row ?? null;
}

/** The live (not revoked) credential of an earned badge. */
export async function findLiveCredential(
  q: Knex,
  analysisId: string,
  badgeType: string,
): Promise<CredentialRow | null> {
  const row = await q('badge_credentials')
    .where({ analysis_id: analysisId, badge_type: badgeType })
    .whereNull('revoked_at')
    .first();
  return row ?? null;
}

/** The live credentials of an analysis's badges. */
export async function liveCredentialsOf(
  q: Knex,
  analysisId: string,
): Promise<Pick<CredentialRow, 'id' | 'badge_type'>[]> {
  return q('badge_credentials').select('id', 'badge_type').where({ analysis_id: analysisId }).whereNull('revoked_at');
}

export async function findCredential(q: Knex, id: string): Promise<CredentialRow | null> {
  return (await q('badge_credentials').where({ id }).first()) ?? null;
}

/** The next free slot in the status list. */
export async function nextStatusIndex(q: Knex): Promise<number> {
  const { rows } = await q.raw(`SELECT nextval('badge_credential_status_index') AS i`);
  return Number((rows as { i: string }[])[0]!.i);
}

/** Stores an issued credential; when another request issued one for the same badge first, stores nothing. */
export async function insertCredential(q: Knex, row: CredentialRow): Promise<void> {
  await q('badge_credentials')
    .insert(row)
    .onConflict(q.raw('(analysis_id, badge_type) WHERE revoked_at IS NULL'))
    .ignore();
}

/** Marks the live credentials of these badges revoked; returns their status indexes. */
export async function revokeCredentials(
  q: Knex,
  badges: readonly { analysisId: string; badgeType: string }[],
  at: Date,
): Promise<number[]> {
  if (badges.length === 0) return [];
  const rows: { status_index: number }[] = await q('badge_credentials')
    .whereNull('revoked_at')
    .where((w) => {
      for (const b of badges) w.orWhere({ analysis_id: b.analysisId, badge_type: b.badgeType });
    })
    .update({ revoked_at: at })
    .returning('status_index');
  return rows.map((r) => r.status_index);
}

/** The revoked slots of one status list. */
export async function revokedIndexes(q: Knex, list: number): Promise<number[]> {
  const rows: { status_index: number }[] = await q('badge_credentials')
    .select('status_index')
    .where({ status_list: list })
    .whereNotNull('revoked_at');
  return rows.map((r) => r.status_index);
}
