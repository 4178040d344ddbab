// The browser code may import only webview/ itself, the webview protocol, the display helpers,
// the run artifact and diagnosis types (see webview/tsconfig.json), plus the chart packages (chart.js, the matrix chart, the zoom plugin). A stray import of node or
// vscode code would bloat the bundle or break it in the webview.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repo root: the compiled test may live in out/ or in an outDir elsewhere, so fall back to the cwd. */
function repoRoot(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'webview', 'tsconfig.json'))) return dir;
  }
  return process.cwd();
}
const root = repoRoot();
const webviewDir = path.join(root, 'webview');
const ALLOWED_FILES = [
  'src/core/protocol/webview.ts',
  'src/core/run/types.ts',
  'src/core/diagnosis/types.ts',
  'src/core/scoring/types.ts',
  'src/core/protocol/guards.ts',
  'src/core/types.ts',
  'src/core/format.ts',
  'src/core/run/windows.ts',
].map((f) => path.join(root, f));
const ALLOWED_PACKAGES = new Set(['chart.js', 'chartjs-chart-matrix', 'chartjs-plugin-zoom']);

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [full] : [];
  });
}

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm)].map((m) => m[1] ?? m[2]);
}

test('webview code imports only webview/, the webview protocol, run types and chart packages', () => {
  const files = sources(webviewDir);
  assert.ok(files.length > 10, `expected the webview sources under ${webviewDir}`);
  const offenders: string[] = [];
  for (const file of files) {
    for (const spec of importsOf(file)) {
      if (!spec.startsWith('.')) {
        if (!ALLOWED_PACKAGES.has(spec)) offenders.push(`${path.relative(root, file)}: ${spec}`);
        continue;
      }
      if (spec.endsWith('.css')) continue;
      const target = path.resolve(path.dirname(file), spec) + '.ts';
      const inside = target.startsWith(webviewDir + path.sep);
      if (!inside && !ALLOWED_FILES.includes(target)) offenders.push(`${path.relative(root, file)}: ${spec}`);
    }
  }
  assert.deepEqual(offenders, []);
});

test('the shared protocol and run types import nothing the browser cannot have', () => {
  for (const file of ALLOWED_FILES) {
    for (const spec of importsOf(file)) {
      const target = path.resolve(path.dirname(file), spec) + '.ts';
      assert.ok(ALLOWED_FILES.includes(target), `${path.relative(root, file)} imports ${spec}`);
    }
  }
});
