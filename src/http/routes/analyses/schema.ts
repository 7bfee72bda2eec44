import { z } from 'zod';
import { CanonicalUuid, UuidOut } from '../../../domain/ids.js';
import { ResultsSummarySchema } from '../../../domain/results-summary.js';
import { TimeZone } from '../../schemas.js';

export const IdParams = z.object({ id: CanonicalUuid });
const ResultsSummary = ResultsSummarySchema.meta({ id: 'ResultsSummary' });
export const IntakeBody = z
  .object({
    url: z.string().min(1).max(2048),
    results_summary: ResultsSummary.optional(),
    time_zone: TimeZone.optional(),
  })
  .meta({ id: 'AnalysisIntakeRequest' });
export const ResultsBody = z.object({ results_summary: ResultsSummary }).meta({ id: 'AnalysisResultsRequest' });
export const IntakeResponse = z
  .object({ analysis_id: UuidOut, status: z.enum(['PENDING', 'COMPLETE']), cached: z.boolean() })
  .meta({ id: 'AnalysisIntakeResponse' });
export const AnalysisResponse = z
  .object({
    id: UuidOut,
    url: z.string(),
    status: z.enum(['PENDING', 'COMPLETE']),
    results_summary: z.unknown(),
    hourly_rate: z.number().nullable(),
    time_zone: z.string().nullable(),
    created_at: z.iso.datetime(),
    completed_at: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Analysis' });
