import { z } from 'zod';
import type { Container } from '../../../container.js';
import { defineRoute, type RouteSpec } from '../../route.js';
import {
  AnalysisIdParams, BadgesBody, DashboardBody, HourlyRate, Metrics, ProgressResultBody, RecommendationsBody, Status,
} from '../../schemas.js';

type Params = z.infer<typeof AnalysisIdParams>;
const ProgressBody = z.object({ opportunity_id: z.string().min(1).max(100), status: Status, hourly_rate: HourlyRate.optional() });
const SubscribeBody = z.object({
  email: z.email({ message: 'must be a valid email address' }).max(320),
  frequency: z.enum(['weekly', 'monthly']),
  hourly_rate: HourlyRate.nullable().optional(),
});
const SubscriptionBody = z.object({
  subscription_id: z.uuid(), analysis_id: z.uuid(), email: z.string(), frequency: z.enum(['weekly', 'monthly']),
  active: z.boolean(), hourly_rate: z.number().nullable(), created_at: z.iso.datetime(),
}).meta({ id: 'EmailSubscriptionResponse' });

/** The dashboard endpoints the frontend calls. */
export function dashboardRoutes(c: Container): RouteSpec[] {
  return [
    defineRoute<Params>({
      method: 'get', path: '/dashboard/:analysisId', operationId: 'getDashboard', tags: ['Dashboard'],
      summary: 'Dashboard data: identity, opportunities with progress, badges and metrics', params: AnalysisIdParams,
      responses: { 200: { description: 'Dashboard', schema: DashboardBody } },
      async handle(ctx, { params }) {
        ctx.body = await c.dashboard.dashboard(params.analysisId);
      },
    }),
    defineRoute<Params, undefined, z.infer<typeof ProgressBody>>({
      method: 'post', path: '/dashboard/:analysisId/progress', operationId: 'updateProgress', tags: ['Dashboard'],
      summary: "Change an opportunity's status; awards the badges it earns", params: AnalysisIdParams, body: ProgressBody,
      responses: { 200: { description: 'Progress updated', schema: ProgressResultBody } },
      async handle(ctx, { params, body }) {
        const { changed: _changed, ...result } = await c.progress.updateProgress(params.analysisId, body);
        ctx.body = result;
      },
    }),
    defineRoute<Params>({
      method: 'get', path: '/dashboard/:analysisId/metrics', operationId: 'getMetrics', tags: ['Dashboard'],
      summary: 'Time and money saved', params: AnalysisIdParams,
      responses: { 200: { description: 'Metrics', schema: Metrics } },
      async handle(ctx, { params }) {
        ctx.body = await c.dashboard.metrics(params.analysisId);
      },
    }),
    defineRoute<Params>({
      method: 'get', path: '/dashboard/:analysisId/recommendations', operationId: 'getRecommendations', tags: ['Dashboard'],
      summary: 'NOT_STARTED opportunities by priority (hours per week / complexity)', params: AnalysisIdParams,
      responses: { 200: { description: 'Recommendations', schema: RecommendationsBody } },
      async handle(ctx, { params }) {
        ctx.body = await c.dashboard.recommendations(params.analysisId);
      },
    }),
    defineRoute<Params>({
      method: 'get', path: '/dashboard/:analysisId/badges', operationId: 'getBadges', tags: ['Dashboard'],
      summary: 'Earned badges and progress toward the others', params: AnalysisIdParams,
      responses: { 200: { description: 'Badges', schema: BadgesBody } },
      async handle(ctx, { params }) {
        ctx.body = await c.badges.badgesOverview(params.analysisId);
      },
    }),
    defineRoute<Params, undefined, z.infer<typeof SubscribeBody>>({
      method: 'post', path: '/dashboard/:analysisId/subscribe', operationId: 'subscribeReports', tags: ['Dashboard'],
      summary: 'Subscribe an email to weekly or monthly reports', params: AnalysisIdParams, body: SubscribeBody,
      responses: { 200: { description: 'Existing subscription updated', schema: SubscriptionBody }, 201: { description: 'Created', schema: SubscriptionBody } },
      async handle(ctx, { params, body }) {
        const { subscription, created } = await c.subscriptions.subscribe(params.analysisId, body);
        ctx.status = created ? 201 : 200;
        ctx.body = subscription;
      },
    }),
  ];
}
