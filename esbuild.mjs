// Bundles every face of TSAE. Entries whose source does not exist yet are skipped so a partial
// tree still builds; `vscode` stays external (the host provides it) and so does tfjs-node, which
// is optional and loaded only when it is installed.
import { build } from 'esbuild';
import { existsSync, mkdirSync, copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const nodeEntries = {
  extension: 'src/extension/extension.ts',
  server: 'src/server/server.ts',
  worker: 'src/worker/trainWorker.ts',
  cli: 'src/cli/tsae.ts',
  bench: 'bench/bench.ts',
  zoo: 'zoo/main.ts',
};
const webEntries = {
  'webview/dashboard': 'webview/dashboard/main.ts',
  'webview/runs': 'webview/runs/main.ts',
  'webview/compare': 'webview/compare/main.ts',
  'webview/timeline': 'webview/timeline/main.ts',
};

const present = (entries) => Object.fromEntries(Object.entries(entries).filter(([, src]) => existsSync(src)));

mkdirSync('dist', { recursive: true });
const common = { bundle: true, sourcemap: true, logLevel: 'warning', minify: process.env.TSAE_MINIFY === '1' };

// Each entry builds on its own so one broken face does not hide the others; the exit code still fails.
const failed = [];
async function buildEach(entries, options) {
  for (const [name, src] of Object.entries(present(entries))) {
    try {
      await build({ ...common, ...options, entryPoints: { [name]: src }, outdir: 'dist' });
    } catch {
      failed.push(src);
    }
  }
}

await buildEach(nodeEntries, {
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['vscode', '@tensorflow/tfjs-node'],
  // jsonc-parser's UMD main requires its own files at run time, which a bundle cannot; its ESM build bundles.
  mainFields: ['module', 'main'],
  // web-tree-sitter's ESM build locates itself with import.meta.url, which a CommonJS bundle lacks; use its CommonJS build.
  alias: { 'web-tree-sitter': './node_modules/web-tree-sitter/tree-sitter.cjs' },
});
await buildEach(webEntries, { platform: 'browser', target: 'es2022', format: 'iife' });

// tfjs-backend-wasm loads its .wasm binaries from disk at run time; ship them beside the bundles.
const wasmDir = 'node_modules/@tensorflow/tfjs-backend-wasm/dist';
mkdirSync('dist/wasm', { recursive: true });
for (const f of readdirSync(wasmDir).filter((n) => n.endsWith('.wasm'))) copyFileSync(join(wasmDir, f), join('dist/wasm', f));
// The fused LSTM kernel is built from C in the repo and committed next to its source.
const fused = 'src/core/model/fused/lstm_kernel.wasm';
if (existsSync(fused)) copyFileSync(fused, 'dist/wasm/lstm_kernel.wasm');
// The Python front end parses with web-tree-sitter and the tree-sitter-python grammar: only their .wasm files ship.
copyFileSync('node_modules/web-tree-sitter/tree-sitter.wasm', 'dist/wasm/tree-sitter.wasm');
copyFileSync('node_modules/tree-sitter-python/tree-sitter-python.wasm', 'dist/wasm/tree-sitter-python.wasm');

if (failed.length > 0) {
  console.error(`esbuild: failed to bundle ${failed.join(', ')}`);
  process.exit(1);
}
