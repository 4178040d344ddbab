// What both end-to-end suites need: a throwaway workspace (the bundled examples plus the test
// configs), a real VS Code (code-server, via scripts/vscode-server.mjs, shared with `npm run demo`)
// and headless Debian chromium driven by playwright-core.

import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'scripts', 'vscode-server.mjs'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no TSAE checkout above ${__dirname}`);
    dir = up;
  }
  return dir;
}

export interface CodeServer {
  port: number;
  authority: string;
  dir: string;
  logFile: string;
  workspace: string;
  url(options?: { extensionDevelopmentPath?: string; extensionTestsPath?: string; folder?: string }): string;
  logTail(lines?: number): string;
  extensionHostLog(): string;
  stop(): Promise<void>;
}

interface CodeServerModule {
  startCodeServer(options: {
    workspace: string;
    trust?: 'trusted' | 'untrusted';
    env?: Record<string, string>;
    settings?: Record<string, unknown>;
    keepDir?: boolean;
    /** Install this extension folder (linked into the extensions dir) instead of a development host. */
    installExtension?: string;
  }): Promise<CodeServer>;
}

export function startCodeServer(options: Parameters<CodeServerModule['startCodeServer']>[0]): Promise<CodeServer> {
  // The helper is plain ESM so the demo can use it without a build; Node 20.19+ require()s ESM.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(join(repoRoot(), 'scripts', 'vscode-server.mjs')) as CodeServerModule;
  return mod.startCodeServer(options);
}

/** Fails with the command to run when setup has not installed what the suites drive. */
export function assertPrerequisites(): void {
  const root = repoRoot();
  const missing: string[] = [];
  if (!existsSync(join(root, '.vscode-test', 'code-server', 'node_modules', '.bin', 'code-server'))) missing.push('code-server (.vscode-test/code-server)');
  if (!existsSync(CHROMIUM)) missing.push(`chromium (${CHROMIUM})`);
  if (!existsSync(join(root, 'dist', 'extension.js'))) missing.push('dist/extension.js (npm run build)');
  if (missing.length > 0) {
    throw new Error(`end-to-end prerequisites missing: ${missing.join(', ')}. Run \`node scripts/setup.mjs test && npm run build\` (needs the npm registry and apt).`);
  }
}

/**
 * A fresh folder with a copy of examples/ (pitfall configs, data) and tests/vscode/workspace/ (small
 * configs the suites train and edit), so runs and edits never touch the checkout.
 */
export function makeWorkspace(): { dir: string; dispose(): void } {
  const root = repoRoot();
  const parent = mkdtempSync(join(tmpdir(), 'tsae-e2e-ws-'));
  const dir = join(parent, 'workspace');
  mkdirSync(dir);
  const examples = join(root, 'examples');
  if (existsSync(examples)) {
    // Runs from `npm run demo` (examples/.tsae) would show up in the side panel; leave them out.
    cpSync(examples, dir, { recursive: true, filter: (src) => basename(src) !== '.tsae' });
  }
  cpSync(join(root, 'tests', 'vscode', 'workspace'), dir, { recursive: true });
  return { dir, dispose: () => rmSync(parent, { recursive: true, force: true }) };
}

export const CHROMIUM = process.env.TSAE_CHROMIUM ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'tsae-pw-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1400, height: 900 },
    colorScheme: 'dark',
  });
  return {
    context,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Rejects after ms with a message naming what did not happen; the suites fail instead of hanging. */
export function deadline(ms: number, what: string): { promise: Promise<never>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s: ${what}`)), ms);
  });
  promise.catch(() => undefined);
  return { promise, cancel: () => clearTimeout(timer) };
}

/** Extension-host log lines that mean TSAE failed to activate; checked to fail fast. */
export function activationError(server: CodeServer): string | undefined {
  const log = server.extensionHostLog();
  const line = log.split('\n').find((l) => /Activating extension .?tsae-lab\.tsae.? failed/i.test(l));
  if (!line) return undefined;
  const at = log.indexOf(line);
  return log.slice(at, at + 2000);
}

