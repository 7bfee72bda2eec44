import { pino, type Logger } from 'pino';
import { maskEmail, redactAddresses } from './domain/email-mask.js';

export type { Logger };

/**
 * Structured JSON logs. Email addresses are masked (`o***@example.com`) under these keys and, in the
 * finished line, wherever else they appear: messages, error text, SMTP replies that echo recipients.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options = {
    level,
    base: undefined,
    redact: {
      paths: ['email', '*.email', 'to', '*.to', 'recipient', '*.recipient'],
      censor: (value: unknown) => (typeof value === 'string' ? maskEmail(value) : '[redacted]'),
    },
    hooks: { streamWrite: redactAddresses },
  };
  return destination ? pino(options, destination as pino.DestinationStream) : pino(options);
}
