import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../logger.js';
import type { ServiceMetrics } from '../infra/metrics.js';
import type { CacheService } from '../infra/cache/cache-service.js';
import type { CachedBody } from '../infra/cache/cached-body.js';
import type { RateVerdict } from '../infra/rate-limit/rate-limiter.js';
import { cachedAnswerOf, cachedReadOf, writeCachedAnswer, type CachedRead } from './cached-answer.js';
import { accessLog } from './middleware/access-log.js';
import { simpleCorsHeaders } from './middleware/cors.js';
import { countedBefore, rateLimitHeaderPairs, type RateBudget } from './middleware/rate-limit.js';
import { requestIdFor } from './middleware/request-id.js';
import { securityHeaderPairs } from './middleware/security-headers.js';
import type { RouteSpec } from './route.js';

export type HeldHitDeps = {
  cache: CacheService;
  routes: readonly RouteSpec[];
  logger: Logger;
  metrics: ServiceMetrics;
  https: boolean;
  corsOrigins: readonly string[];
  /** The rate limit a request spends (per-IP or the operator's); null when it is not limited. */
  budgetOf: (req: IncomingMessage, path: string) => RateBudget | null;
};

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * The hot path, below Koa. A cached read whose answer this process can vouch for without reading
 * Redis (cached-answer.ts) is answered straight from `node:http` with what the Koa pipeline would
 * send for it, byte for byte: request id, CORS, RateLimit-*, cache validators, security headers,
 * access log and histogram. The read is counted against its rate limit first; one refused, or not
 * held here, goes on to Koa with its verdict (so it is not counted twice), where the 429 or the
 * route answers it. Every other request goes to `next` (Koa) untouched.
 */
export function heldHits(deps: HeldHitDeps, next: Listener): Listener {
  const readOf = cachedReadOf(deps.routes);
  const cors = simpleCorsHeaders(deps.corsOrigins);
  const after = securityHeaderPairs({ https: deps.https }, false).flat();
  const logAccess = accessLog(deps.logger, deps.metrics);

  type Held = { read: CachedRead; startedAt: number };

  const answer = (
    req: IncomingMessage,
    res: ServerResponse,
    { read, startedAt }: Held,
    hit: CachedBody,
    v?: RateVerdict,
  ) => {
    const requestId = requestIdFor(req.headers['x-request-id'] as string | undefined); // Node joins repeated ones with ', '
    const before = ['X-Request-Id', requestId];
    for (const h of cors(req.headers.origin)) before.push(h);
    if (v) for (const h of rateLimitHeaderPairs(v)) before.push(h);
    const status = writeCachedAnswer(req, res, hit, { before, after });
    logAccess({ method: req.method!, route: read.route, status, requestId }, startedAt);
  };

  const lookUp = (req: IncomingMessage, res: ServerResponse, held: Held, v?: RateVerdict) => {
    if (v && !v.allowed) return handOn(req, res, v);
    const hit = cachedAnswerOf(deps.cache, held.read);
    if (hit === undefined) return handOn(req, res, v);
    if (!(hit instanceof Promise)) return answer(req, res, held, hit, v);
    void hit.then((found) => (found ? answer(req, res, held, found, v) : handOn(req, res, v)));
  };

  const handOn = (req: IncomingMessage, res: ServerResponse, v: RateVerdict | undefined) => {
    if (v) countedBefore(req, v);
    next(req, res);
  };

  return (req, res) => {
    // A Content-Encoding on a GET is refused (415) by the Koa pipeline: let it say so.
    const read = req.headers['content-encoding'] === undefined ? readOf(req.method, req.url) : undefined;
    if (!read) return next(req, res);
    const held = { read, startedAt: performance.now() };
    const budget = deps.budgetOf(req, req.url!);
    if (!budget) return lookUp(req, res, held);
    const verdict = budget.limiter.count(budget.key);
    if (!(verdict instanceof Promise)) return lookUp(req, res, held, verdict);
    void verdict.then((v) => lookUp(req, res, held, v));
  };
}
