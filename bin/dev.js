#!/usr/bin/env -S node --import tsx --no-warnings
// Runs the CLI from the TypeScript sources (tsx is loaded by the shebang or `node --import tsx`).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Config, flush, handle, run } from '@oclif/core';

const root = fileURLToPath(new URL('..', import.meta.url));
const pjson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
pjson.oclif.commands = './commands';

try {
  const config = await Config.load({ root, pjson });
  await run(process.argv.slice(2), config);
  await flush();
} catch (error) {
  await handle(error);
}
