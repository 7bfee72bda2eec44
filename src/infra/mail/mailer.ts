import { mkdir, rename, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import type { Transporter } from 'nodemailer';

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

export type MailerOptions = {
  smtpUrl: string | null;
  dataDir: string;
  from: string;
  maxConnections?: number;
  maxMessages?: number;
};

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
 * Opens the pool's TCP connections with Nagle's algorithm off. nodemailer writes the end of DATA
 * in small chunks; with Nagle on, each message then waits for the server's delayed ACK (~40 ms on
 * Linux), which caps a connection at about 20 messages a second. TLS (465 or STARTTLS) is still
 * negotiated by nodemailer on top of this socket.
 */
function connectWithoutNagle(
  options: object,
  callback: (err: Error | null, socketOptions?: { connection: net.Socket } | false) => void,
): void {
  const { host, port } = options as { host?: string; port?: number };
  if (!host || !port) return callback(null, false);
  const socket = net.connect({ host, port });
  socket.setNoDelay(true);
  const fail = (err: Error) => {
    socket.destroy();
    callback(err);
  };
  socket.setTimeout(30_000, () => fail(Object.assign(new Error('Connection timeout'), { code: 'ETIMEDOUT' })));
  socket.once('error', fail);
  socket.once('connect', () => {
    socket.setTimeout(0);
    socket.off('error', fail);
    callback(null, { connection: socket });
  });
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
        // The pool is built directly: createTransport({url, …}) would keep the URL's options only
        // and silently drop `pool` and everything else.
        // nodemailer is loaded by the first mail: most commands never send one.
        const [{ default: nodemailer }, { default: SMTPPool }] = await Promise.all([
          import('nodemailer'),
          import('nodemailer/lib/smtp-pool/index.js'),
        ]);
        transport ??= nodemailer.createTransport(
          new SMTPPool({
            pool: true,
            url: smtpUrl,
            maxConnections: opts.maxConnections ?? 5,
            maxMessages: opts.maxMessages ?? 100,
            // Well under the delivery lease, so a hung server fails the attempt instead of the lease.
            connectionTimeout: 30_000,
            greetingTimeout: 30_000,
            socketTimeout: 60_000,
            logger: false,
            getSocket: connectWithoutNagle,
          }),
        );
        await transport.sendMail(envelope(opts.from, mail));
      },
      close: () => transport?.close(),
    };
  }
  const outbox = path.join(opts.dataDir, 'outbox');
  return {
    kind: 'outbox',
    async send(mail) {
      const { default: nodemailer } = await import('nodemailer');
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
