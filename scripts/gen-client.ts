/**
 * `npm run gen:client [-- OUT_DIR]`: writes the OpenAPI document the service serves and the
 * TypeScript types openapi-typescript generates from it (for openapi-fetch) into OUT_DIR
 * (default `client/`). Nothing listens and nothing is stored: the routes are read from an
 * in-memory container.
 */
import fs from 'node:fs';
import path from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import { loadConfig } from '../src/config.js';
import { createContainer } from '../src/container.js';
import { apiRoutes } from '../src/http/app.js';
import { openApiDocument } from '../src/http/openapi.js';

const out = path.resolve(process.argv[2] ?? 'client');
const config = loadConfig({ DATABASE_URL: 'pglite:memory', LOG_LEVEL: 'silent' });
const c = createContainer(config);
try {
  const doc = openApiDocument(apiRoutes(c), config.publicUrl);
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'openapi.json'), `${JSON.stringify(doc, null, 2)}\n`);
  const types = astToString(await openapiTS(structuredClone(doc) as never));
  fs.writeFileSync(path.join(out, 'visionaire-api.d.ts'), `${types}`);
  console.log(`wrote ${path.relative(process.cwd(), out) || '.'}/openapi.json and visionaire-api.d.ts`);
} finally {
  await c.close();
}
