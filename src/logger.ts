import { pino, type Logger } from 'pino';

export type { Logger };

// Anything shaped like an address, as it appears inside a JSON log line (quotes and backslashes end it).
const EMAIL = /[^\s"'\\<>()[\],;:@]+@[^\s"'\\<>()[\],;:@]+\.[A-Za-z]{2,}/g;

/** Replaces every email address in a finished log line: covers messages, error text and mail errors that echo recipients. */
export function redactEmails(line: string): string {
  return line.replace(EMAIL, '[redacted]');
}

/** Structured JSON logs. Email addresses are redacted under these keys and wherever else they appear in a line. */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options = {
    level,
    base: undefined,
    redact: { paths: ['email', '*.email', 'to', '*.to', 'recipient', '*.recipient'], censor: '[redacted]' },
    hooks: { streamWrite: redactEmails },
  };
  return destination ? pino(options, destination as pino.DestinationStream) : pino(options);
}
