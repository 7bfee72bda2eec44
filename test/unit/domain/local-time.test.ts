import { expect } from 'chai';
import { localDate, localDayNumber, zonedTime } from '../../../src/domain/local-time.js';
import { canonicalTimeZone } from '../../../src/domain/time-zone.js';

const TORONTO = 'America/Toronto';

describe('local time', () => {
  it('counts a 20:30 Montréal evening on its own local day, not the next UTC day', () => {
    const evening = new Date('2026-03-06T01:30:00Z'); // Thursday 5 March, 20:30 EST
    expect(localDate(evening, TORONTO)).to.deep.equal({ year: 2026, month: 3, day: 5 });
    expect(localDayNumber(evening, TORONTO)).to.equal(localDayNumber(new Date('2026-03-05T14:00:00Z'), TORONTO));
    expect(localDayNumber(evening, 'UTC')).to.equal(localDayNumber(evening, TORONTO) + 1);
  });

  it('finds the instant of a wall-clock time on both sides of a DST change', () => {
    const nine = (day: number, month: number, tz: string) =>
      zonedTime({ year: 2026, month, day }, 9, 0, tz).toISOString();
    expect(nine(2, 3, TORONTO)).to.equal('2026-03-02T14:00:00.000Z'); // EST
    expect(nine(9, 3, TORONTO)).to.equal('2026-03-09T13:00:00.000Z'); // EDT
    expect(nine(2, 11, TORONTO)).to.equal('2026-11-02T14:00:00.000Z');
    expect(nine(30, 3, 'Europe/Paris')).to.equal('2026-03-30T07:00:00.000Z');
    expect(nine(9, 3, 'America/Vancouver')).to.equal('2026-03-09T16:00:00.000Z');
    // 02:30 does not exist on 8 March in Toronto; 01:30 happens twice on 1 November (the first wins).
    expect(zonedTime({ year: 2026, month: 3, day: 8 }, 2, 30, TORONTO).toISOString()).to.equal(
      '2026-03-08T07:30:00.000Z',
    );
    expect(zonedTime({ year: 2026, month: 11, day: 1 }, 1, 30, TORONTO).toISOString()).to.equal(
      '2026-11-01T05:30:00.000Z',
    );
  });

  it('accepts IANA names and their aliases, and rejects anything else', () => {
    expect(canonicalTimeZone('Europe/Paris')).to.equal('Europe/Paris');
    expect(canonicalTimeZone('America/Montreal')).to.equal(TORONTO);
    expect(canonicalTimeZone('UTC')).to.equal('UTC');
    expect(canonicalTimeZone('Etc/UTC')).to.equal('UTC');
    expect(canonicalTimeZone('Etc/GMT+5')).to.equal('Etc/GMT+5'); // fixed offsets keep their Etc/ name
    for (const bad of ['Mars/Olympus', '+05:00', 'EST5EDT;', '', 'America/../Toronto'])
      expect(canonicalTimeZone(bad), bad).to.equal(null);
  });
});
