import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../logger.js';
import type { ServiceMetrics } from '../infra/metrics.js';
import type { AnalysisCacheKind, CacheService } from '../infra/cache/cache-service.js';
import type { CachedBody } from '../infra/cache/cached-body.js';
import { CONTENT_TYPES, noneMatch } from './cached-response.js';
import { accessLog } from './middleware/access-log.js';
import { simpleCorsHeaders } from './middleware/cors.js';
import { requestIdFor } from './middleware/request-id.js';
import { securityHeaderPairs } from './middleware/security-headers.js';
import { API_PREFIX, type RouteSpec } from './route.js';

/** A canonical (lower-case) analysis id as a path segment; any other spelling takes the routed path. */
const ID_SEGMENT = /\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?=\/|$)/;

/** A GET or HEAD of a cached read: its route template, and the analysis and kind of cached JSON it answers with. */
export type CachedRead = { route: string; analysisId: string; kind: AnalysisCacheKind };

/**
 * Recognises a GET or HEAD of a route whose 200 is an analysis's cached JSON (`cachedKind`),
 * without a query string and with the id spelled as stored; undefined for anything else.
 */
export function cachedReadOf(
  routes: readonly RouteSpec[],
): (method: string | undefined, url: string | undefined) => CachedRead | undefined {
  // By full template (API_PREFIX + `/dashboard/:analysisId`).
  const kinds = new Map<string, AnalysisCacheKind>();
  for (const r of routes) if (r.method === 'get' && r.cachedKind) kinds.set(`${API_PREFIX}${r.path}`, r.cachedKind);
  return (method, url) => {
    if ((method !== 'GET' && method !== 'HEAD') || url === undefined || url.includes('?')) return undefined;
    const id = ID_SEGMENT.exec(url);
    if (!id) return undefined;
    const route = `${url.slice(0, id.index)}/:analysisId${url.slice(id.index + id[0].length)}`;
    const kind = kinds.get(route);
    return kind && { route, analysisId: id[1]!, kind };
  };
}

export type HeldHitDeps = {
  cache: CacheService;
  routes: readonly RouteSpec[];
  logger: Logger;
  metrics: ServiceMetrics;
  https: boolean;
  corsOrigins: readonly string[];
};

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * The hot path, below Koa. A cached read whose entry this process can vouch for without asking
 * Redis (`CacheService.peekAnalysis`, or `heldAnalysis` once a lapsed lease is renewed) is
 * answered straight from `node:http` with what the Koa pipeline would send for it, byte for byte:
 * request id, CORS, cache validators, security headers, access log and histogram. Every other
 * request goes to `next` (Koa) untouched. Only for a service without the per-IP rate limit,
 * which must count each request first.
 */
export function heldHits(deps: HeldHitDeps, next: Listener): Listener {
  const readOf = cachedReadOf(deps.routes);
  const cors = simpleCorsHeaders(deps.corsOrigins);
  const security = securityHeaderPairs({ https: deps.https }, false).flat();
  const logAccess = accessLog(deps.logger, deps.metrics);

  const answer = (req: IncomingMessage, res: ServerResponse, route: string, hit: CachedBody, startedAt: number) => {
    const requestId = requestIdFor(req.headers['x-request-id'] as string | undefined); // Node joins repeated ones with ', '
    const fresh = !noneMatch(req.headers['if-none-match'], hit.etag);
    const validators = [
      'X-Request-Id',
      requestId,
      ...cors(req.headers.origin),
      'Cache-Control',
      'private, no-cache',
      'ETag',
      hit.etag,
    ];
    res.writeHead(
      fresh ? 200 : 304,
      fresh
        ? [
            ...validators,
            'Content-Type',
            CONTENT_TYPES['application/json'],
            'Content-Length',
            String(hit.body.length),
            ...security,
          ]
        : [...validators, ...security],
    );
    if (fresh && req.method === 'GET') res.end(hit.body);
    else res.end();
    logAccess({ method: req.method!, route, status: fresh ? 200 : 304, requestId }, startedAt);
  };

  return (req, res) => {
    // A Content-Encoding on a GET is refused (415) by the Koa pipeline: let it say so.
    const read = req.headers['content-encoding'] === undefined ? readOf(req.method, req.url) : undefined;
    if (!read) return next(req, res);
    const startedAt = performance.now();
    const hit = deps.cache.peekAnalysis<CachedBody>(read.analysisId, read.kind);
    if (hit) return answer(req, res, read.route, hit, startedAt);
    void deps.cache
      .heldAnalysis<CachedBody>(read.analysisId, read.kind)
      .then((held) => (held ? answer(req, res, read.route, held, startedAt) : next(req, res)));
  };
}
