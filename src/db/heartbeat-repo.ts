import type { Knex } from 'knex';
import type { Heartbeat } from '../domain/liveness.js';

/** Records a beat of one running instance (inserted at its first beat). */
export async function recordBeat(q: Knex, hb: Heartbeat): Promise<void> {
  await q('worker_heartbeats').insert(hb).onConflict('instance_id').merge(['last_beat_at']);
}

/** Every recorded instance, latest beat first. */
export async function listHeartbeats(q: Knex): Promise<Heartbeat[]> {
  const rows: Heartbeat[] = await q('worker_heartbeats')
    .select('instance_id', 'role', 'host', 'pid', 'started_at', 'last_beat_at')
    .orderBy([{ column: 'last_beat_at', order: 'desc' }, { column: 'instance_id' }]);
  return rows.map((r) => ({
    ...r,
    pid: Number(r.pid),
    started_at: new Date(r.started_at),
    last_beat_at: new Date(r.last_beat_at),
  }));
}

/** Drops the instances that stopped beating before `before`; returns how many. */
export async function dropStaleHeartbeats(q: Knex, before: Date): Promise<number> {
  return q('worker_heartbeats').where('last_beat_at', '<', before).delete();
}

/** An instance that stops cleanly removes its own row. */
export async function removeHeartbeat(q: Knex, instanceId: string): Promise<void> {
  await q('worker_heartbeats').where('instance_id', instanceId).delete();
}
