import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { SignedLinks } from '../../../src/infra/mail/signed-links.js';
import { tempDir } from '../../helpers/cli.js';
import { api, startHarness, type Harness } from '../../helpers/harness.js';
import { deliveryRows, seedSubscribers } from '../../helpers/reports.js';

describe('report delivery in embedded mode (PGlite, .eml outbox)', function () {
  let h: Harness;
  let dataDir: string;

  before(async () => {
    dataDir = tempDir('reports-pglite');
    // No SMTP_URL and no UNSUBSCRIBE_SECRET: the embedded defaults.
    h = await startHarness('pglite', { env: { DATA_DIR: dataDir, PUBLIC_URL: 'http://127.0.0.1:8000' } });
    h.clock.set('2026-03-09T13:00:00Z'); // Monday 09:00 in Montréal
  });
  after(() => h.close());

  it('enqueues once under the advisory lock, writes one .eml per report and records it sent', async () => {
    const subs = await seedSubscribers(h.container, 3, { company: (i) => `Atelier ${i}` });
    expect(h.container.mailer.kind).to.equal('outbox');
    expect(await h.container.deliveries.enqueueDue('weekly')).to.include({ leader: true, enqueued: 3 });
    expect(await h.container.deliveries.enqueueDue('weekly')).to.include({ enqueued: 0 });
    expect(await h.container.deliveries.drain()).to.include({ claimed: 3, sent: 3 });

    const rows = await deliveryRows(h.container);
    expect(rows.map((r) => r.status)).to.deep.equal(['sent', 'sent', 'sent']);
    const outbox = path.join(dataDir, 'outbox');
    const files = readdirSync(outbox).sort();
    expect(files).to.have.length(3);
    expect(files.every((f) => f.endsWith('.eml') && !f.includes('@'))).to.equal(true);

    const mails = await Promise.all(files.map((f) => simpleParser(readFileSync(path.join(outbox, f)))));
    expect(mails.map((m) => m.messageId).sort()).to.deep.equal(rows.map((r) => r.message_id).sort());
    const mail = mails.find((m) => m.subject?.endsWith('Atelier 1'))!;
    expect(mail.subject).to.equal("Votre rapport hebdomadaire Vision'AI're — Atelier 1");
    const line = mail.headerLines.find((l) => l.key === 'list-unsubscribe')!.line.replace(/\r?\n\s+/g, ' ');
    const url = /<(http:\/\/127\.0\.0\.1:8000\/api\/v1\/unsubscribe\/([^>]+))>/.exec(line);
    expect(url).to.not.equal(null);
    expect(mail.headerLines.some((l) => l.line === 'List-Unsubscribe-Post: List-Unsubscribe=One-Click')).to.equal(true);
    expect(String(mail.text)).to.include('Atelier 1');

    // The embedded secret was generated once, kept in DATA_DIR (0600), and still verifies the link.
    const secretFile = path.join(dataDir, 'unsubscribe-secret');
    expect(statSync(secretFile).mode & 0o777).to.equal(0o600);
    const reopened = new SignedLinks({ secret: null, embedded: true, dataDir });
    expect(reopened.verify('unsubscribe', url![2]!)).to.deep.equal({
      ok: true,
      subscriptionId: subs[1]!.subscriptionId,
    });
    const res = await api(h.baseUrl).post(`/unsubscribe/${url![2]}`);
    expect(res.status).to.equal(200);
    const sub = await h.container.db('email_subscriptions').where({ id: subs[1]!.subscriptionId }).first();
    expect(sub.active).to.equal(false);
  });
});
