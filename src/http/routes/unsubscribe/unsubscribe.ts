import { z } from 'zod';
import { UuidOut } from '../../../domain/ids.js';
import type { Context } from 'koa';
import type { Container } from '../../../container.js';
import { defineRoute, type RouteSpec } from '../../route.js';
import { EXAMPLES } from '../../examples.js';
import { consentSource } from '../subscriptions/source.js';
import { orErrorPage, type LinkErrorMessages } from '../link-page.js';
import type { UnsubscribeTarget } from '../../../services/unsubscribe-service.js';

const EraseBody = z
  .object({
    erased: z.literal(true),
    erasure_id: UuidOut.describe('quote it to prove the erasure'),
    subscriptions: z.number().int().describe('subscriptions of the address deleted, across every analysis'),
    deliveries: z.number().int().describe('delivery rows anonymised'),
  })
  .meta({ id: 'EraseResponse' });

// Lenient here: the service tells a malformed link from a forged one, and the page says which.
const TokenParams = z.object({
  token: z.string().min(1).max(2000).describe('HMAC-signed subscription id from a report email'),
});
type Params = z.infer<typeof TokenParams>;

const UnsubscribeBody = z
  .object({
    unsubscribed: z.boolean(),
    changed: z.boolean().describe('false when the subscription was already inactive'),
    analysis_id: UuidOut,
    frequency: z.enum(['weekly', 'monthly']),
  })
  .meta({ id: 'UnsubscribeResponse' });

const HTML = { description: 'Confirmation page', contentType: 'text/html', schema: z.string(), example: EXAMPLES.html };

function page(
  c: Container,
  ctx: Context,
  target: Pick<UnsubscribeTarget, 'company_name' | 'frequency'>,
  state: 'confirm' | 'done' | 'already' | 'erased',
): void {
  const heading =
    state === 'confirm' ? 'Se désabonner' : state === 'erased' ? 'Données supprimées' : 'Désabonnement confirmé';
  ctx.type = 'html';
  ctx.set('Cache-Control', 'no-store');
  ctx.body = c.views.html('unsubscribe/page', {
    state,
    heading,
    company: target.company_name,
    frequencyWord: target.frequency === 'weekly' ? 'hebdomadaires' : 'mensuels',
    action: ctx.path.replace(/\/erase$/, ''),
  });
}

const INVALID: LinkErrorMessages = {
  400: 'Ce lien de désabonnement est incomplet ou mal copié.',
  401: "Ce lien de désabonnement n'est pas valide.",
  404: "Cet abonnement n'existe plus : vous ne recevrez aucun rapport.",
  503: 'Le désabonnement est momentanément indisponible. Réessayez dans quelques minutes.',
};

/** RFC 8058 one-click unsubscribe: GET shows a page and changes nothing; POST unsubscribes. */
export function unsubscribeRoutes(c: Container): RouteSpec[] {
  return [
    defineRoute<Params>({
      method: 'get',
      path: '/unsubscribe/:token',
      operationId: 'unsubscribePage',
      tags: ['Reports'],
      summary: 'Unsubscribe confirmation page (changes nothing: link prefetchers follow GETs)',
      params: TokenParams,
      errors: ['UNAUTHORIZED'],
      responses: {
        200: HTML,
        401: { ...HTML, description: 'The link is not valid: a page to a browser (UNAUTHORIZED as JSON when asked)' },
      },
      async handle(ctx, { params }) {
        await orErrorPage(c, ctx, ctx.accepts('html', 'json') === 'html', 'unsubscribe/page', INVALID, async () => {
          const target = await c.unsubscribes.lookup(params.token);
          page(c, ctx, target, target.active ? 'confirm' : 'already');
        });
      },
    }),
    defineRoute<Params>({
      method: 'post',
      path: '/unsubscribe/:token',
      operationId: 'unsubscribe',
      tags: ['Reports'],
      summary:
        'One-click unsubscribe (body `List-Unsubscribe=One-Click`, or empty); answers JSON, or HTML to a browser form',
      params: TokenParams,
      errors: ['UNAUTHORIZED'],
      form: true,
      responses: {
        200: { description: 'Unsubscribed', schema: UnsubscribeBody, example: EXAMPLES.unsubscribed },
        401: { ...HTML, description: 'The link is not valid: UNAUTHORIZED as JSON, or a page to a browser form' },
      },
      async handle(ctx, { params }) {
        const wantsHtml = ctx.accepts('json', 'html') === 'html';
        await orErrorPage(c, ctx, wantsHtml, 'unsubscribe/page', INVALID, async () => {
          const result = await c.unsubscribes.unsubscribe(params.token, consentSource(ctx));
          if (wantsHtml) return page(c, ctx, result, 'done');
          ctx.body = {
            unsubscribed: true,
            changed: result.changed,
            analysis_id: result.analysis_id,
            frequency: result.frequency,
          };
        });
      },
    }),
    defineRoute<Params>({
      method: 'post',
      path: '/unsubscribe/:token/erase',
      operationId: 'unsubscribeAndErase',
      tags: ['Reports'],
      summary:
        "Also delete my data: erases the link's address everywhere (subscriptions deleted, consent and delivery records anonymised)",
      params: TokenParams,
      errors: ['UNAUTHORIZED'],
      form: true,
      responses: {
        200: { description: 'Erased', schema: EraseBody, example: EXAMPLES.erased },
        401: { ...HTML, description: 'The link is not valid: UNAUTHORIZED as JSON, or a page to a browser form' },
      },
      async handle(ctx, { params }) {
        const wantsHtml = ctx.accepts('json', 'html') === 'html';
        await orErrorPage(c, ctx, wantsHtml, 'unsubscribe/page', INVALID, async () => {
          const target = await c.unsubscribes.lookup(params.token);
          const result = await c.privacy.eraseByUnsubscribeLink(params.token);
          if (wantsHtml) return page(c, ctx, target, 'erased');
          ctx.body = {
            erased: true,
            erasure_id: result.erasure_id,
            subscriptions: result.subscriptions,
            deliveries: result.deliveries,
          };
        });
      },
    }),
  ];
}
