import { PdfRenderer } from './pdf-renderer.js';
import type { RenderTask } from './pdf-pool.js';

/** One renderer per worker thread: its fonts are parsed once, on the worker's first task. */
const renderer = new PdfRenderer();

/** Renders one report inside a worker; the bytes are moved back, not copied, when they own their memory. */
export default async function renderReport(task: RenderTask): Promise<Uint8Array> {
  const pdf = await renderer.render(task.model, task.sections);
  return pdf.byteOffset === 0 && pdf.byteLength === pdf.buffer.byteLength ? new Uint8Array(pdf.buffer) : new Uint8Array(pdf);
}
