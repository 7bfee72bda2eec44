import { z } from 'zod';
import type { Container } from '../../../container.js';
import { parseSections, REPORT_SECTIONS, unknownSectionsMessage } from '../../../domain/report-sections.js';
import { RateLimitError } from '../../../errors.js';
import { sendCached } from '../../cached-answer.js';
import { defineRoute, type RouteSpec } from '../../route.js';
import { AnalysisIdParams } from '../../schemas.js';
import { setRateLimitHeaders } from '../../middleware/rate-limit.js';

const ReportQuery = z.object({
  sections: z
    .string()
    .max(200)
    .optional()
    .transform((raw, ctx) => {
      const parsed = parseSections(raw);
      if (parsed.ok) return parsed.sections;
      ctx.addIssue({ code: 'custom', message: unknownSectionsMessage(parsed.unknown) });
      return z.NEVER;
    })
    .meta({
      description: `Comma-separated sections, printed in this fixed order: ${REPORT_SECTIONS.join(',')}. Absent or empty means all.`,
      example: 'summary,metrics',
    }),
});

type Params = z.infer<typeof AnalysisIdParams>;

/** The on-demand PDF report. */
export function reportRoutes(c: Container): RouteSpec[] {
  return [
    defineRoute<Params, z.output<typeof ReportQuery>>({
      method: 'get',
      path: '/dashboard/:analysisId/report.pdf',
      operationId: 'getReportPdf',
      tags: ['Reports'],
      summary: 'Progress report as a PDF attachment (cached 1 h, 5 requests a minute per analysis)',
      params: AnalysisIdParams,
      query: ReportQuery,
      conditional: true,
      responses: {
        200: {
          description: 'The PDF report',
          schema: z.string().meta({ format: 'binary' }),
          contentType: 'application/pdf',
          example: '%PDF-1.7 …',
        },
      },
      async handle(ctx, { params, query }) {
        await c.analyses.getAnalysis(params.analysisId); // an unknown id is a 404 every time, never counted
        const verdict = await c.rateLimits.pdf.hit(params.analysisId);
        setRateLimitHeaders(ctx, verdict);
        if (!verdict.allowed) throw new RateLimitError(verdict.resetSeconds);
        const { pdf, etag } = await c.pdfReports.exportPdf(params.analysisId, query.sections);
        ctx.set('Content-Disposition', `attachment; filename="visionaire-report-${params.analysisId}.pdf"`);
        sendCached(ctx, { body: pdf, etag }, 'application/pdf');
      },
    }),
  ];
}
