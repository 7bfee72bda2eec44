import type { Context } from 'koa';

/** JSON and PDF: nothing may load, and nothing may frame them. */
const API_CSP = "default-src 'none'; frame-ancestors 'none'";
/** The HTML pages (unsubscribe): inline styles only, no script, forms post back to this origin. */
const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/**
 * The API reference page (`/docs`): scripts and the document from this origin only; Scalar sets
 * inline styles, and draws icons and fonts from data: URIs.
 */
const DOCS_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export type HeaderPairs = readonly (readonly [string, string])[];

/** The security headers of an answer (HTML pages get their own CSP); HSTS only when served over https. */
export function securityHeaderPairs(opts: { https: boolean }, page: boolean | 'docs'): HeaderPairs {
  return [
    ['X-Content-Type-Options', 'nosniff'],
    ['X-Frame-Options', 'DENY'],
    ['Referrer-Policy', 'no-referrer'],
    ['Cross-Origin-Resource-Policy', 'cross-origin'],
    ['Content-Security-Policy', page === 'docs' ? DOCS_CSP : page ? PAGE_CSP : API_CSP],
    ...(opts.https ? [['Strict-Transport-Security', 'max-age=31536000; includeSubDomains'] as const] : []),
  ];
}

/** Sets the security headers of a finished answer. */
export function securityHeaders(opts: { https: boolean }): (ctx: Context) => void {
  const api = securityHeaderPairs(opts, false);
  const page = securityHeaderPairs(opts, true);
  const docs = securityHeaderPairs(opts, 'docs');
  return (ctx) => {
    const html = ctx.response.type === 'text/html';
    for (const [name, value] of html && ctx.state.apiReference === true ? docs : html ? page : api)
      ctx.set(name, value);
  };
}
