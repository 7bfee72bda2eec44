import type { z } from 'zod';
import type { Container } from '../../../container.js';
import { defineRoute, type RouteSpec } from '../../route.js';
import { EXAMPLES } from '../../examples.js';
import { AnalysisResponse, IdParams, IntakeBody, IntakeResponse, ResultsBody } from './schema.js';

const publicAnalysis = ({ url_hash: _hash, ...rest }: Awaited<ReturnType<Container['analyses']['getAnalysis']>>) =>
  rest;

/** Analysis intake: the analyzer (or an operator) hands analyses over here. */
export function analysisRoutes(c: Container): RouteSpec[] {
  return [
    defineRoute<undefined, undefined, z.infer<typeof IntakeBody>>({
      method: 'post',
      path: '/analyses',
      operationId: 'createAnalysis',
      tags: ['Analyses'],
      summary: 'Register an analysis, or get the one made for the same URL in the last 7 days',
      body: IntakeBody,
      admin: true,
      responses: {
        200: {
          description: 'URL already analysed within 7 days',
          schema: IntakeResponse,
          example: { ...EXAMPLES.intake, cached: true },
        },
        201: { description: 'Created', schema: IntakeResponse, example: EXAMPLES.intake },
      },
      async handle(ctx, { body }) {
        const result = await c.analyses.createAnalysis(body);
        ctx.status = result.cached ? 200 : 201;
        ctx.body = result;
      },
    }),
    defineRoute<z.infer<typeof IdParams>, undefined, z.infer<typeof ResultsBody>>({
      method: 'put',
      path: '/analyses/:id/results',
      operationId: 'completeAnalysis',
      tags: ['Analyses'],
      summary: 'Complete a pending analysis with its results',
      params: IdParams,
      body: ResultsBody,
      admin: true,
      errors: ['INVALID_TRANSITION'],
      responses: { 200: { description: 'Completed', schema: AnalysisResponse, example: EXAMPLES.analysis } },
      async handle(ctx, { params, body }) {
        ctx.body = publicAnalysis(await c.analyses.completeResults(params.id, body.results_summary));
      },
    }),
    defineRoute<z.infer<typeof IdParams>>({
      method: 'get',
      path: '/analyses/:id',
      operationId: 'getAnalysis',
      tags: ['Analyses'],
      summary: 'The analysis record',
      params: IdParams,
      responses: { 200: { description: 'The analysis', schema: AnalysisResponse, example: EXAMPLES.analysis } },
      async handle(ctx, { params }) {
        ctx.body = publicAnalysis(await c.analyses.getAnalysis(params.id));
      },
    }),
  ];
}
