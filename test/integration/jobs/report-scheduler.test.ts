import { expect } from 'chai';
import { startReportScheduler, type ReportScheduler } from '../../../src/jobs/report-scheduler.js';
import { localDateTime } from '../../../src/domain/local-time.js';
import { HOUR } from '../../helpers/clock.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { captureLogs } from '../../helpers/log-capture.js';
import { deliveryRows, reportEnv, seedSubscribers } from '../../helpers/reports.js';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp.js';

const ZONES = ['America/Toronto', 'America/Vancouver', 'Europe/Paris'] as const;

describe('report scheduler on the test clock', function () {
  this.timeout(120_000);
  let smtp: SmtpSink;
  const t = {} as { h: Harness };
  before(async () => {
    smtp = await startSmtpSink();
    t.h = await startHarness('postgres', { env: reportEnv(smtp.url), overrides: { logger: captureLogs().logger } });
  });
  after(async () => {
    await t.h?.close();
    await smtp?.close();
  });
  let scheduler: ReportScheduler;

  beforeEach(async () => {
    await t.h.reset();
    smtp.received.length = 0;
    scheduler = startReportScheduler({
      deliveries: t.h.container.deliveries,
      logger: t.h.container.logger,
      autoStart: false,
    });
  });

  /** Runs the scheduler's tick, then the worker's drain, at every step from `from` to `to`. */
  async function run(from: string, to: string, stepMs = HOUR): Promise<void> {
    for (let at = Date.parse(from); at <= Date.parse(to); at += stepMs) {
      t.h.clock.set(new Date(at));
      await scheduler.tick();
      await t.h.container.deliveries.drain();
    }
  }

  async function seedZones(frequency: 'weekly' | 'monthly') {
    const out = [];
    for (const timeZone of ZONES)
      out.push({
        timeZone,
        ...(await seedSubscribers(t.h.container, 1, { frequency, timeZone, company: () => timeZone }))[0]!,
      });
    return out;
  }

  /** Per subscription: [period key, send time as local wall-clock `ddd HH:mm`, send time UTC]. */
  async function sends(subs: { subscriptionId: string; timeZone: string }[]) {
    const rows = await deliveryRows(t.h.container);
    expect(rows.every((r) => r.status === 'sent' && r.attempts === 1)).to.equal(true);
    expect(
      rows.every((r) => r.sent_at.getTime() === r.scheduled_at.getTime()),
      'sent at the tick of its send time',
    ).to.equal(true);
    return Object.fromEntries(
      subs.map((s) => [
        s.timeZone,
        rows
          .filter((r) => r.subscription_id === s.subscriptionId)
          .map((r) => {
            const l = localDateTime(r.scheduled_at, s.timeZone);
            const weekday = new Intl.DateTimeFormat('en-US', { weekday: 'short', timeZone: s.timeZone }).format(
              r.scheduled_at,
            );
            return [
              r.period_key,
              `${weekday} ${l.day} ${String(l.hour).padStart(2, '0')}:${String(l.minute).padStart(2, '0')}`,
              r.scheduled_at.toISOString(),
            ];
          }),
      ]),
    );
  }

  it('sends weekly reports at 09:00 local on Monday in Toronto, Vancouver and Paris, once a week, across both spring changes', async () => {
    t.h.clock.set('2026-02-27T12:00:00Z');
    const subs = await seedZones('weekly');
    await run('2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z');
    const got = await sends(subs);
    expect(got['America/Toronto']).to.deep.equal([
      ['2026-W09', 'Mon 2 09:00', '2026-03-02T14:00:00.000Z'],
      ['2026-W10', 'Mon 9 09:00', '2026-03-09T13:00:00.000Z'], // the first week of EDT: a 167-hour week
      ['2026-W11', 'Mon 16 09:00', '2026-03-16T13:00:00.000Z'],
      ['2026-W12', 'Mon 23 09:00', '2026-03-23T13:00:00.000Z'],
      ['2026-W13', 'Mon 30 09:00', '2026-03-30T13:00:00.000Z'],
    ]);
    expect(got['America/Vancouver']!.map((r) => r[2])).to.deep.equal([
      '2026-03-02T17:00:00.000Z',
      '2026-03-09T16:00:00.000Z',
      '2026-03-16T16:00:00.000Z',
      '2026-03-23T16:00:00.000Z',
      '2026-03-30T16:00:00.000Z',
    ]);
    expect(got['Europe/Paris']!.map((r) => r[2])).to.deep.equal([
      '2026-03-02T08:00:00.000Z',
      '2026-03-09T08:00:00.000Z',
      '2026-03-16T08:00:00.000Z',
      '2026-03-23T08:00:00.000Z',
      '2026-03-30T07:00:00.000Z',
    ]);
    for (const zone of ZONES)
      expect(
        got[zone]!.every((r) => / 09:00$/.test(r[1]!)),
        zone,
      ).to.equal(true);
    expect(smtp.received).to.have.length(15);
  });

  it('neither repeats nor skips a report across the autumn changes (Paris 25 October, North America 1 November)', async () => {
    t.h.clock.set('2026-10-20T12:00:00Z');
    const subs = await seedZones('weekly');
    // Every 15 minutes, through both repeated 01:00–02:00 hours.
    await run('2026-10-24T00:00:00Z', '2026-11-03T00:00:00Z', 15 * 60_000);
    const got = await sends(subs);
    expect(got['Europe/Paris']).to.deep.equal([
      ['2026-W43', 'Mon 26 09:00', '2026-10-26T08:00:00.000Z'], // CET from 25 October: a 169-hour week
      ['2026-W44', 'Mon 2 09:00', '2026-11-02T08:00:00.000Z'],
    ]);
    expect(got['America/Toronto']).to.deep.equal([
      ['2026-W43', 'Mon 26 09:00', '2026-10-26T13:00:00.000Z'],
      ['2026-W44', 'Mon 2 09:00', '2026-11-02T14:00:00.000Z'], // EST from 1 November: a 169-hour week
    ]);
    expect(got['America/Vancouver']!.map((r) => r[2])).to.deep.equal([
      '2026-10-26T16:00:00.000Z',
      '2026-11-02T17:00:00.000Z',
    ]);
    expect(smtp.received).to.have.length(6);
  });

  it('sends monthly reports at 09:00 local on the 1st', async () => {
    t.h.clock.set('2026-02-27T12:00:00Z');
    const subs = await seedZones('monthly');
    await run('2026-03-01T00:00:00Z', '2026-04-01T18:00:00Z');
    const got = await sends(subs);
    expect(got['Europe/Paris']).to.deep.equal([
      ['2026-02', 'Sun 1 09:00', '2026-03-01T08:00:00.000Z'],
      ['2026-03', 'Wed 1 09:00', '2026-04-01T07:00:00.000Z'],
    ]);
    expect(got['America/Toronto']!.map((r) => r[2])).to.deep.equal([
      '2026-03-01T14:00:00.000Z',
      '2026-04-01T13:00:00.000Z',
    ]);
    expect(got['America/Vancouver']!.map((r) => r[2])).to.deep.equal([
      '2026-03-01T17:00:00.000Z',
      '2026-04-01T16:00:00.000Z',
    ]);
  });

  describe('catching up after downtime (REPORT_CATCHUP_HOURS, default 24)', () => {
    it('catches up a subscription that existed at the send time, never one made after it, and says so in a dry run', async () => {
      const c = t.h.container;
      // Monday 9 March: the scheduler is down from 12:00 to 20:00 UTC; Toronto's 09:00 is 13:00 UTC.
      t.h.clock.set('2026-03-09T12:30:00Z');
      const [before] = await seedSubscribers(c, 1, { company: () => 'Avant' });
      t.h.clock.set('2026-03-09T13:30:00Z');
      const [after] = await seedSubscribers(c, 1, { company: () => 'Après' });
      t.h.clock.set('2026-03-09T20:00:00Z');
      const plan = await c.deliveries.sendDue({ frequencies: ['weekly'], dryRun: true });
      expect(plan.periods).to.deep.equal([
        {
          frequency: 'weekly',
          time_zone: 'America/Toronto',
          period_key: '2026-W10',
          send_at: new Date('2026-03-09T13:00:00Z'),
          due: 1,
          enqueued: 0,
        },
      ]);
      expect(plan.would_send.map((w) => [w.subscription_id, w.period_key])).to.deep.equal([
        [before!.subscriptionId, '2026-W10'],
      ]);
      expect(await deliveryRows(c), 'a dry run writes nothing').to.have.length(0);

      await run('2026-03-09T20:00:00Z', '2026-03-16T14:00:00Z');
      const name = (id: string) =>
        id === before!.subscriptionId ? 'before' : id === after!.subscriptionId ? 'after' : id;
      const rows = (await deliveryRows(c)).map((r) => [
        r.period_key,
        name(r.subscription_id),
        r.scheduled_at.toISOString(),
        r.sent_at.toISOString(),
      ]);
      expect(rows.sort((a, b) => `${a[0]}${a[1]}`.localeCompare(`${b[0]}${b[1]}`))).to.deep.equal([
        ['2026-W10', 'before', '2026-03-09T13:00:00.000Z', '2026-03-09T20:00:00.000Z'], // caught up at restart
        ['2026-W11', 'after', '2026-03-16T13:00:00.000Z', '2026-03-16T13:00:00.000Z'], // its first report is the next scheduled one
        ['2026-W11', 'before', '2026-03-16T13:00:00.000Z', '2026-03-16T13:00:00.000Z'],
      ]);
    });

    it('skips a period whose send time passed more than the window ago', async () => {
      const c = t.h.container;
      t.h.clock.set('2026-03-06T12:00:00Z');
      await seedSubscribers(c, 1);
      // Down from before Monday 13:00 UTC until Tuesday 13:00:01 UTC: 24 h and 1 s late.
      t.h.clock.set('2026-03-10T13:00:01Z');
      expect((await c.deliveries.sendDue({ dryRun: true })).periods).to.deep.equal([]);
      await run('2026-03-10T13:00:01Z', '2026-03-16T13:00:01Z');
      expect((await deliveryRows(c)).map((r) => r.period_key)).to.deep.equal(['2026-W11']);
    });
  });
});
