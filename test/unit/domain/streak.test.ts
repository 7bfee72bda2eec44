import { expect } from 'chai';
import { currentStreak, longestStreak } from '../../../src/domain/streak.js';
import { zonedTime } from '../../../src/domain/local-time.js';

const TORONTO = 'America/Toronto';
/** An instant at a local wall-clock time in Toronto. */
const at = (month: number, day: number, hour: number, minute = 0) =>
  zonedTime({ year: 2026, month, day }, hour, minute, TORONTO);

describe('streaks in local days', () => {
  it('counts consecutive local days and restarts after a gap', () => {
    const days = [1, 2, 3, 5, 6].map((d) => at(2, d, 12));
    expect(longestStreak(days, TORONTO)).to.equal(3);
    expect(longestStreak([], TORONTO)).to.equal(0);
    expect(longestStreak([at(2, 1, 9), at(2, 1, 17)], TORONTO), 'two events on one day').to.equal(1);
  });

  it('keeps the streak of an owner who works every evening at 20:30 (which is the next UTC day)', () => {
    // Monday to Sunday evenings, then Monday morning: eight local days, but the last evening and
    // the Monday morning share one UTC day.
    const evenings = [2, 3, 4, 5, 6, 7, 8].map((d) => at(2, d, 20, 30));
    const activity = [...evenings, at(2, 9, 8)];
    expect(longestStreak(activity, TORONTO)).to.equal(8);
    expect(longestStreak(activity, 'UTC')).to.equal(7);
    // Evenings only on Monday and Tuesday, and an 08:00 on Wednesday: three local days, two UTC days.
    expect(longestStreak([at(3, 2, 20, 30), at(3, 3, 20, 30), at(3, 4, 8)], TORONTO)).to.equal(3);
    expect(longestStreak([at(3, 2, 20, 30), at(3, 3, 20, 30), at(3, 4, 8)], 'UTC')).to.equal(2);
  });

  it('counts the 23-hour day of the March change as one day', () => {
    // 8 March 2026: 00:05 and 23:55 local are 22 h 50 min apart, on one local day.
    const activity = [
      at(3, 5, 12),
      at(3, 6, 12),
      at(3, 7, 23, 55),
      at(3, 8, 0, 5),
      at(3, 8, 23, 55),
      at(3, 9, 0, 5),
      at(3, 10, 12),
      at(3, 11, 12),
    ];
    expect(longestStreak(activity, TORONTO)).to.equal(7);
    expect(longestStreak([at(3, 7, 23, 55), at(3, 9, 0, 5)], TORONTO), 'the day in between had no activity').to.equal(
      1,
    );
  });

  it('counts the 25-hour day of the November change as one day', () => {
    // 1 November 2026: 00:05 and 23:55 local are 24 h 50 min apart, still one local day.
    const activity = [
      at(10, 29, 12),
      at(10, 30, 12),
      at(10, 31, 23, 55),
      at(11, 1, 0, 5),
      at(11, 1, 23, 55),
      at(11, 2, 0, 5),
      at(11, 3, 12),
      at(11, 4, 12),
    ];
    expect(longestStreak(activity, TORONTO)).to.equal(7);
    expect(currentStreak(activity, at(11, 4, 23, 59), TORONTO)).to.equal(7);
  });

  it('keeps a current streak alive until the end of the next local day', () => {
    const activity = [at(3, 9, 20, 30), at(3, 10, 20, 30)];
    expect(currentStreak(activity, at(3, 11, 23, 59), TORONTO), 'yesterday counts').to.equal(2);
    expect(currentStreak(activity, at(3, 12, 0, 1), TORONTO), 'a whole local day without activity').to.equal(0);
  });

  it('counts UTC days when no time zone is given', () => {
    const activity = [new Date('2026-03-09T23:30:00Z'), new Date('2026-03-10T00:30:00Z')];
    expect(currentStreak(activity, new Date('2026-03-10T12:00:00Z'))).to.equal(2);
    expect(longestStreak(activity)).to.equal(2);
    // In Toronto both are the evening of 9 March.
    expect(currentStreak(activity, new Date('2026-03-10T12:00:00Z'), TORONTO)).to.equal(1);
  });
});
