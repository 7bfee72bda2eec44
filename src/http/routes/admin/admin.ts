import type { z } from 'zod';
import type { Container } from '../../../container.js';
import { defineRoute, type RouteSpec } from '../../route.js';
import { EXAMPLES } from '../../examples.js';
import {
  AnalysisParams,
  ConsentRecordsResponse,
  FailuresQuery,
  FailuresResponse,
  OverviewResponse,
  RetryBody,
  RetryResponse,
} from './schema.js';

const UNAUTHORIZED = { 401: { description: 'Missing or wrong operator token' } };

/** Operator endpoints (behind adminAuth): what the support console polls, and its actions. */
export function adminRoutes(c: Container): RouteSpec[] {
  return [
    defineRoute({
      method: 'get',
      path: '/admin/console',
      operationId: 'adminConsole',
      tags: ['Admin'],
      admin: true,
      summary:
        'Live figures of this service for the support console: cache, subscriptions, queue, retries, failures, suspensions, next runs, recent activity',
      responses: {
        200: {
          description: 'Overview; a section is null when it could not be read',
          schema: OverviewResponse,
          example: EXAMPLES.adminOverview,
        },
        ...UNAUTHORIZED,
      },
      async handle(ctx) {
        ctx.body = await c.admin.overview();
      },
    }),
    defineRoute<undefined, z.infer<typeof FailuresQuery>>({
      method: 'get',
      path: '/admin/deliveries/failed',
      operationId: 'adminFailedDeliveries',
      tags: ['Admin'],
      admin: true,
      summary: 'Failed report deliveries, newest first, emails masked',
      query: FailuresQuery,
      responses: {
        200: { description: 'Failed deliveries', schema: FailuresResponse, example: EXAMPLES.failures },
        ...UNAUTHORIZED,
      },
      async handle(ctx, { query }) {
        ctx.body = await c.admin.failures({ periodKey: query.period, limit: query.limit });
      },
    }),
    defineRoute<undefined, undefined, z.infer<typeof RetryBody>>({
      method: 'post',
      path: '/admin/deliveries/retry',
      operationId: 'adminRetryDeliveries',
      tags: ['Admin'],
      admin: true,
      summary: 'Requeue a failed delivery, or all failures of a period: same row and Message-ID, attempts reset',
      body: RetryBody,
      responses: {
        200: { description: 'What was requeued and what was left', schema: RetryResponse, example: EXAMPLES.retry },
        ...UNAUTHORIZED,
      },
      async handle(ctx, { body }) {
        ctx.body = await c.admin.retry({ id: body.id, periodKey: body.period, dryRun: body.dry_run });
      },
    }),
    defineRoute<z.infer<typeof AnalysisParams>>({
      method: 'get',
      path: '/admin/analyses/:id/consents',
      operationId: 'adminConsentRecords',
      tags: ['Admin'],
      admin: true,
      summary:
        "The consent record of an analysis's subscriptions: when and from where each was requested and confirmed (masked)",
      params: AnalysisParams,
      responses: {
        200: { description: 'Consent records', schema: ConsentRecordsResponse, example: EXAMPLES.consents },
        404: { description: 'No such analysis' },
        ...UNAUTHORIZED,
      },
      async handle(ctx, { params }) {
        await c.analyses.getAnalysis(params.id);
        ctx.body = await c.consents.consentRecords(params.id);
      },
    }),
  ];
}
