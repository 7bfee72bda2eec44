import type { Context } from 'koa';
import type { Container } from '../../container.js';
import { AppError } from '../../errors.js';

/** What a page says for each status when an emailed link fails. */
export type LinkErrorMessages = Partial<Record<number, string>>;

/**
 * Runs a handler for a link from an email. When it fails with a known status and the client wants HTML
 * (a browser), the client gets `template` in its `invalid` state with that status, not JSON.
 */
export async function orErrorPage(
  c: Container,
  ctx: Context,
  wantsHtml: boolean,
  template: string,
  messages: LinkErrorMessages,
  work: () => Promise<void>,
): Promise<void> {
  try {
    await work();
  } catch (err) {
    const message = err instanceof AppError ? messages[err.status] : undefined;
    if (!wantsHtml || !message || !(err instanceof AppError)) throw err;
    ctx.status = err.status;
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = c.views.html(template, { state: 'invalid', heading: 'Lien invalide', message });
  }
}
