#!/usr/bin/env -S node --import tsx --no-warnings
// Runs the CLI from the TypeScript sources (tsx is loaded by the shebang or `node --import tsx`).
// Loads the plugins itself so that oclif.manifest.json, written by the build for the compiled commands, is ignored.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Config, Plugin, flush, handle, run } from '@oclif/core';

const root = fileURLToPath(new URL('..', import.meta.url));
const pjson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
pjson.oclif.commands = './commands';
pjson.oclif.hooks = { command_not_found: './src/cli/not-found.ts' };

try {
  const plugins = new Map();
  const sources = [
    { root, pjson, isRoot: true, type: 'core', ignoreManifest: true },
    ...pjson.oclif.plugins.map((name) => ({ root: path.join(root, 'node_modules', name), name, type: 'core' })),
  ];
  for (const options of sources) {
    const plugin = new Plugin(options);
    await plugin.load();
    plugins.set(plugin.name, plugin);
  }
  const config = await Config.load({ root, pjson, plugins });
  await run(process.argv.slice(2), config);
  await flush();
} catch (error) {
  await handle(error);
}
