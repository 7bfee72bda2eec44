import { normalizeSections, sectionsKey, type ReportSection } from '../domain/report-sections.js';
import type { ServiceDeps } from './deps.js';
import type { PdfRenderer } from '../infra/pdf/pdf-renderer.js';
import type { ReportService } from './report-service.js';

/** CONTRACT.md: `report:{id}:{sections}` lives 1 h; any data change of the analysis invalidates it. */
export const REPORT_PDF_TTL = 3600;

export type PdfExport = { pdf: Buffer; sections: ReportSection[] };

/** The on-demand PDF report, shared by the HTTP endpoint and `visionaire reports export`. */
export class PdfReportService {
  constructor(private readonly deps: ServiceDeps & { reports: ReportService; renderer: Pick<PdfRenderer, 'render'> }) {}

  /** The PDF of an analysis with the given sections (none means all), read through the cache. */
  async exportPdf(analysisId: string, sections: readonly ReportSection[] = []): Promise<PdfExport> {
    const wanted = normalizeSections(sections);
    const pdf = await this.deps.cache.wrapAnalysis(analysisId, `report:${sectionsKey(wanted)}`, REPORT_PDF_TTL, () =>
      this.renderPdf(analysisId, wanted),
    );
    return { pdf: Buffer.isBuffer(pdf) ? pdf : Buffer.from(pdf), sections: wanted };
  }

  /** Builds the report model and renders it, bypassing the cache. NOT_FOUND for an unknown analysis. */
  async renderPdf(analysisId: string, sections: readonly ReportSection[] = []): Promise<Buffer> {
    const model = await this.deps.reports.buildReport(analysisId);
    return this.deps.renderer.render(model, sections);
  }
}
