import { z } from 'zod';
import { ResultsSummarySchema } from '../../../domain/results-summary.js';
import type { Container } from '../../../container.js';
import { defineRoute, type RouteSpec } from '../../route.js';

const IdParams = z.object({ id: z.uuid({ message: 'must be a UUID' }) });
const IntakeBody = z.object({ url: z.string().min(1).max(2048), results_summary: ResultsSummarySchema.optional() });
const ResultsBody = z.object({ results_summary: ResultsSummarySchema });
const IntakeResponse = z.object({ analysis_id: z.uuid(), status: z.enum(['PENDING', 'COMPLETE']), cached: z.boolean() });
const AnalysisResponse = z.object({
  id: z.uuid(), url: z.string(), status: z.enum(['PENDING', 'COMPLETE']), results_summary: z.unknown(),
  hourly_rate: z.number().nullable(), created_at: z.iso.datetime(), completed_at: z.iso.datetime().nullable(),
}).meta({ id: 'Analysis' });

const publicAnalysis = ({ url_hash: _hash, ...rest }: Awaited<ReturnType<Container['analyses']['getAnalysis']>>) => rest;

/** Analysis intake: the analyzer (or an operator) hands analyses over here. */
export function analysisRoutes(c: Container): RouteSpec[] {
  return [
    defineRoute<undefined, undefined, z.infer<typeof IntakeBody>>({
      method: 'post', path: '/analyses', operationId: 'createAnalysis', tags: ['Analyses'],
      summary: 'Register an analysis, or get the one made for the same URL in the last 7 days',
      body: IntakeBody,
      responses: { 200: { description: 'URL already analysed within 7 days', schema: IntakeResponse }, 201: { description: 'Created', schema: IntakeResponse } },
      async handle(ctx, { body }) {
        const result = await c.analyses.createAnalysis(body);
        ctx.status = result.cached ? 200 : 201;
        ctx.body = result;
      },
    }),
    defineRoute<z.infer<typeof IdParams>, undefined, z.infer<typeof ResultsBody>>({
      method: 'put', path: '/analyses/:id/results', operationId: 'completeAnalysis', tags: ['Analyses'],
      summary: 'Complete a pending analysis with its results', params: IdParams, body: ResultsBody,
      responses: { 200: { description: 'Completed', schema: AnalysisResponse } },
      async handle(ctx, { params, body }) {
        ctx.body = publicAnalysis(await c.analyses.completeResults(params.id, body.results_summary));
      },
    }),
    defineRoute<z.infer<typeof IdParams>>({
      method: 'get', path: '/analyses/:id', operationId: 'getAnalysis', tags: ['Analyses'],
      summary: 'The analysis record', params: IdParams,
      responses: { 200: { description: 'The analysis', schema: AnalysisResponse } },
      async handle(ctx, { params }) {
        ctx.body = publicAnalysis(await c.analyses.getAnalysis(params.id));
      },
    }),
  ];
}
