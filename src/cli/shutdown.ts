import type { Logger } from '../logger.js';

/** However the drain goes, the process is gone by then (the orchestrator's kill usually comes at 10 s). */
export const SHUTDOWN_DEADLINE_MS = 9_000;

/**
 * Resolves on the first SIGTERM or SIGINT. From then on a second signal exits at once, and the process
 * exits anyway (code 1) once the deadline has passed. Clients cannot
 * hold it that long: stalled sockets are closed after SHUTDOWN_GRACE_MS, which is capped well below the deadline.
 */
export function shutdownSignal(logger: Logger, deadlineMs = SHUTDOWN_DEADLINE_MS): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const first = (signal: NodeJS.Signals) => {
      process.off('SIGINT', first);
      process.off('SIGTERM', first);
      process.once('SIGINT', () => again('SIGINT'));
      process.once('SIGTERM', () => again('SIGTERM'));
      setTimeout(() => {
        logger.error({ deadlineMs }, 'shutdown deadline reached before everything closed; exiting');
        process.exit(1);
      }, deadlineMs).unref();
      logger.info({ signal }, 'shutting down: draining');
      resolve(signal);
    };
    const again = (signal: NodeJS.Signals) => {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(signal === 'SIGINT' ? 130 : 143);
    };
    process.on('SIGINT', first);
    process.on('SIGTERM', first);
  });
}
