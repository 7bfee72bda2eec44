import type { Context } from 'koa';

/** JSON and PDF: nothing may load, and nothing may frame them. */
const API_CSP = "default-src 'none'; frame-ancestors 'none'";
/** The HTML pages (unsubscribe): inline styles only, no script, forms post back to this origin. */
const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

export type HeaderPairs = readonly (readonly [string, string])[];

/** The security headers of an answer (HTML pages get their own CSP); HSTS only when served over https. */
export function securityHeaderPairs(opts: { https: boolean }, page: boolean): HeaderPairs {
  return [
    ['X-Content-Type-Options', 'nosniff'],
    ['X-Frame-Options', 'DENY'],
    ['Referrer-Policy', 'no-referrer'],
    ['Cross-Origin-Resource-Policy', 'cross-origin'],
    ['Content-Security-Policy', page ? PAGE_CSP : API_CSP],
    ...(opts.https ? [['Strict-Transport-Security', 'max-age=31536000; includeSubDomains'] as const] : []),
  ];
}

/** Sets the security headers of a finished answer. */
export function securityHeaders(opts: { https: boolean }): (ctx: Context) => void {
  const api = securityHeaderPairs(opts, false);
  const page = securityHeaderPairs(opts, true);
  return (ctx) => {
    for (const [name, value] of ctx.response.type === 'text/html' ? page : api) ctx.set(name, value);
  };
}
