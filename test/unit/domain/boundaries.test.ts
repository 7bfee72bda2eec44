import { expect } from 'chai';
import { consentExpired, maskIp } from '../../../src/domain/consent.js';
import { reasonFr, truncate } from '../../../src/domain/report-format.js';
import { dueSlot } from '../../../src/domain/report-schedule.js';
import { longestStreak } from '../../../src/domain/streak.js';

// The edges of the domain rules, where an off-by-one or a dropped anchor would change the answer.
describe('domain rules at their boundaries', () => {
  it('reasonFr: complexity 6 is still "moyenne", 7 "élevée"; 5 h a week is "Fort impact", 4.9 h is not', () => {
    expect(reasonFr({ complexity_level: 6, hours_per_week: 2 })).to.include('complexité moyenne');
    expect(reasonFr({ complexity_level: 7, hours_per_week: 2 })).to.include('complexité élevée');
    expect(reasonFr({ complexity_level: 4, hours_per_week: 5 })).to.match(/^Fort impact/);
    expect(reasonFr({ complexity_level: 4, hours_per_week: 4.9 })).to.match(/^Gain régulier/);
  });

  it('truncate keeps a text of exactly `max` characters whole', () => {
    expect(truncate('abcde', 5)).to.equal('abcde');
    expect(truncate('abcdef', 5)).to.have.lengthOf(5).and.match(/…$/);
  });

  it('dueSlot: a send time exactly `catchUpMs` ago is still due, a millisecond later it is not', () => {
    const sendAt = new Date('2026-03-09T09:00:00Z'); // Monday 09:00 UTC
    const catchUp = 3_600_000;
    const at = (ms: number) => dueSlot('weekly', new Date(sendAt.getTime() + ms), 'UTC', catchUp);
    expect(at(catchUp)?.sendAt.toISOString()).to.equal(sendAt.toISOString());
    expect(at(catchUp + 1)).to.equal(null);
  });

  it('longestStreak: days given out of order still count as a run, and a gap breaks it', () => {
    const day = (d: number) => new Date(Date.UTC(2026, 2, d, 12));
    expect(longestStreak([day(12), day(10), day(11), day(10)])).to.equal(3);
    expect(longestStreak([day(10), day(12)])).to.equal(1);
  });

  it('consentExpired: a pending subscription with no request time is expired', () => {
    expect(consentExpired({ confirmed_at: null, consent_requested_at: null }, new Date())).to.equal(true);
  });

  it('maskIp: masks only a whole IPv4 address (or its IPv6-mapped form)', () => {
    expect(maskIp('::ffff:198.51.100.7')).to.equal('198.51.100.x');
    expect(maskIp('198.51.100.7')).to.equal('198.51.100.x');
    expect(maskIp('x198.51.100.7')).to.equal('x198.51.100.7:…');
    expect(maskIp('198.51.100.7x')).to.equal('198.51.100.7x:…');
  });
});
