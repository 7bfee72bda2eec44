import type { PdfRenderer } from './pdf-renderer.js';

/**
 * A PdfRenderer whose module (pdfkit, fontkit and the fonts) is loaded by the first PDF, so
 * building the container (every CLI command) does not pay for it.
 */
export function lazyPdfRenderer(): Pick<PdfRenderer, 'render'> {
  let renderer: Promise<PdfRenderer> | null = null;
  return {
    async render(...args) {
      renderer ??= import('./pdf-renderer.js').then((m) => new m.PdfRenderer());
      return (await renderer).render(...args);
    },
  };
}
