import { expect } from 'chai';
import { InvalidInputError } from '../../../src/errors.js';
import { newBadgesWindow, reportPeriod, requirePeriodKey } from '../../../src/domain/report-period.js';

const iso = (d: Date) => d.toISOString();

describe('report periods in local time', () => {
  it('weekly: the last full ISO week, Monday to Monday, in UTC', () => {
    const p = reportPeriod('weekly', new Date('2026-03-11T10:00:00Z'));
    expect(p).to.include({ key: '2026-W10', timeZone: 'UTC' });
    expect([iso(p.start), iso(p.end)]).to.deep.equal(['2026-03-02T00:00:00.000Z', '2026-03-09T00:00:00.000Z']);
  });

  it('uses the ISO week-year at the turn of the year', () => {
    expect(reportPeriod('weekly', new Date('2027-01-04T12:00:00Z')).key).to.equal('2026-W53');
    expect(reportPeriod('weekly', new Date('2026-01-05T12:00:00Z')).key).to.equal('2026-W01');
    expect(reportPeriod('weekly', new Date('2025-01-06T12:00:00Z')).key).to.equal('2025-W01');
  });

  it('Sunday 23:30 in Montréal is still Sunday: the week that just ended is not reported yet', () => {
    const sunday = new Date('2026-03-09T03:30:00Z'); // Sunday 8 March, 23:30 EDT; already Monday in UTC
    expect(reportPeriod('weekly', sunday, 'America/Toronto').key).to.equal('2026-W09');
    expect(reportPeriod('weekly', sunday, 'UTC').key).to.equal('2026-W10');
    const monday = new Date('2026-03-09T04:30:00Z'); // Monday 00:30 EDT
    const p = reportPeriod('weekly', monday, 'America/Toronto');
    expect(p.key).to.equal('2026-W10');
    // Local midnights on both sides of the March change: a 167-hour week.
    expect([iso(p.start), iso(p.end)]).to.deep.equal(['2026-03-02T05:00:00.000Z', '2026-03-09T04:00:00.000Z']);
  });

  it('monthly: the last full local month, across the European spring change', () => {
    const p = reportPeriod('monthly', new Date('2026-03-31T22:30:00Z'), 'Europe/Paris'); // 1 April, 00:30 CEST
    expect(p.key).to.equal('2026-03');
    expect([iso(p.start), iso(p.end)]).to.deep.equal(['2026-02-28T23:00:00.000Z', '2026-03-31T22:00:00.000Z']);
    expect(reportPeriod('monthly', new Date('2026-03-31T22:30:00Z'), 'UTC').key).to.equal('2026-02');
    expect(reportPeriod('monthly', new Date('2026-01-01T05:30:00Z'), 'America/Toronto').key).to.equal('2025-12');
    expect(
      reportPeriod('monthly', new Date('2026-01-01T04:30:00Z'), 'America/Toronto').key,
      '31 December, 23:30 local',
    ).to.equal('2025-11');
  });
});

describe('requirePeriodKey', () => {
  it('accepts the keys reportPeriod makes, weekly and monthly', () => {
    for (const at of ['2026-03-11T10:00:00Z', '2027-01-04T12:00:00Z', '2026-01-05T12:00:00Z']) {
      for (const f of ['weekly', 'monthly'] as const) {
        const { key } = reportPeriod(f, new Date(at));
        expect(requirePeriodKey(key, 'period')).to.equal(key);
      }
    }
  });

  it('refuses anything else with INVALID_INPUT naming the field', () => {
    for (const bad of [
      'garbage',
      '2026-W00',
      '2026-W54',
      '2026-13',
      '2026-00',
      '2026-w10',
      '26-W10',
      '2026-W1',
      ' 2026-10',
    ]) {
      expect(() => requirePeriodKey(bad, 'period'), bad)
        .to.throw(InvalidInputError)
        .with.property('detail', 'period must be an ISO week such as 2026-W47 or a month such as 2026-10');
    }
    expect(() => requirePeriodKey('2026-13', 'from'))
      .to.throw(InvalidInputError)
      .with.deep.property('fields', [
        { field: 'from', message: 'must be an ISO week such as 2026-W47 or a month such as 2026-10' },
      ]);
  });
});

describe('newBadgesWindow: badges are new since the last report', () => {
  const TZ = 'America/Toronto';
  const window = (w: { start: Date; end: Date }) => [iso(w.start), iso(w.end)];
  const w11 = reportPeriod('weekly', new Date('2026-03-16T13:00:00Z'), TZ); // 9 to 15 March, sent Monday 16

  it("is the period itself for a subscription's first report", () => {
    expect(window(newBadgesWindow(w11, null))).to.deep.equal([iso(w11.start), iso(w11.end)]);
  });

  it('is the period itself after the previous week was reported', () => {
    const last = { frequency: 'weekly' as const, sendAt: new Date('2026-03-09T13:00:00Z') };
    expect(window(newBadgesWindow(w11, last))).to.deep.equal([iso(w11.start), iso(w11.end)]);
  });

  it("reaches back to the end of the last report's period when a report was missed", () => {
    const last = { frequency: 'weekly' as const, sendAt: new Date('2026-03-02T14:00:00Z') }; // reported 23 Feb to 1 March
    expect(window(newBadgesWindow(w11, last))).to.deep.equal(['2026-03-02T05:00:00.000Z', iso(w11.end)]);
  });

  it('skips what a monthly report already told after a switch to weekly, and the reverse', () => {
    const w14 = reportPeriod('weekly', new Date('2026-04-06T13:00:00Z'), TZ); // 30 March to 5 April
    const march = { frequency: 'monthly' as const, sendAt: new Date('2026-04-01T13:00:00Z') };
    expect(window(newBadgesWindow(w14, march))).to.deep.equal(['2026-04-01T04:00:00.000Z', iso(w14.end)]);
    const april = reportPeriod('monthly', new Date('2026-05-01T13:00:00Z'), TZ);
    const week16 = { frequency: 'weekly' as const, sendAt: new Date('2026-04-20T13:00:00Z') }; // 13 to 19 April
    expect(window(newBadgesWindow(april, week16))).to.deep.equal(['2026-04-20T04:00:00.000Z', iso(april.end)]);
  });

  it('is empty, not reversed, if the last report covered past this period', () => {
    const later = { frequency: 'monthly' as const, sendAt: new Date('2026-05-01T13:00:00Z') };
    const w = newBadgesWindow(w11, later);
    expect(window(w)).to.deep.equal([iso(w11.end), iso(w11.end)]);
  });
});
