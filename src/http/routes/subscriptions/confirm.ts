import { z } from 'zod';
import { SUBSCRIPTION_STATUSES } from '../../../domain/consent.js';
import type { Context } from 'koa';
import type { Container } from '../../../container.js';
import { UuidOut } from '../../../domain/ids.js';
import { defineRoute, type RouteSpec } from '../../route.js';
import { EXAMPLES } from '../../examples.js';
import { orErrorPage, type LinkErrorMessages } from '../link-page.js';
import type { ConsentTarget } from '../../../services/consent-service.js';
import { consentSource } from './source.js';

const TokenParams = z.object({
  token: z.string().min(1).max(200).describe('HMAC-signed subscription id from a confirmation email'),
});
type Params = z.infer<typeof TokenParams>;

const ConfirmBody = z
  .object({
    confirmed: z.boolean(),
    changed: z.boolean().describe('false when the subscription was already confirmed'),
    analysis_id: UuidOut,
    frequency: z.enum(['weekly', 'monthly']),
    status: z.enum(SUBSCRIPTION_STATUSES),
  })
  .meta({ id: 'ConfirmSubscriptionResponse' });

const HTML = { description: 'Confirmation page', contentType: 'text/html', schema: z.string(), example: EXAMPLES.html };

const INVALID: LinkErrorMessages = {
  400: 'Ce lien de confirmation est incomplet ou mal copié.',
  401: "Ce lien de confirmation n'est pas valide.",
  404: "Cet abonnement n'existe plus. Abonnez-vous de nouveau depuis votre tableau de bord.",
  503: 'La confirmation est momentanément indisponible. Réessayez dans quelques minutes.',
};

const HEADINGS: Record<ConsentTarget['state'], string> = {
  pending: 'Confirmer votre abonnement',
  confirmed: 'Abonnement confirmé',
  expired: 'Lien expiré',
  unsubscribed: 'Abonnement annulé',
};

function page(c: Container, ctx: Context, target: ConsentTarget): void {
  ctx.type = 'html';
  ctx.set('Cache-Control', 'no-store');
  ctx.body = c.views.html('consent/page', {
    state: target.state,
    heading: HEADINGS[target.state],
    company: target.company_name,
    frequencyWord: target.frequency === 'weekly' ? 'hebdomadaires' : 'mensuels',
    action: ctx.path,
  });
}

/** Double opt-in: GET shows a page with a button and changes nothing (link scanners follow GETs); POST confirms. */
export function confirmRoutes(c: Container): RouteSpec[] {
  return [
    defineRoute<Params>({
      method: 'get',
      path: '/subscriptions/confirm/:token',
      operationId: 'confirmSubscriptionPage',
      tags: ['Reports'],
      summary: 'Subscription confirmation page (changes nothing)',
      params: TokenParams,
      errors: ['UNAUTHORIZED'],
      responses: {
        200: HTML,
        401: { ...HTML, description: 'The link is not valid: a page to a browser (UNAUTHORIZED as JSON when asked)' },
      },
      async handle(ctx, { params }) {
        await orErrorPage(c, ctx, ctx.accepts('html', 'json') === 'html', 'consent/page', INVALID, async () => {
          page(c, ctx, await c.consents.lookup(params.token));
        });
      },
    }),
    defineRoute<Params>({
      method: 'post',
      path: '/subscriptions/confirm/:token',
      operationId: 'confirmSubscription',
      tags: ['Reports'],
      summary: 'Confirm a subscription (double opt-in); answers JSON, or HTML to a browser form',
      params: TokenParams,
      errors: ['UNAUTHORIZED'],
      form: true,
      responses: {
        200: { description: 'Confirmed', schema: ConfirmBody, example: EXAMPLES.confirmed },
        401: { ...HTML, description: 'The link is not valid: UNAUTHORIZED as JSON, or a page to a browser form' },
        404: {
          ...HTML,
          description: 'NOT_FOUND: the subscription expired or was cancelled (JSON, or a page to a browser form)',
        },
      },
      async handle(ctx, { params }) {
        const wantsHtml = ctx.accepts('json', 'html') === 'html';
        await orErrorPage(c, ctx, wantsHtml, 'consent/page', INVALID, async () => {
          const result = await c.consents.confirm(params.token, consentSource(ctx));
          if (wantsHtml) return page(c, ctx, result);
          ctx.body = {
            confirmed: true,
            changed: result.changed,
            analysis_id: result.analysis_id,
            frequency: result.frequency,
            status: 'active',
          };
        });
      },
    }),
  ];
}
