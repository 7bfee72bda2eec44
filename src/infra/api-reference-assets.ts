import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The files of the API reference page, shipped in the package: Scalar's standalone bundle, read once. */
export class ApiReferenceAssets {
  private bundle: Promise<Buffer> | null = null;

  /** Scalar's standalone browser bundle (`@scalar/api-reference`), from node_modules: no CDN. */
  scalarBundle(): Promise<Buffer> {
    this.bundle ??= readFile(require.resolve('@scalar/api-reference/browser/standalone.js')).catch((err: unknown) => {
      this.bundle = null;
      throw err;
    });
    return this.bundle;
  }
}
