import type { z } from 'zod';
import type { Container } from '../../../container.js';
import { defineRoute, type RouteSpec } from '../../route.js';
import { AnalysisIdParams } from '../../schemas.js';
import { EXAMPLES } from '../../examples.js';
import { consentSource } from '../subscriptions/source.js';
import {
  DashboardSubscription,
  DashboardSubscriptionsBody,
  SubscriptionParams,
  SubscriptionPatchBody,
} from './schema.js';

/** A dashboard's own report subscriptions: its link is the capability that manages them. */
export function dashboardSubscriptionRoutes(c: Container): RouteSpec[] {
  return [
    defineRoute<z.infer<typeof AnalysisIdParams>>({
      method: 'get',
      path: '/dashboard/:analysisId/subscriptions',
      operationId: 'listDashboardSubscriptions',
      tags: ['Subscriptions'],
      summary: "The dashboard's report subscriptions, oldest first, each address masked",
      params: AnalysisIdParams,
      responses: {
        200: {
          description: 'Subscriptions',
          schema: DashboardSubscriptionsBody,
          example: EXAMPLES.dashboardSubscriptions,
        },
      },
      async handle(ctx, { params }) {
        const subscriptions = await c.dashboardSubscriptions.list(params.analysisId);
        ctx.body = { analysis_id: params.analysisId, subscriptions };
      },
    }),
    defineRoute<z.infer<typeof SubscriptionParams>, undefined, z.infer<typeof SubscriptionPatchBody>>({
      method: 'patch',
      path: '/dashboard/:analysisId/subscriptions/:subscriptionId',
      operationId: 'updateDashboardSubscription',
      tags: ['Subscriptions'],
      summary: "Change a subscription's frequency (404 for a subscription of another dashboard)",
      params: SubscriptionParams,
      body: SubscriptionPatchBody,
      responses: {
        200: {
          description: 'The subscription',
          schema: DashboardSubscription,
          example: EXAMPLES.dashboardSubscription,
        },
      },
      async handle(ctx, { params, body }) {
        ctx.body = await c.dashboardSubscriptions.changeFrequency(
          params.analysisId,
          params.subscriptionId,
          body.frequency,
        );
      },
    }),
    defineRoute<z.infer<typeof SubscriptionParams>>({
      method: 'delete',
      path: '/dashboard/:analysisId/subscriptions/:subscriptionId',
      operationId: 'cancelDashboardSubscription',
      tags: ['Subscriptions'],
      summary:
        'Unsubscribe: no report is sent afterwards, and the consent record keeps the withdrawal (source `dashboard`)',
      params: SubscriptionParams,
      responses: { 204: { description: 'Unsubscribed (also when it already was)' } },
      async handle(ctx, { params }) {
        await c.dashboardSubscriptions.cancel(params.analysisId, params.subscriptionId, consentSource(ctx));
        ctx.status = 204;
      },
    }),
  ];
}
