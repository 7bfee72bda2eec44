import type { z } from 'zod';
import type { Container } from '../../../container.js';
import { defineRoute, type RouteSpec } from '../../route.js';
import { SUPPORT_EXAMPLES as EX } from './support-examples.js';
import {
  DeliveriesQuery,
  DeliveriesResponse,
  DeliveryRetryResponse,
  IdParams,
  SubscriptionActionResponse,
  SubscriptionDetailResponse,
  SubscriptionsQuery,
  SubscriptionsResponse,
} from './support-schema.js';

const UNAUTHORIZED = { 401: { description: 'Missing or wrong operator token' } };
const NOT_FOUND = { 404: { description: 'No such subscription or delivery' } };
const WRONG_STATE = { 400: { description: 'INVALID_TRANSITION: the subscription or delivery is not in that state' } };
type Id = z.infer<typeof IdParams>;

/** What support staff look up and do from the console: find a subscription, see it whole, act on it. */
export function supportRoutes(c: Container): RouteSpec[] {
  return [
    defineRoute<undefined, z.infer<typeof SubscriptionsQuery>>({
      method: 'get',
      path: '/admin/subscriptions',
      operationId: 'adminSubscriptions',
      tags: ['Admin'],
      admin: true,
      summary: 'Find subscriptions by a substring of email, company name or ids, by analysis or by state',
      query: SubscriptionsQuery,
      responses: {
        200: { description: 'Newest first', schema: SubscriptionsResponse, example: EX.list },
        ...UNAUTHORIZED,
      },
      async handle(ctx, { query }) {
        ctx.body = await c.support.findSubscriptions({
          text: query.q,
          email: query.email,
          analysisId: query.analysis,
          status: query.status,
          limit: query.limit,
        });
      },
    }),
    defineRoute<Id>({
      method: 'get',
      path: '/admin/subscriptions/:id',
      operationId: 'adminSubscription',
      tags: ['Admin'],
      admin: true,
      summary: 'One subscription: state, consent record, bounces and its deliveries, newest first',
      params: IdParams,
      responses: {
        200: { description: 'The subscription', schema: SubscriptionDetailResponse, example: EX.detail },
        ...NOT_FOUND,
        ...UNAUTHORIZED,
      },
      async handle(ctx, { params }) {
        ctx.body = await c.support.subscription(params.id);
      },
    }),
    defineRoute<Id>({
      method: 'post',
      path: '/admin/subscriptions/:id/reactivate',
      operationId: 'adminReactivateSubscription',
      tags: ['Admin'],
      admin: true,
      summary: 'Switch a subscription back on after a suspension for hard bounces; says whether a scheduler runs',
      params: IdParams,
      responses: {
        200: { description: 'Done, and who acts on it', schema: SubscriptionActionResponse, example: EX.reactivated },
        ...NOT_FOUND,
        ...UNAUTHORIZED,
      },
      async handle(ctx, { params }) {
        ctx.body = await c.support.reactivate(params.id);
      },
    }),
    defineRoute<Id>({
      method: 'post',
      path: '/admin/subscriptions/:id/resend-confirmation',
      operationId: 'adminResendConfirmation',
      tags: ['Admin'],
      admin: true,
      summary: "Queue a pending subscription's confirmation email again; says whether a worker will send it",
      params: IdParams,
      responses: {
        200: { description: 'Queued, and who sends it', schema: SubscriptionActionResponse, example: EX.resent },
        ...WRONG_STATE,
        ...NOT_FOUND,
        ...UNAUTHORIZED,
      },
      async handle(ctx, { params }) {
        ctx.body = await c.support.resendConfirmation(params.id);
      },
    }),
    defineRoute<Id>({
      method: 'post',
      path: '/admin/deliveries/:id/retry',
      operationId: 'adminRetryDelivery',
      tags: ['Admin'],
      admin: true,
      summary: 'Requeue one failed delivery (same row and Message-ID); says whether a worker will send it',
      params: IdParams,
      responses: {
        200: { description: 'Queued, and who sends it', schema: DeliveryRetryResponse, example: EX.retried },
        ...NOT_FOUND,
        ...UNAUTHORIZED,
      },
      async handle(ctx, { params }) {
        ctx.body = await c.support.retryDelivery(params.id);
      },
    }),
    defineRoute<undefined, z.infer<typeof DeliveriesQuery>>({
      method: 'get',
      path: '/admin/deliveries',
      operationId: 'adminDeliveries',
      tags: ['Admin'],
      admin: true,
      summary: 'Report deliveries by state, period or a substring of the email, newest period first',
      query: DeliveriesQuery,
      responses: {
        200: { description: 'Deliveries', schema: DeliveriesResponse, example: EX.deliveries },
        ...UNAUTHORIZED,
      },
      async handle(ctx, { query }) {
        ctx.body = await c.support.findDeliveries({
          state: query.status,
          periodKey: query.period,
          email: query.email,
          limit: query.limit,
        });
      },
    }),
  ];
}
