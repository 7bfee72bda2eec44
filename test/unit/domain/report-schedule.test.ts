import { expect } from 'chai';
import { Cron } from 'croner';
import { dueSlot, lastSendSlot, nextSendTime, REPORT_SCHEDULES } from '../../../src/domain/report-schedule.js';
import type { Frequency } from '../../../src/domain/report-period.js';

const HOUR = 3_600_000;

describe('report schedule', () => {
  it('is due at 09:00 local: Monday for weekly, the 1st for monthly, whatever the offset that day', () => {
    const slot = (f: Frequency, now: string, tz: string) => {
      const s = lastSendSlot(f, new Date(now), tz);
      return [s.period.key, s.sendAt.toISOString()];
    };
    expect(slot('weekly', '2026-03-09T12:59:59Z', 'America/Toronto')).to.deep.equal([
      '2026-W09',
      '2026-03-02T14:00:00.000Z',
    ]);
    expect(slot('weekly', '2026-03-09T13:00:00Z', 'America/Toronto')).to.deep.equal([
      '2026-W10',
      '2026-03-09T13:00:00.000Z',
    ]);
    expect(slot('weekly', '2026-03-09T16:00:00Z', 'America/Vancouver')).to.deep.equal([
      '2026-W10',
      '2026-03-09T16:00:00.000Z',
    ]);
    expect(slot('weekly', '2026-03-09T08:00:00Z', 'Europe/Paris')).to.deep.equal([
      '2026-W10',
      '2026-03-09T08:00:00.000Z',
    ]);
    expect(slot('monthly', '2026-04-01T07:00:00Z', 'Europe/Paris')).to.deep.equal([
      '2026-03',
      '2026-04-01T07:00:00.000Z',
    ]);
    expect(slot('monthly', '2026-04-01T06:59:00Z', 'Europe/Paris')).to.deep.equal([
      '2026-02',
      '2026-03-01T08:00:00.000Z',
    ]);
  });

  it('agrees with croner reading the cron patterns in the same zone', () => {
    for (const tz of ['America/Toronto', 'America/Vancouver', 'Europe/Paris', 'UTC']) {
      for (const f of ['weekly', 'monthly'] as const) {
        for (let t = Date.parse('2026-02-20T00:00:00Z'); t < Date.parse('2026-12-10T00:00:00Z'); t += 71 * HOUR) {
          const croner = new Cron(REPORT_SCHEDULES[f], { timezone: tz, paused: true }).nextRun(new Date(t));
          expect(nextSendTime(f, new Date(t), tz).toISOString(), `${tz} ${f} ${new Date(t).toISOString()}`).to.equal(
            croner?.toISOString(),
          );
        }
      }
    }
  });

  it('catches up only within the window after the send time', () => {
    const window = 24 * HOUR;
    expect(dueSlot('weekly', new Date('2026-03-10T12:59:59Z'), 'America/Toronto', window)?.period.key).to.equal(
      '2026-W10',
    );
    expect(dueSlot('weekly', new Date('2026-03-10T13:00:01Z'), 'America/Toronto', window)).to.equal(null);
    expect(
      dueSlot('weekly', new Date('2026-03-09T12:00:00Z'), 'America/Toronto', window),
      'last week was due 7 days ago',
    ).to.equal(null);
  });
});
