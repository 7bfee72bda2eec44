import type { Knex } from 'knex';

/** Badges held, by type, across every analysis. */
export async function badgeCountsByType(db: Knex): Promise<{ type: string; count: number }[]> {
  const rows = await db('user_badges')
    .select('badge_type')
    .count<{ badge_type: string; count: string | number }[]>('* as count')
    .groupBy('badge_type');
  return rows.map((r) => ({ type: r.badge_type, count: Number(r.count) }));
}

/** Report deliveries, by state (pending, sending, sent, failed, cancelled). */
export async function deliveryCountsByState(db: Knex): Promise<{ state: string; count: number }[]> {
  const rows = await db('report_deliveries')
    .select('status')
    .count<{ status: string; count: string | number }[]>('* as count')
    .groupBy('status');
  return rows.map((r) => ({ state: r.status, count: Number(r.count) }));
}

/** The connection pool's use, when the driver pools (PostgreSQL); null for PGlite's single connection. */
export function poolUse(db: Knex): { used: number; free: number; pending: number } | null {
  const pool = (db.client as { pool?: { numUsed(): number; numFree(): number; numPendingAcquires(): number } }).pool;
  if (!pool || typeof pool.numUsed !== 'function') return null;
  return { used: pool.numUsed(), free: pool.numFree(), pending: pool.numPendingAcquires() };
}
