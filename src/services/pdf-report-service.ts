import { normalizeSections, sectionsKey, type ReportSection } from '../domain/report-sections.js';
import type { ServiceDeps } from './deps.js';
import { cachedBody, type CachedBody } from '../infra/cache/cached-body.js';
import type { ReportPdfRenderer } from '../infra/pdf/pdf-pool.js';
import type { ReportService } from './report-service.js';

/** CONTRACT.md: `report:{id}:{sections}` lives 1 h; any data change of the analysis invalidates it. */
const REPORT_PDF_TTL = 3600;

export type PdfExport = { pdf: Buffer; etag: string; sections: ReportSection[] };

/** The on-demand PDF report, shared by the HTTP endpoint and `visionaire reports export`. */
export class PdfReportService {
  constructor(private readonly deps: ServiceDeps & { reports: ReportService; renderer: ReportPdfRenderer }) {}

  /** The PDF of an analysis with the given sections (none means all), read through the cache. */
  async exportPdf(analysisId: string, sections: readonly ReportSection[] = []): Promise<PdfExport> {
    const wanted = normalizeSections(sections);
    const cached = await this.deps.cache.wrapAnalysis<CachedBody>(
      analysisId,
      `report:${sectionsKey(wanted)}`,
      REPORT_PDF_TTL,
      async () => cachedBody(await this.renderPdf(analysisId, wanted)),
    );
    return { pdf: cached.body, etag: cached.etag, sections: wanted };
  }

  /** Builds the report model and renders it, bypassing the cache. NOT_FOUND for an unknown analysis. */
  async renderPdf(analysisId: string, sections: readonly ReportSection[] = []): Promise<Buffer> {
    const model = await this.deps.reports.buildReport(analysisId);
    return this.deps.renderer.render(model, sections);
  }
}
