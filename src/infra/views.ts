import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';

/** The project's `views/` folder, found from this module both in `src/` and in the compiled `dist/src/`. */
function findViewsDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, 'views');
    if (fs.existsSync(path.join(candidate, 'email'))) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error('views/ folder not found next to the installed package');
}

/** The eta templates in `views/`: HTML with every interpolation escaped, and plain text. */
export class Views {
  private readonly htmlEta: Eta;
  private readonly textEta: Eta;

  constructor(viewsDir: string = findViewsDir()) {
    this.htmlEta = new Eta({ views: viewsDir, autoEscape: true, cache: true });
    this.textEta = new Eta({ views: viewsDir, autoEscape: false, cache: true, autoTrim: false });
  }

  /** Renders an HTML template (`email/report`, `unsubscribe/page`, …); values are HTML-escaped. */
  html(name: string, data: object): string {
    return this.htmlEta.render(`./${name}`, data);
  }

  /** Renders a plain-text template; nothing is escaped. */
  text(name: string, data: object): string {
    return this.textEta.render(`./${name}`, data);
  }
}
