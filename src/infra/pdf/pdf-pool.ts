import { Piscina } from 'piscina';
import type { ReportModel } from '../../domain/report-model.js';
import type { ReportSection } from '../../domain/report-sections.js';

export type RenderTask = { model: ReportModel; sections: ReportSection[] };

/** What renders a report model to PDF bytes: in-process (PdfRenderer) or in worker threads (PdfRenderPool). */
export type ReportPdfRenderer = {
  render(model: ReportModel, sections?: readonly ReportSection[]): Promise<Buffer>;
  close?(): Promise<void>;
};

// The worker is the sibling module, as TypeScript source under tsx and compiled JavaScript in dist/.
const WORKER = new URL(`./pdf-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url).href;

/**
 * Renders PDFs in a small pool of worker threads, so that a render (tens of milliseconds of
 * synchronous CPU) never stalls the API's event loop. The threads start on the first render
 * (a CLI command that makes no PDF starts none) and stop after a minute idle.
 */
export class PdfRenderPool implements ReportPdfRenderer {
  private pool: Piscina<RenderTask, Uint8Array> | null = null;

  constructor(private readonly opts: { threads: number }) {}

  async render(model: ReportModel, sections: readonly ReportSection[] = []): Promise<Buffer> {
    this.pool ??= new Piscina({ filename: WORKER, minThreads: 0, maxThreads: this.opts.threads, idleTimeout: 60_000 });
    const bytes = await this.pool.run({ model, sections: [...sections] });
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Renders completed by the worker threads. */
  get completed(): number {
    return this.pool?.completed ?? 0;
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    await pool?.destroy();
  }
}
