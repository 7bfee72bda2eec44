import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import type { AddressInfo } from 'node:net';

export type ReceivedMail = { raw: Buffer; to: string[]; messageId: string | null };

export type SmtpSink = {
  url: string;
  port: number;
  received: ReceivedMail[];
  /** DATA commands answered so far, accepted or not. */
  attempts: number;
  /** TCP connections opened by clients so far. */
  connections: number;
  parse(i?: number): Promise<ParsedMail>;
  /** Resolves once `n` mails have been accepted. */
  waitFor(n: number, ms?: number): Promise<void>;
  close(): Promise<void>;
};

export type SmtpBehaviour = {
  /** Reject this many DATA commands (451, naming the recipient) before accepting. */
  failFirst?: number;
  failAlways?: boolean;
  /** The reply code of a rejection: 451 (temporary, the default) or a permanent 5xx. Read at each DATA, so a test may change it. */
  failCode?: number;
  /** Wait this long before answering each DATA. */
  delayMs?: number;
};

/** A real SMTP server (the `smtp-server` package) on 127.0.0.1 that keeps what it accepts. */
export async function startSmtpSink(behaviour: SmtpBehaviour = {}): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  let attempts = 0;
  let connections = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    disableReverseLookup: true,
    onConnect(_session, callback) {
      connections += 1;
      callback();
    },
    size: 10 * 1024 * 1024,
    onData(stream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        attempts += 1;
        const to = session.envelope.rcptTo.map((r) => r.address);
        const answer = () => {
          if (behaviour.failAlways || attempts <= (behaviour.failFirst ?? 0)) {
            const code = behaviour.failCode ?? 451;
            const text =
              code >= 500
                ? `Mailbox <${to.join(', ')}> does not exist`
                : `Mailbox <${to.join(', ')}> temporarily unavailable, try again later`;
            const err = Object.assign(new Error(text), { responseCode: code });
            return callback(err);
          }
          const raw = Buffer.concat(chunks);
          const messageId = /^Message-ID:\s*(<[^>]+>)/im.exec(raw.toString('utf8'))?.[1] ?? null;
          received.push({ raw, to, messageId });
          for (const w of waiters.filter((x) => received.length >= x.n)) w.resolve();
          callback(null, 'queued');
        };
        if (behaviour.delayMs) setTimeout(answer, behaviour.delayMs);
        else answer();
      });
    },
  });
  // A client that dies mid-session (a killed worker) resets its connection; that is not a test failure.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    received,
    get attempts() {
      return attempts;
    },
    get connections() {
      return connections;
    },
    parse: (i = 0) => simpleParser(received[i]!.raw),
    waitFor: (n, ms = 20_000) =>
      new Promise<void>((resolve, reject) => {
        if (received.length >= n) return resolve();
        const timer = setTimeout(() => reject(new Error(`only ${received.length} of ${n} mails arrived`)), ms);
        waiters.push({ n, resolve: () => (clearTimeout(timer), resolve()) });
      }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
