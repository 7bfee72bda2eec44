/*
 * Liveness of the report jobs: each scheduler, delivery worker and confirmation sender beats in
 * PostgreSQL every few seconds; one that missed three beats is stale, and its row goes later.
 */

export type JobRole = 'scheduler' | 'worker' | 'confirmations';

/** One running instance's heartbeat row. */
export type Heartbeat = {
  instance_id: string;
  role: JobRole;
  host: string;
  pid: number;
  started_at: Date;
  last_beat_at: Date;
};

/** How often an instance beats. */
export const HEARTBEAT_INTERVAL_MS = 5_000;
/** An instance is alive while its last beat is at most this many intervals old. */
export const MISSED_BEATS = 3;
/** A stale row is shown as stale for this long, then dropped. */
export const STALE_KEPT_MS = 10 * 60_000;

export type InstanceView = {
  instance_id: string;
  role: JobRole;
  host: string;
  pid: number;
  started_at: string;
  last_beat_at: string;
  /** Seconds since the last beat. */
  beat_age_s: number;
  alive: boolean;
};

export type Liveness = {
  interval_ms: number;
  schedulers: number;
  workers: number;
  confirmations: number;
  instances: InstanceView[];
};

/** Which instances are alive at `now`, counted by role. */
export function liveness(rows: readonly Heartbeat[], now: Date, intervalMs: number = HEARTBEAT_INTERVAL_MS): Liveness {
  const instances = rows.map((r) => {
    const ageMs = Math.max(0, now.getTime() - r.last_beat_at.getTime());
    return {
      instance_id: r.instance_id,
      role: r.role,
      host: r.host,
      pid: r.pid,
      started_at: r.started_at.toISOString(),
      last_beat_at: r.last_beat_at.toISOString(),
      beat_age_s: Math.round(ageMs / 1000),
      alive: ageMs <= MISSED_BEATS * intervalMs,
    };
  });
  const alive = (role: JobRole) => instances.filter((i) => i.alive && i.role === role).length;
  return {
    interval_ms: intervalMs,
    schedulers: alive('scheduler'),
    workers: alive('worker'),
    confirmations: alive('confirmations'),
    instances,
  };
}

/** What an action that queued a send tells the operator: whether a live worker will pick it up. */
export function queuedNote(liveWorkers: number | null): string {
  if (liveWorkers === null) return 'queued — whether a worker is running is unknown';
  if (liveWorkers === 0) return 'queued — no worker is running';
  return `queued — ${liveWorkers} live worker${liveWorkers === 1 ? '' : 's'} will send it`;
}

/** What a reactivation tells the operator: whether a live scheduler will queue the next report. */
export function reactivatedNote(liveSchedulers: number | null): string {
  if (liveSchedulers === null) return 'whether a scheduler is running is unknown';
  if (liveSchedulers === 0) return 'no scheduler running: no report will be queued until one starts';
  return 'a live scheduler will queue its next report';
}
