import type { z } from 'zod';
import type { Container } from '../../../container.js';
import { sendCached } from '../../cached-answer.js';
import { defineRoute, type RouteSpec } from '../../route.js';
import { AnalysisIdParams } from '../../schemas.js';
import { EXAMPLES } from '../../examples.js';
import { BadgesBody, DashboardBody, Metrics, ProgressBody, ProgressResultBody, RecommendationsBody } from './schema.js';

type Params = z.infer<typeof AnalysisIdParams>;

/** The dashboard endpoints the frontend calls. */
export function dashboardRoutes(c: Container): RouteSpec[] {
  return [
    defineRoute<Params>({
      method: 'get',
      path: '/dashboard/:analysisId',
      operationId: 'getDashboard',
      tags: ['Dashboard'],
      cachedKind: 'dashboard',
      summary: 'Dashboard data: identity, opportunities with progress, badges and metrics',
      params: AnalysisIdParams,
      responses: { 200: { description: 'Dashboard', schema: DashboardBody, example: EXAMPLES.dashboard } },
      async handle(ctx, { params }) {
        sendCached(ctx, await c.dashboard.dashboard(params.analysisId), 'application/json');
      },
    }),
    defineRoute<Params, undefined, z.infer<typeof ProgressBody>>({
      method: 'post',
      path: '/dashboard/:analysisId/progress',
      operationId: 'updateProgress',
      tags: ['Dashboard'],
      summary: "Change an opportunity's status; awards the badges it earns",
      params: AnalysisIdParams,
      body: ProgressBody,
      errors: ['OPPORTUNITY_NOT_FOUND', 'INVALID_TRANSITION'],
      responses: { 200: { description: 'Progress updated', schema: ProgressResultBody, example: EXAMPLES.progress } },
      async handle(ctx, { params, body }) {
        const { changed: _changed, ...result } = await c.progress.updateProgress(params.analysisId, body);
        ctx.body = result;
      },
    }),
    defineRoute<Params>({
      method: 'get',
      path: '/dashboard/:analysisId/metrics',
      operationId: 'getMetrics',
      tags: ['Dashboard'],
      cachedKind: 'metrics',
      summary: 'Time and money saved',
      params: AnalysisIdParams,
      responses: { 200: { description: 'Metrics', schema: Metrics, example: EXAMPLES.metrics } },
      async handle(ctx, { params }) {
        sendCached(ctx, await c.dashboard.metrics(params.analysisId), 'application/json');
      },
    }),
    defineRoute<Params>({
      method: 'get',
      path: '/dashboard/:analysisId/recommendations',
      operationId: 'getRecommendations',
      tags: ['Dashboard'],
      cachedKind: 'recommendations',
      summary: 'NOT_STARTED opportunities by priority (hours per week / complexity)',
      params: AnalysisIdParams,
      responses: {
        200: { description: 'Recommendations', schema: RecommendationsBody, example: EXAMPLES.recommendations },
      },
      async handle(ctx, { params }) {
        sendCached(ctx, await c.dashboard.recommendations(params.analysisId), 'application/json');
      },
    }),
    defineRoute<Params>({
      method: 'get',
      path: '/dashboard/:analysisId/badges',
      operationId: 'getBadges',
      tags: ['Dashboard'],
      cachedKind: 'badges',
      summary: 'Earned badges and progress toward the others',
      params: AnalysisIdParams,
      responses: { 200: { description: 'Badges', schema: BadgesBody, example: EXAMPLES.badges } },
      async handle(ctx, { params }) {
        sendCached(ctx, await c.badges.badgesOverview(params.analysisId), 'application/json');
      },
    }),
  ];
}
