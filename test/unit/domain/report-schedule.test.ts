import { expect } from 'chai';
import { Cron } from 'croner';
import { isSendTimePast, REPORT_SCHEDULES, reportSendTime } from '../../../src/domain/report-schedule.js';

describe('report schedule', () => {
  it('fires weekly on Monday 09:00 UTC and monthly on the 1st 09:00 UTC', () => {
    const next = (pattern: string, from: string) => new Cron(pattern, { timezone: 'UTC', paused: true }).nextRun(new Date(from))?.toISOString();
    expect(next(REPORT_SCHEDULES.weekly, '2026-03-04T12:00:00Z')).to.equal('2026-03-09T09:00:00.000Z');
    expect(next(REPORT_SCHEDULES.weekly, '2026-03-09T08:59:59Z')).to.equal('2026-03-09T09:00:00.000Z');
    expect(next(REPORT_SCHEDULES.monthly, '2026-03-01T09:00:00Z')).to.equal('2026-04-01T09:00:00.000Z');
    expect(next(REPORT_SCHEDULES.monthly, '2026-12-15T00:00:00Z')).to.equal('2027-01-01T09:00:00.000Z');
  });

  it("knows when this period's send time has passed, for catching up after downtime", () => {
    expect(reportSendTime('weekly', new Date('2026-03-11T00:00:00Z')).toISOString()).to.equal('2026-03-09T09:00:00.000Z');
    expect(isSendTimePast('weekly', new Date('2026-03-09T08:59:59Z'))).to.equal(false);
    expect(isSendTimePast('weekly', new Date('2026-03-09T09:00:00Z'))).to.equal(true);
    expect(isSendTimePast('weekly', new Date('2026-03-15T23:00:00Z'))).to.equal(true);
    expect(isSendTimePast('monthly', new Date('2026-04-01T08:00:00Z'))).to.equal(false);
    expect(isSendTimePast('monthly', new Date('2026-04-20T08:00:00Z'))).to.equal(true);
  });
});
