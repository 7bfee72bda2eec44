import { localDate, zonedTime } from './local-time.js';
import { reportPeriod, type Frequency, type ReportPeriod } from './report-period.js';

/**
 * When reports go out, in each analysis's own time zone: weekly on Monday at 09:00, monthly on the
 * 1st at 09:00, right after the period they cover. The one source for the cron patterns and the
 * send-time arithmetic.
 */
export const REPORT_SEND_HOUR = 9;

/** The schedule as cron patterns, read in the analysis's zone (croner's `timezone`). */
export const REPORT_SCHEDULES: Record<Frequency, string> = {
  weekly: `0 ${REPORT_SEND_HOUR} * * 1`,
  monthly: `0 ${REPORT_SEND_HOUR} 1 * *`,
};

/** A period's report and the moment it is due. */
export type SendSlot = { period: ReportPeriod; sendAt: Date };

/** When a period's report is due: 09:00 local on the day its period ends (Monday, or the 1st). */
export function sendTimeOf(period: ReportPeriod): Date {
  return zonedTime(localDate(period.end, period.timeZone), REPORT_SEND_HOUR, 0, period.timeZone);
}

/** The latest report whose send time is at or before `now`. */
export function lastSendSlot(frequency: Frequency, now: Date, timeZone: string): SendSlot {
  const current = reportPeriod(frequency, now, timeZone);
  const sendAt = sendTimeOf(current);
  if (sendAt.getTime() <= now.getTime()) return { period: current, sendAt };
  // Before 09:00 on the send day: the previous period's report is the latest one due.
  const previous = reportPeriod(frequency, new Date(current.end.getTime() - 1), timeZone);
  return { period: previous, sendAt: sendTimeOf(previous) };
}

/** The first send time after `now`. */
export function nextSendTime(frequency: Frequency, now: Date, timeZone: string): Date {
  const { period } = lastSendSlot(frequency, now, timeZone);
  // Half a day past the next period's end (a week or up to 31 days on) lands on its send day.
  const ahead = (frequency === 'weekly' ? 7.5 : 31.5) * 86_400_000;
  return sendTimeOf(reportPeriod(frequency, new Date(period.end.getTime() + ahead), timeZone));
}

/**
 * The report due at `now` in a time zone, if its send time passed no longer than `catchUpMs` ago.
 * A scheduler that was down at 09:00 catches up within that window, and never later.
 */
export function dueSlot(frequency: Frequency, now: Date, timeZone: string, catchUpMs: number): SendSlot | null {
  const slot = lastSendSlot(frequency, now, timeZone);
  return now.getTime() - slot.sendAt.getTime() <= catchUpMs ? slot : null;
}
