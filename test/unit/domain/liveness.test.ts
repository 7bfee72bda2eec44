import { expect } from 'chai';
import {
  HEARTBEAT_INTERVAL_MS,
  liveness,
  queuedNote,
  reactivatedNote,
  type Heartbeat,
  type JobRole,
} from '../../../src/domain/liveness.js';

const NOW = new Date('2026-03-02T10:00:00.000Z');

/** A heartbeat row whose last beat is `ageMs` before NOW. */
const beat = (instance_id: string, role: JobRole, ageMs: number): Heartbeat => ({
  instance_id,
  role,
  host: 'host-1',
  pid: 4242,
  started_at: new Date('2026-03-02T09:00:00.000Z'),
  last_beat_at: new Date(NOW.getTime() - ageMs),
});

describe('domain/liveness', () => {
  it('shows each instance with its beat age in whole seconds and whether it is alive', () => {
    expect(liveness([beat('w1', 'worker', 4_400)], NOW)).to.deep.equal({
      interval_ms: HEARTBEAT_INTERVAL_MS,
      schedulers: 0,
      workers: 1,
      confirmations: 0,
      instances: [
        {
          instance_id: 'w1',
          role: 'worker',
          host: 'host-1',
          pid: 4242,
          started_at: '2026-03-02T09:00:00.000Z',
          last_beat_at: '2026-03-02T09:59:55.600Z',
          beat_age_s: 4,
          alive: true,
        },
      ],
    });
  });

  it('keeps an instance alive up to three missed beats, not one millisecond more', () => {
    const rows = [beat('at-limit', 'worker', 15_000), beat('past-limit', 'worker', 15_001)];
    const view = liveness(rows, NOW);
    expect(view.instances.map((i) => [i.instance_id, i.alive, i.beat_age_s])).to.deep.equal([
      ['at-limit', true, 15],
      ['past-limit', false, 15],
    ]);
    expect(view.workers).to.equal(1);
    // The limit follows the interval it is given.
    expect(liveness(rows, NOW, 10_000).workers).to.equal(2);
    expect(liveness([beat('w', 'worker', 30_001)], NOW, 10_000).workers).to.equal(0);
  });

  it('counts the live instances of each role apart', () => {
    const view = liveness(
      [
        beat('s1', 'scheduler', 1_000),
        beat('s2', 'scheduler', 60_000),
        beat('w1', 'worker', 0),
        beat('w2', 'worker', 2_000),
        beat('w3', 'worker', 16_000),
        beat('c1', 'confirmations', 3_000),
      ],
      NOW,
    );
    expect([view.schedulers, view.workers, view.confirmations]).to.deep.equal([1, 2, 1]);
    expect(view.instances).to.have.length(6);
  });

  it('takes a beat stamped ahead of the clock as just now', () => {
    const view = liveness([beat('skewed', 'scheduler', -2_000)], NOW);
    expect(view.instances[0]).to.include({ beat_age_s: 0, alive: true });
    expect(view.schedulers).to.equal(1);
  });

  it('tells the operator whether a live worker will send what was queued', () => {
    expect(queuedNote(null)).to.equal('queued — whether a worker is running is unknown');
    expect(queuedNote(0)).to.equal('queued — no worker is running');
    expect(queuedNote(1)).to.equal('queued — 1 live worker will send it');
    expect(queuedNote(3)).to.equal('queued — 3 live workers will send it');
  });

  it('tells the operator whether a live scheduler will queue the next report', () => {
    expect(reactivatedNote(null)).to.equal('whether a scheduler is running is unknown');
    expect(reactivatedNote(0)).to.equal('no scheduler running: no report will be queued until one starts');
    expect(reactivatedNote(2)).to.equal('a live scheduler will queue its next report');
  });
});
