// The .vsix holds only what runs and what a user reads. Packages the extension as `npm run
// package` does (vsce, no dependencies: everything is bundled) with a stray run folder and an
// untracked data file planted under examples/, then lists the archive and fails on any file
// outside the allowlist, and on any required file missing.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { packageVsix, zipEntries } from '../helpers/zip';

function repoRoot(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, '.vscodeignore')) && fs.existsSync(path.join(dir, 'package.json'))) return dir;
  }
  return process.cwd();
}
const root = repoRoot();

/** Every file the package may hold (paths inside `extension/`). */
const ALLOWED = [
  /^package\.json$/,
  // vsce stores these two in lower case.
  /^(readme|changelog)\.md$/,
  /^LICENSE(\.txt)?$/,
  /^dist\/(extension|server|worker)\.js$/,
  /^dist\/webview\/(dashboard|runs|compare|timeline)\.(js|css)$/,
  /^dist\/wasm\/[\w-]+\.wasm$/,
  /^media\/(icon\.png|tsae\.svg)$/,
  /^schemas\/tsae\.schema\.json$/,
  /^syntaxes\/tsae-(yaml|json)\.tmLanguage\.json$/,
  /^snippets\/tsae-yaml\.json$/,
  /^language-configuration\.(yaml|json)\.json$/,
  /^docs\/rules\/(TSAE\d{3}|README)\.md$/,
  /^docs\/(config|panels|diagnosis)\.md$/,
];

const REQUIRED = [
  'package.json',
  'readme.md',
  'changelog.md',
  'dist/extension.js',
  'dist/server.js',
  'dist/worker.js',
  'dist/webview/dashboard.js',
  'dist/webview/runs.js',
  'dist/webview/compare.js',
  'dist/webview/timeline.js',
  'dist/wasm/lstm_kernel.wasm',
  'media/icon.png',
  'schemas/tsae.schema.json',
  'snippets/tsae-yaml.json',
];

test('the .vsix holds only the allowlisted files (no run folders, user data, sources, maps, CLI)', (t) => {
  for (const bundle of ['extension.js', 'server.js', 'worker.js', 'cli.js']) {
    assert.ok(fs.existsSync(path.join(root, 'dist', bundle)), `dist/${bundle} is missing: run npm run build first`);
  }
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tsae-vsix-'));
  const vsix = path.join(out, 'tsae.vsix');
  // What once leaked into the package: a run folder and a user's data file under examples/.
  const strayRun = path.join(root, 'examples', '.tsae', 'runs', `vsix-test-${process.pid}`);
  const strayData = path.join(root, 'examples', 'data', `vsix-test-${process.pid}.csv`);
  fs.mkdirSync(strayRun, { recursive: true });
  fs.writeFileSync(path.join(strayRun, 'summary.json'), '{}');
  fs.writeFileSync(strayData, 'timestamp,value\n1,2\n');
  try {
    packageVsix(root, vsix);
  } finally {
    fs.rmSync(strayRun, { recursive: true, force: true });
    fs.rmSync(strayData, { force: true });
    const runs = path.join(root, 'examples', '.tsae', 'runs');
    if (fs.existsSync(runs) && fs.readdirSync(runs).length === 0) fs.rmSync(path.join(root, 'examples', '.tsae'), { recursive: true, force: true });
  }
  const entries = zipEntries(vsix);
  const files = entries.filter((e) => e.startsWith('extension/') && !e.endsWith('/')).map((e) => e.slice('extension/'.length));
  const outside = entries.filter((e) => !e.startsWith('extension/') && e !== 'extension.vsixmanifest' && e !== '[Content_Types].xml');
  assert.deepEqual(outside, [], 'unexpected entries outside extension/');
  const unexpected = files.filter((f) => !ALLOWED.some((re) => re.test(f)));
  assert.deepEqual(unexpected, [], `files in the .vsix that do not run:\n${unexpected.join('\n')}`);
  const missing = REQUIRED.filter((f) => !files.includes(f));
  if (!files.some((f) => /^LICENSE(\.txt)?$/.test(f))) missing.push('LICENSE');
  assert.deepEqual(missing, [], 'required files missing from the .vsix');
  // Every rule and detector page the diagnostics link to is in the package.
  const pages = fs.readdirSync(path.join(root, 'docs', 'rules')).filter((f) => /^TSAE\d{3}\.md$/.test(f));
  assert.ok(pages.length >= 20, `only ${pages.length} rule pages in docs/rules`);
  assert.deepEqual(
    pages.filter((p) => !files.includes(`docs/rules/${p}`)),
    [],
  );
  const size = fs.statSync(vsix).size;
  // Printed by the test runner as a diagnostic: the record of what a user downloads.
  t.diagnostic(`tsae.vsix: ${files.length} files, ${(size / 1e6).toFixed(2)} MB`);
  fs.rmSync(out, { recursive: true, force: true });
});

test('the manifest names an icon that exists and ships', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { icon?: string };
  assert.equal(manifest.icon, 'media/icon.png');
  const png = fs.readFileSync(path.join(root, manifest.icon));
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
  // The IHDR chunk holds width and height: the Marketplace wants at least 128x128.
  assert.ok(png.readUInt32BE(16) >= 128 && png.readUInt32BE(20) >= 128, `icon is ${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`);
});
