import { z } from 'zod';
import { ResultsSummarySchema } from '../../../domain/results-summary.js';
import { TimeZone } from '../../schemas.js';

export const IdParams = z.object({ id: z.uuid({ message: 'must be a UUID' }) });
export const IntakeBody = z.object({ url: z.string().min(1).max(2048), results_summary: ResultsSummarySchema.optional(), time_zone: TimeZone.optional() });
export const ResultsBody = z.object({ results_summary: ResultsSummarySchema });
export const IntakeResponse = z.object({ analysis_id: z.uuid(), status: z.enum(['PENDING', 'COMPLETE']), cached: z.boolean() });
export const AnalysisResponse = z.object({
  id: z.uuid(), url: z.string(), status: z.enum(['PENDING', 'COMPLETE']), results_summary: z.unknown(),
  hourly_rate: z.number().nullable(), time_zone: z.string().nullable(), created_at: z.iso.datetime(), completed_at: z.iso.datetime().nullable(),
}).meta({ id: 'Analysis' });
