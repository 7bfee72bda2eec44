import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/logger.js';

/** A real pino logger writing into memory, so a test can read what would have been logged. */
export function captureLogs(level = 'debug'): { logger: Logger; text(): string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger(level, stream), text: () => chunks.join('') };
}
