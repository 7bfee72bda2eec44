import { expect } from 'chai';
import { request } from 'node:http';
import { api, startHarness, type Harness } from '../../helpers/harness.js';
import { SPEC_RESULTS, uniqueUrl } from '../../helpers/fixtures.js';
import { captureLogs } from '../../helpers/log-capture.js';
import { confirmThroughLink, reportEnv } from '../../helpers/reports.js';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp.js';
import { redactAddresses } from '../../../src/domain/email-mask.js';

const ADDRESS = /[\w.+-]+@[\w-]+\.[\w.]+/;

function trace(url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'TRACE', headers: { 'content-type': 'application/json', 'content-length': String(body.length) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('logs never carry an email address', function () {
  this.timeout(60_000);
  let smtp: SmtpSink;
  let h: Harness;

  it('through subscribing, a failed then sent report, every error class and shutdown', async () => {
    const logs = captureLogs('trace');
    smtp = await startSmtpSink({ failFirst: 1 }); // the first DATA is refused with a message naming the recipient
    h = await startHarness('postgres', { env: reportEnv(smtp.url), overrides: { logger: logs.logger } });
    const client = api(h.baseUrl);
    try {
      h.clock.set('2026-03-09T12:00:00Z'); // Monday 08:00 in Montréal, before the 09:00 local send time
      const id = (await client.post('/analyses', { url: uniqueUrl(), results_summary: SPEC_RESULTS })).body
        .analysis_id as string;
      const subscribed = await client.post(`/dashboard/${id}/subscribe`, {
        email: 'owner@example.com',
        frequency: 'weekly',
      });
      expect(subscribed.status).to.equal(201);
      expect((await confirmThroughLink(h, subscribed.body.subscription_id as string)).status).to.equal(200);
      h.clock.set('2026-03-09T14:00:00Z');

      await h.container.deliveries.enqueueDue('weekly');
      expect(await h.container.deliveries.drain()).to.include({ sent: 0 });
      h.clock.advance(60 * 60 * 1000);
      expect(await h.container.deliveries.drain()).to.include({ sent: 1 });
      expect(smtp.received).to.have.length(1);

      const statuses = [
        (
          await client.post(`/dashboard/${id}/subscribe`, {
            email: 'not an email but@example.com',
            frequency: 'weekly',
          })
        ).status,
        (await client.get(`/dashboard/${id}?email=query@example.com`)).status,
        (await client.get(`/dashboard/11111111-2222-4333-8444-555555555555?to=x@example.com`)).status,
        (await client.post(`/dashboard/${id}/subscribe`, '{"email":"proto@example.com","__proto__":{}}')).status,
        (
          await client.post(
            `/dashboard/${id}/subscribe`,
            `{"email":"big@example.com","pad":"${'x'.repeat(1_100_000)}"}`,
          )
        ).status,
        (await client.post(`/dashboard/${id}/subscribe`, { email: 'enc@example.com' }, { 'content-encoding': 'gzip' }))
          .status,
        await trace(`${h.baseUrl}/dashboard/${id}/subscribe`, '{"email":"trace@example.com"}'),
      ];
      expect(statuses).to.deep.equal([400, 200, 404, 400, 413, 415, 405]);

      // A 500: the table vanishes under the running service while a body with an address is in flight.
      await h.container.db.raw('ALTER TABLE email_subscriptions RENAME TO email_subscriptions_gone');
      try {
        expect(
          (await client.post(`/dashboard/${id}/subscribe`, { email: 'crash@example.com', frequency: 'monthly' }))
            .status,
        ).to.equal(500);
      } finally {
        await h.container.db.raw('ALTER TABLE email_subscriptions_gone RENAME TO email_subscriptions');
      }
    } finally {
      await h.close();
      await smtp.close();
    }

    const text = logs.text();
    expect(text).to.match(/report email attempt failed/);
    expect(text).to.match(/report sent/);
    expect(text).to.match(/unhandled error/);
    expect(text).to.match(/relation .*does not exist/);
    expect(text).to.not.match(ADDRESS);
    expect(text).to.not.match(/"pad"|xxxxxxxx/);
  });

  it('masks an address anywhere in a finished line', () => {
    const line = JSON.stringify({
      msg: 'failed',
      err: { message: "550 5.1.1 <a.b+c@mail.example.org>: Recipient address rejected; also 'd@e.fr'" },
    });
    const out = redactAddresses(line);
    expect(out).to.not.match(ADDRESS);
    expect(JSON.parse(out).err.message).to.equal(
      "550 5.1.1 <a***@mail.example.org>: Recipient address rejected; also 'd***@e.fr'",
    );
  });
});
