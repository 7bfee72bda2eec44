import type { Logger } from '../../logger.js';
import type { ServiceMetrics } from '../../infra/metrics.js';

/** What the access log records of an answer: the route template (API_PREFIX + `/dashboard/:analysisId`), never the raw URL. */
export type Answered = { method: string; route: string; status: number; requestId: string };

/**
 * One log line and one histogram sample per answered request: method, route template, status,
 * duration and request id. Never the path or query string, which may hold a token or an email address.
 */
export function accessLog(logger: Logger, metrics: ServiceMetrics): (answered: Answered, startedAt: number) => void {
  return ({ method, route, status, requestId }, startedAt) => {
    const seconds = (performance.now() - startedAt) / 1000;
    metrics.httpDuration.observe({ method, route, status: String(status) }, seconds);
    if (logger.isLevelEnabled('info')) {
      logger.info(
        { method, route, status, duration_ms: Math.round(seconds * 10_000) / 10, request_id: requestId },
        'request',
      );
    }
  };
}
