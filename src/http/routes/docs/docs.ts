import type Router from '@koa/router';
import type { Context } from 'koa';
import { ApiReferenceAssets } from '../../../infra/api-reference-assets.js';

/** The reference page: Scalar's bundle and its start script, both from this origin (the CSP allows no other). */
const PAGE = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Vision'AI're Dashboard API reference</title>
</head>
<body>
<div id="api-reference-app"></div>
<script src="docs/scalar.js"></script>
<script src="docs/init.js"></script>
</body>
</html>
`;

/** Renders the document this service serves, with nothing fetched from elsewhere (no web fonts, no proxy). */
const INIT = `window.Scalar.createApiReference('#api-reference-app', {
  url: new URL('openapi.json', document.baseURI).href,
  withDefaultFonts: false,
  hideClientButton: true,
  telemetry: false,
  agent: { disabled: true },
  defaultOpenAllTags: true,
});
`;

const JS = 'application/javascript; charset=utf-8';

function marksDocs(ctx: Context): void {
  ctx.state.apiReference = true;
}

/** `GET /docs`: the rendered API reference, from assets shipped in the package. Not part of the API document. */
export function mountDocs(router: Router): void {
  const assets = new ApiReferenceAssets();
  router.get('/docs', (ctx) => {
    marksDocs(ctx);
    ctx.set('Cache-Control', 'no-cache');
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = PAGE;
  });
  router.get('/docs/init.js', (ctx) => {
    ctx.set('Cache-Control', 'no-cache');
    ctx.type = JS;
    ctx.body = INIT;
  });
  router.get('/docs/scalar.js', async (ctx) => {
    ctx.set('Cache-Control', 'public, max-age=86400');
    ctx.type = JS;
    ctx.body = await assets.scalarBundle();
  });
}
