import type { z } from 'zod';
import type { Container } from '../../../container.js';
import { defineRoute, type RouteSpec } from '../../route.js';
import { AnalysisIdParams } from '../../schemas.js';
import { EXAMPLES } from '../../examples.js';
import { consentSource } from '../subscriptions/source.js';
import { SubscribeBody, SubscriptionBody } from './schema.js';

type Params = z.infer<typeof AnalysisIdParams>;

/** Report subscriptions for one dashboard. */
export function subscribeRoutes(c: Container): RouteSpec[] {
  return [
    defineRoute<Params, undefined, z.infer<typeof SubscribeBody>>({
      method: 'post',
      path: '/dashboard/:analysisId/subscribe',
      operationId: 'subscribeReports',
      tags: ['Dashboard'],
      summary:
        'Subscribe an email to weekly or monthly reports; a new one is pending until confirmed through the emailed link',
      params: AnalysisIdParams,
      body: SubscribeBody,
      responses: {
        200: {
          description:
            'Re-subscribe: a confirmed subscription updated (`active`), or a new confirmation requested (`pending`)',
          schema: SubscriptionBody,
          example: EXAMPLES.subscription,
        },
        201: {
          description: 'Created, `pending` until confirmed',
          schema: SubscriptionBody,
          example: EXAMPLES.subscription,
        },
      },
      async handle(ctx, { params, body }) {
        const { subscription, created } = await c.subscriptions.subscribe(params.analysisId, body, consentSource(ctx));
        ctx.status = created ? 201 : 200;
        ctx.body = subscription;
      },
    }),
  ];
}
