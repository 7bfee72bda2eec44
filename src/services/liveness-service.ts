import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { dropStaleHeartbeats, listHeartbeats, recordBeat, removeHeartbeat } from '../db/heartbeat-repo.js';
import { HEARTBEAT_INTERVAL_MS, liveness, STALE_KEPT_MS, type JobRole, type Liveness } from '../domain/liveness.js';
import type { ServiceDeps } from './deps.js';

/** A running instance's heartbeat: `stop()` ends it and removes its row. */
export type HeartbeatHandle = { instanceId: string; stop(): Promise<void> };

/** Heartbeats of the report jobs in PostgreSQL, and who is alive. */
export class LivenessService {
  readonly intervalMs: number;

  constructor(private readonly deps: Pick<ServiceDeps, 'db' | 'clock' | 'logger'> & { intervalMs?: number }) {
    this.intervalMs = deps.intervalMs ?? HEARTBEAT_INTERVAL_MS;
  }

  /** Beats now and every interval for one instance of `role`; stale rows of others are dropped on the way. */
  start(role: JobRole): HeartbeatHandle {
    const { db, clock, logger } = this.deps;
    const instanceId = randomUUID();
    const startedAt = clock.now();
    const base = { instance_id: instanceId, role, host: os.hostname(), pid: process.pid, started_at: startedAt };
    let last: Promise<void> = Promise.resolve();
    const beat = () => {
      last = (async () => {
        const now = clock.now();
        await recordBeat(db, { ...base, last_beat_at: now });
        await dropStaleHeartbeats(db, new Date(now.getTime() - STALE_KEPT_MS));
      })().catch((err: unknown) => logger.warn({ err, role }, 'heartbeat not recorded; trying again'));
    };
    beat();
    const timer = setInterval(beat, this.intervalMs);
    timer.unref();
    return {
      instanceId,
      stop: async () => {
        clearInterval(timer);
        await last;
        await removeHeartbeat(db, instanceId).catch((err: unknown) =>
          logger.warn({ err, role }, 'heartbeat row not removed; it will go stale'),
        );
      },
    };
  }

  /** Every recorded instance, alive or stale, counted by role. */
  async status(): Promise<Liveness> {
    return liveness(await listHeartbeats(this.deps.db), this.deps.clock.now(), this.intervalMs);
  }
}
