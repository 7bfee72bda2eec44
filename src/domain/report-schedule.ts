import { reportPeriod, type Frequency } from './report-period.js';

/** When reports go out (UTC): weekly on Monday 09:00, monthly on the 1st at 09:00. */
export const REPORT_SCHEDULES: Record<Frequency, string> = { weekly: '0 9 * * 1', monthly: '0 9 1 * *' };

const SEND_HOUR_MS = 9 * 3_600_000;

/** The moment the reports of the period that `now` reports on were due: the period's end plus 9 h. */
export function reportSendTime(frequency: Frequency, now: Date): Date {
  return new Date(reportPeriod(frequency, now).end.getTime() + SEND_HOUR_MS);
}

/**
 * True once this period's send time has passed: a scheduler that starts then (it was down at
 * 09:00) catches up instead of waiting a whole week or month.
 */
export function isSendTimePast(frequency: Frequency, now: Date): boolean {
  return now.getTime() >= reportSendTime(frequency, now).getTime();
}
