// Renders the extension icon media/icon.png (128x128, the size the Marketplace shows) from
// scripts/icon.svg in headless chromium (playwright-core, the browser the e2e suite uses): a time
// series (blue) and its reconstruction (orange dots) over an autoencoder's narrowing bottleneck.
// Run `node scripts/make-icon.mjs` after editing the SVG; the PNG is committed.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const svg = readFileSync(join(root, 'scripts', 'icon.svg'), 'utf8');
const browser = await chromium.launch({ executablePath: process.env.TSAE_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ viewport: { width: 128, height: 128 }, deviceScaleFactor: 1 });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  await page.locator('svg').screenshot({ path: join(root, 'media', 'icon.png'), omitBackground: true });
} finally {
  await browser.close();
}
console.log('wrote media/icon.png');
