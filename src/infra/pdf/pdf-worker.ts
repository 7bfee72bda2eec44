import { readlinkSync } from 'node:fs';
import os from 'node:os';
import { PdfRenderer } from './pdf-renderer.js';
import type { RenderTask } from './pdf-pool.js';

/** Renders run below the API's priority: on a busy core the scheduler lets requests go first. */
const RENDER_NICE = 10;

/**
 * Lowers this worker thread's CPU priority (Linux: `setpriority` on the thread id, which
 * `/proc/thread-self` names); elsewhere, or if refused, the thread keeps the process's priority.
 */
function lowerPriority(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) os.setPriority(tid, Math.max(os.getPriority(tid), RENDER_NICE));
  } catch {
    /* not Linux, or not allowed: render at normal priority */
  }
}
lowerPriority();

/** One renderer per worker thread: its fonts are parsed once, on the worker's first task. */
const renderer = new PdfRenderer();

/** Renders one report inside a worker; the bytes are moved back, not copied, when they own their memory. */
export default async function renderReport(task: RenderTask): Promise<Uint8Array> {
  const pdf = await renderer.render(task.model, task.sections);
  return pdf.byteOffset === 0 && pdf.byteLength === pdf.buffer.byteLength
    ? new Uint8Array(pdf.buffer)
    : new Uint8Array(pdf);
}
