import { expect } from 'chai';
import { api, startHarness, type Harness } from '../../helpers/harness.js';
import { SPEC_RESULTS, uniqueUrl } from '../../helpers/fixtures.js';
import { captureLogs } from '../../helpers/log-capture.js';
import { confirmThroughLink, deliveryRows, reportEnv } from '../../helpers/reports.js';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp.js';

const COMPANY = 'Café Côté & Fils <Québec>';
const EMAIL = 'Client.Rapport@Example.org';
const NBSP = '\u00A0';
const NNBSP = '\u202F';

describe('report emails through a real SMTP server', function () {
  let smtp: SmtpSink;
  let h: Harness;
  let logs: ReturnType<typeof captureLogs>;
  let analysisId: string;

  before(async () => {
    smtp = await startSmtpSink();
    logs = captureLogs('debug');
    h = await startHarness('postgres', { env: reportEnv(smtp.url), overrides: { logger: logs.logger } });
  });
  after(async () => {
    await h.close();
    await smtp.close();
  });

  /** Analysis on Tue 24 Feb; first_step on 25 Feb (week 9); quick_win on 3 Mar (week 10). */
  async function seedHistory(frequency: 'weekly' | 'monthly') {
    await h.reset();
    smtp.received.length = 0;
    const client = api(h.baseUrl);
    h.clock.set('2026-02-24T10:00:00Z');
    const created = await client.post('/analyses', {
      url: uniqueUrl(),
      results_summary: { ...SPEC_RESULTS, identity_a1: { ...SPEC_RESULTS.identity_a1, company_name: COMPANY } },
    });
    analysisId = created.body.analysis_id;
    const subscribed = await client.post(`/dashboard/${analysisId}/subscribe`, {
      email: EMAIL,
      frequency,
      hourly_rate: 50,
    });
    expect(subscribed.status).to.equal(201);
    expect((await confirmThroughLink(h, subscribed.body.subscription_id)).status).to.equal(200);
    h.clock.set('2026-02-25T10:00:00Z');
    await client.post(`/dashboard/${analysisId}/progress`, { opportunity_id: 'value_creation', status: 'IN_PROGRESS' });
    h.clock.set('2026-02-26T10:00:00Z');
    await client.post(`/dashboard/${analysisId}/progress`, { opportunity_id: 'value_creation', status: 'NOT_STARTED' });
    h.clock.set('2026-03-03T10:00:00Z');
    const done = await client.post(`/dashboard/${analysisId}/progress`, {
      opportunity_id: 'digital_presence',
      status: 'IMPLEMENTED',
    });
    expect(done.status).to.equal(200);
  }

  it('sends the weekly report once, with subject, RFC 8058 headers, both parts, figures, badges, steps and links', async () => {
    await seedHistory('weekly');
    h.clock.set('2026-03-09T13:00:00Z'); // Monday 09:00 in Montréal (EDT): reports on 2–8 March (2026-W10)
    const enqueued = await h.container.deliveries.enqueueDue('weekly');
    expect(enqueued).to.deep.equal({
      frequency: 'weekly',
      leader: true,
      enqueued: 1,
      periods: [
        {
          frequency: 'weekly',
          time_zone: 'America/Toronto',
          period_key: '2026-W10',
          send_at: new Date('2026-03-09T13:00:00Z'),
          enqueued: 1,
        },
      ],
    });
    expect(await h.container.deliveries.drain()).to.include({ claimed: 1, sent: 1 });

    expect(smtp.received).to.have.length(1);
    expect(smtp.received[0]!.to).to.deep.equal([EMAIL.toLowerCase()]);
    const mail = await smtp.parse(0);
    const [row] = await deliveryRows(h.container);
    expect(row).to.include({ status: 'sent', attempts: 1, period_key: '2026-W10', last_error: null });
    expect(mail.messageId).to.equal(row.message_id);
    expect(mail.subject).to.equal(`Votre rapport hebdomadaire Vision'AI're — ${COMPANY}`);

    // Raw header lines, unfolded: what a receiving mail system reads.
    const header = (key: string) => mail.headerLines.find((l) => l.key === key)?.line.replace(/\r?\n\s+/g, ' ') ?? '';
    const unsubscribeUrl =
      /^List-Unsubscribe: <(https:\/\/api\.visionaire\.test\/api\/v1\/unsubscribe\/[A-Za-z0-9_.-]+)>$/.exec(
        header('list-unsubscribe'),
      )?.[1];
    expect(unsubscribeUrl, header('list-unsubscribe')).to.be.a('string');
    expect(header('list-unsubscribe-post')).to.equal('List-Unsubscribe-Post: List-Unsubscribe=One-Click');

    const html = String(mail.html);
    const text = String(mail.text);
    // Company name: escaped in HTML, as is in the text part.
    expect(html).to.include('Café Côté &amp; Fils &lt;Québec&gt;');
    expect(html).not.to.include('<Québec>');
    expect(text).to.include(COMPANY);
    for (const part of [html, text]) {
      expect(part).to.include(`33${NBSP}% complété`);
      expect(part).to.include(`5${NBSP}h${NBSP}par semaine`); // implemented hours
      expect(part).to.include(`15${NBSP}h${NBSP}par semaine`); // potential hours
      expect(part).to.include(`13${NNBSP}000${NBSP}$`); // 260 h × 50 $
      expect(part).to.include(`39${NNBSP}000${NBSP}$`);
      expect(part).to.include('Victoire Rapide'); // earned 3 March, inside the week
      expect(part).not.to.include('Premier Pas'); // earned the week before
      expect(part).to.include(`https://app.visionaire.test/dashboard/${analysisId}`);
      expect(part).to.include(unsubscribeUrl);
      // Top two NOT_STARTED, best first: value creation (8/5) before business management (2/3).
      expect(part.indexOf('Création de valeur')).to.be.greaterThan(-1);
      expect(part.indexOf('Création de valeur')).to.be.lessThan(part.indexOf('Gestion d’entreprise'));
    }
    expect(html).to.include(`href="https://app.visionaire.test/dashboard/${analysisId}"`);
    expect(html).to.include(`href="${unsubscribeUrl}"`);

    const sub = await h.container.db('email_subscriptions').where({ analysis_id: analysisId }).first();
    expect(sub.last_sent_at.toISOString()).to.equal('2026-03-09T13:00:00.000Z');

    // The same period again: nothing new is queued or sent.
    h.clock.set('2026-03-10T12:00:00Z');
    expect((await h.container.deliveries.enqueueDue('weekly')).enqueued).to.equal(0);
    expect((await h.container.deliveries.drain()).claimed).to.equal(0);
    expect(smtp.received).to.have.length(1);
  });

  it('sends the monthly report with its own wording and period', async () => {
    await seedHistory('monthly');
    h.clock.set('2026-04-01T13:00:00Z'); // 1 April, 09:00 in Montréal
    expect(await h.container.deliveries.enqueueDue('weekly')).to.include({ enqueued: 0 });
    const monthly = await h.container.deliveries.enqueueDue('monthly');
    expect(monthly.periods.map((p) => [p.period_key, p.enqueued])).to.deep.equal([['2026-03', 1]]);
    await h.container.deliveries.drain();
    const mail = await smtp.parse(0);
    expect(mail.subject).to.equal(`Votre rapport mensuel Vision'AI're — ${COMPANY}`);
    expect(String(mail.text)).to.include('Mars 2026');
    expect(String(mail.text)).to.include('Victoire Rapide');
    expect(String(mail.html)).to.include('Nouveaux badges ce mois-ci');
    // Sender identification and postal address (CASL), in both parts.
    expect(String(mail.text)).to.include("Vision'AI're · 1000 rue Sherbrooke Ouest, Montréal (Québec) H3A 3G4");
    expect(String(mail.html)).to.include('Vision&#39;AI&#39;re · 1000 rue Sherbrooke Ouest, Montréal (Québec) H3A 3G4');
  });

  it("lists the badges earned since the subscription's last report: a missed week's badge comes next time, none twice", async () => {
    await h.reset();
    smtp.received.length = 0;
    const client = api(h.baseUrl);
    h.clock.set('2026-02-24T10:00:00Z');
    const created = await client.post('/analyses', { url: uniqueUrl(), results_summary: SPEC_RESULTS });
    const id = created.body.analysis_id;
    const subscribed = await client.post(`/dashboard/${id}/subscribe`, { email: EMAIL, frequency: 'weekly' });
    expect((await confirmThroughLink(h, subscribed.body.subscription_id)).status).to.equal(200);
    const status = (opportunity_id: string, s: string) =>
      client.post(`/dashboard/${id}/progress`, { opportunity_id, status: s });

    h.clock.set('2026-02-25T10:00:00Z');
    expect((await status('value_creation', 'IN_PROGRESS')).status).to.equal(200); // first_step, week 9
    h.clock.set('2026-03-02T14:00:00Z'); // Monday 09:00 EST: week 9 is reported
    await h.container.deliveries.enqueueDue('weekly');
    expect(await h.container.deliveries.drain()).to.include({ sent: 1 });

    h.clock.set('2026-03-03T10:00:00Z');
    expect((await status('digital_presence', 'IMPLEMENTED')).status).to.equal(200); // quick_win, week 10
    // Week 10 goes unreported (the service was down past the catch-up window on Monday 9 March).
    h.clock.set('2026-03-16T13:00:00Z'); // Monday 09:00 EDT: week 11 is due
    const due = await h.container.deliveries.enqueueDue('weekly');
    expect(due.periods.map((p) => p.period_key)).to.deep.equal(['2026-W11']);
    expect(await h.container.deliveries.drain()).to.include({ sent: 1 });

    const [week9, week11] = [String((await smtp.parse(0)).text), String((await smtp.parse(1)).text)];
    // The badge names listed under the text part's NOUVEAUX BADGES heading (PROCHAIN BADGE is another list).
    const newBadges = (text: string) =>
      /^NOUVEAUX BADGES .*\n((?:[- ].*\n)*)/m
        .exec(text)?.[1]
        ?.split('\n')
        .filter((l) => l.startsWith('- '))
        .map((l) => l.slice(2).split(' (+')[0]);
    expect(newBadges(week9)).to.deep.equal(['Premier Pas']);
    expect(week9).to.include('NOUVEAUX BADGES CETTE SEMAINE');
    // Quick win was earned in the unreported week 10; Premier Pas was told in week 9's report.
    expect(newBadges(week11)).to.deep.equal(['Victoire Rapide']);
    expect(week11).to.include('NOUVEAUX BADGES DEPUIS LE DERNIER RAPPORT');
    expect(String((await smtp.parse(1)).html)).to.include('Nouveaux badges depuis le dernier rapport');
  });

  it('never writes an email address to the logs', async () => {
    const text = logs.text();
    expect(text).to.include('report sent');
    expect(text).to.include('subscribed');
    expect(text.toLowerCase()).not.to.include(EMAIL.toLowerCase());
    expect(text).not.to.match(/[\w.+-]+@example\.org/i);
  });
});
