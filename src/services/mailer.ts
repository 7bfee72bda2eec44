import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';

/** One report email, ready to go. */
export type OutgoingMail = {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** `<id@host>`: the same for every attempt at one delivery, so receivers can drop duplicates. */
  messageId: string;
  /** RFC 8058 one-click unsubscribe URL (answers POST). */
  unsubscribeUrl: string;
};

export type Mailer = {
  /** `smtp` (pooled nodemailer transport) or `outbox` (.eml files in DATA_DIR/outbox). */
  readonly kind: 'smtp' | 'outbox';
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
};

export type MailerOptions = { smtpUrl: string | null; dataDir: string; from: string; maxConnections?: number; maxMessages?: number };

function envelope(from: string, mail: OutgoingMail) {
  return {
    from,
    to: mail.to,
    subject: mail.subject,
    html: mail.html,
    text: mail.text,
    messageId: mail.messageId,
    list: { unsubscribe: mail.unsubscribeUrl },
    headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click', 'Auto-Submitted': 'auto-generated' },
  };
}

/**
 * Sends through a pooled SMTP transport when SMTP_URL is set; otherwise writes each mail as an
 * .eml file in DATA_DIR/outbox, named after its Message-ID (a resend overwrites the same file).
 * The transport is created on the first send, so building a mailer connects nowhere.
 */
export function createMailer(opts: MailerOptions): Mailer {
  let transport: Transporter | null = null;
  if (opts.smtpUrl) {
    const smtpUrl = opts.smtpUrl;
    return {
      kind: 'smtp',
      async send(mail) {
        transport ??= nodemailer.createTransport({
          url: smtpUrl,
          pool: true,
          maxConnections: opts.maxConnections ?? 5,
          maxMessages: opts.maxMessages ?? 100,
          // Well under the delivery lease, so a hung server fails the attempt instead of the lease.
          connectionTimeout: 30_000,
          greetingTimeout: 30_000,
          socketTimeout: 60_000,
          logger: false,
        });
        await transport.sendMail(envelope(opts.from, mail));
      },
      close: () => transport?.close(),
    };
  }
  const outbox = path.join(opts.dataDir, 'outbox');
  return {
    kind: 'outbox',
    async send(mail) {
      transport ??= nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
      const info = (await transport.sendMail(envelope(opts.from, mail))) as { message: Buffer };
      await mkdir(outbox, { recursive: true });
      const file = path.join(outbox, `${mail.messageId.replace(/[^A-Za-z0-9.-]+/g, '_').replace(/^_|_$/g, '')}.eml`);
      await writeFile(`${file}.tmp`, info.message);
      await rename(`${file}.tmp`, file);
    },
    close: () => transport?.close(),
  };
}
