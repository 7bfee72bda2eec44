import { expect } from 'chai';
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { api, startHarness, type Harness } from '../../helpers/harness.js';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

describe('GET /docs: the API reference page', function () {
  this.timeout(180_000);
  let h: Harness;
  before(async () => {
    h = await startHarness('pglite');
  });
  after(() => h?.close());

  it('serves the page and Scalar’s bundle from this origin, under a CSP that allows no other', async () => {
    const page = await fetch(`${h.baseUrl}/docs`);
    expect(page.status).to.equal(200);
    expect(page.headers.get('content-type')).to.match(/^text\/html/);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).to.include("script-src 'self'").and.include("connect-src 'self'").and.include("frame-ancestors 'none'");
    expect(csp).to.not.match(/script-src[^;]*(unsafe-inline|unsafe-eval|https?:)/);
    const html = await page.text();
    expect(html).to.include('<script src="docs/scalar.js"></script>');
    expect(html).to.not.match(/<script>|https?:\/\//);
    const bundle = await fetch(`${h.baseUrl}/docs/scalar.js`);
    expect(bundle.status).to.equal(200);
    expect(bundle.headers.get('content-type')).to.match(/^application\/javascript/);
    expect((await bundle.arrayBuffer()).byteLength).to.be.greaterThan(1_000_000);
    expect((await api(h.baseUrl).get('/docs/nothing.js')).status).to.equal(404);
  });

  it('renders the operation list in real Chromium with no console error and no request elsewhere', async function () {
    if (!fs.existsSync(CHROMIUM)) {
      console.log(`      (skipped: ${CHROMIUM} is missing; install Debian's chromium package to run it)`);
      this.skip();
    }
    let browser: Browser | undefined;
    try {
      browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, timeout: 60_000 });
      const page = await browser.newPage();
      const problems: string[] = [];
      const elsewhere: string[] = [];
      const origin = new URL(h.baseUrl).origin;
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`page: ${e.message}`));
      await page.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith(origin) || url.startsWith('data:')) return route.continue();
        elsewhere.push(url);
        return route.abort();
      });
      const res = await page.goto(`${h.baseUrl}/docs`, { waitUntil: 'load' });
      expect(res!.status()).to.equal(200);
      // Operations appear by their summaries, ours included.
      try {
        for (const summary of [
          'Dashboard data: identity, opportunities with progress, badges and metrics',
          "The dashboard's report subscriptions, oldest first, each address masked",
        ])
          await page.getByText(summary).first().waitFor({ state: 'attached', timeout: 90_000 });
      } catch (err) {
        throw new Error(
          `${(err as Error).message}\nproblems: ${problems.join('\n')}\nelsewhere: ${elsewhere.join(' ')}\n${(await page.locator('body').innerText()).slice(0, 3000)}`,
        );
      }
      await page.waitForTimeout(500); // errors raised while the rest renders
      expect(problems).to.deep.equal([]);
      expect(elsewhere).to.deep.equal([]);
    } finally {
      await browser?.close();
    }
  });
});
