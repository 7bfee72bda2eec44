import type { Context } from 'koa';

/** JSON and PDF: nothing may load, and nothing may frame them. */
const API_CSP = "default-src 'none'; frame-ancestors 'none'";
/** The HTML pages (unsubscribe): inline styles only, no script, forms post back to this origin. */
const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** Sets the security headers of a finished answer; HSTS only when the service is served over https. */
export function securityHeaders(opts: { https: boolean }): (ctx: Context) => void {
  return (ctx) => {
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('X-Frame-Options', 'DENY');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('Cross-Origin-Resource-Policy', 'cross-origin');
    ctx.set('Content-Security-Policy', ctx.response.type === 'text/html' ? PAGE_CSP : API_CSP);
    if (opts.https) ctx.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  };
}
