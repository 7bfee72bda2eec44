import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs. Email addresses are redacted wherever they appear under these keys. */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options = {
    level,
    base: undefined,
    redact: { paths: ['email', '*.email', 'to', '*.to', 'recipient', '*.recipient'], censor: '[redacted]' },
  };
  return destination ? pino(options, destination as pino.DestinationStream) : pino(options);
}
