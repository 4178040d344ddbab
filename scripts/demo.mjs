#!/usr/bin/env node
// `npm run demo`: a real VS Code (code-server) on 127.0.0.1 with TSAE installed from this checkout and
// examples/ opened as a trusted workspace, so linting, training and the panels all work.
// Runs until Ctrl+C, then stops everything it started. `npm run demo` runs setup and the build first.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, startCodeServer } from './vscode-server.mjs';

const workspace = join(repoRoot, 'examples');
if (!existsSync(workspace)) {
  console.error(`[demo] ${workspace} is missing; the demo opens the bundled examples.`);
  process.exit(1);
}
if (!existsSync(join(repoRoot, 'dist', 'extension.js'))) {
  console.error('[demo] dist/extension.js is missing; run `npm run build` (or `npm run demo`, which builds).');
  process.exit(1);
}

// Installed as a user would have it, linked to this checkout (so `npm run build` + "Developer:
// Reload Window" picks up changes). A development host would ignore the user settings (dark theme).
const server = await startCodeServer({ workspace, trust: 'trusted', installExtension: repoRoot });
const url = server.url();

// Ctrl+C (SIGINT), SIGTERM and SIGHUP stop the server's whole process group (see vscode-server.mjs).

console.log(`[demo] VS Code (code-server) is running with TSAE installed from ${repoRoot}`);
console.log(`[demo] workspace: ${workspace} (trusted)`);
console.log(`[demo] server log: ${server.logFile}`);
console.log('[demo] open this URL in a browser on this machine (127.0.0.1 only; webviews need it):\n');
console.log(`  ${url}\n`);
console.log('[demo] Ctrl+C stops the server and everything it started.');
// Keep the process alive; the server is a child in its own process group.
setInterval(() => {}, 1 << 30);
