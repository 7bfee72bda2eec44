import { z } from 'zod';
import { STATUSES } from '../domain/progress.js';
import { CanonicalUuid } from '../domain/ids.js';

/** Shared by every resource: the path id, the hourly rate, statuses and the error body. */
export const AnalysisIdParams = z.object({ analysisId: CanonicalUuid });
export const HourlyRate = z.number().min(20).max(500);
export const Status = z.enum(STATUSES);

export const ErrorBody = z.object({
  error: z.string(),
  detail: z.string(),
  timestamp: z.iso.datetime(),
  request_id: z.string(),
  fields: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
}).meta({ id: 'ErrorResponse' });
