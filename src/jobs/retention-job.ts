import { Cron } from 'croner';
import type { Logger } from '../logger.js';
import type { PrivacyService } from '../services/privacy-service.js';

/** Daily, at 03:00 server time: anonymise what has outlived its retention period. */
export const RETENTION_PATTERN = '0 3 * * *';

export type RetentionJob = { tick(): Promise<void>; stop(): Promise<void> };

/**
 * Applies the retention periods once at start and then daily. The updates are idempotent, so
 * several scheduler processes running them at once change nothing twice.
 */
export function startRetentionJob(deps: {
  privacy: PrivacyService;
  logger: Logger;
  autoStart?: boolean;
}): RetentionJob {
  let running: Promise<void> | null = null;
  const tick = (): Promise<void> => {
    running ??= deps.privacy
      .applyRetention()
      .then(
        () => undefined,
        (err: unknown) => deps.logger.error({ err }, 'retention pass failed'),
      )
      .finally(() => (running = null));
    return running;
  };
  const autoStart = deps.autoStart ?? true;
  const cron = autoStart ? new Cron(RETENTION_PATTERN, { protect: true }, () => tick()) : null;
  if (autoStart) void tick();
  return {
    tick,
    stop: async () => {
      cron?.stop();
      await running;
    },
  };
}
