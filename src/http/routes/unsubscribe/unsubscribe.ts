import { z } from 'zod';
import type { Context } from 'koa';
import type { Container } from '../../../container.js';
import { defineRoute, type RouteSpec } from '../../route.js';
import type { UnsubscribeTarget } from '../../../services/unsubscribe-service.js';

const TokenParams = z.object({ token: z.string().min(1).max(200).describe('HMAC-signed subscription id from a report email') });
type Params = z.infer<typeof TokenParams>;

const UnsubscribeBody = z.object({
  unsubscribed: z.boolean(),
  changed: z.boolean().describe('false when the subscription was already inactive'),
  analysis_id: z.uuid(),
  frequency: z.enum(['weekly', 'monthly']),
}).meta({ id: 'UnsubscribeResponse' });

const HTML = { description: 'Confirmation page', contentType: 'text/html', schema: z.string() };

function page(c: Container, ctx: Context, target: UnsubscribeTarget, state: 'confirm' | 'done' | 'already'): void {
  const heading = state === 'confirm' ? 'Se désabonner' : 'Désabonnement confirmé';
  ctx.type = 'html';
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Referrer-Policy', 'no-referrer');
  ctx.body = c.views.html('unsubscribe/page', {
    state,
    heading,
    company: target.company_name,
    frequencyWord: target.frequency === 'weekly' ? 'hebdomadaires' : 'mensuels',
    action: ctx.path,
  });
}

/** RFC 8058 one-click unsubscribe: GET shows a page and changes nothing; POST unsubscribes. */
export function unsubscribeRoutes(c: Container): RouteSpec[] {
  return [
    defineRoute<Params>({
      method: 'get', path: '/unsubscribe/:token', operationId: 'unsubscribePage', tags: ['Reports'],
      summary: 'Unsubscribe confirmation page (changes nothing: link prefetchers follow GETs)', params: TokenParams,
      responses: { 200: HTML, 401: { description: 'UNAUTHORIZED: the link is not valid' } },
      async handle(ctx, { params }) {
        const target = await c.unsubscribes.lookup(params.token);
        page(c, ctx, target, target.active ? 'confirm' : 'already');
      },
    }),
    defineRoute<Params>({
      method: 'post', path: '/unsubscribe/:token', operationId: 'unsubscribe', tags: ['Reports'],
      summary: 'One-click unsubscribe (body `List-Unsubscribe=One-Click`, or empty); answers JSON, or HTML to a browser form',
      params: TokenParams,
      responses: { 200: { description: 'Unsubscribed', schema: UnsubscribeBody }, 401: { description: 'UNAUTHORIZED: the link is not valid' } },
      async handle(ctx, { params }) {
        const result = await c.unsubscribes.unsubscribe(params.token);
        if (ctx.accepts('json', 'html') === 'html') return page(c, ctx, result, 'done');
        ctx.body = { unsubscribed: true, changed: result.changed, analysis_id: result.analysis_id, frequency: result.frequency };
      },
    }),
  ];
}
