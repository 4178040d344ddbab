// Runs the extension-host suite in desktop VS Code (downloaded by @vscode/test-electron) for
// contributors whose machines reach update.code.visualstudio.com. Not used in CI: the CI machine
// reaches only npm and apt, so `npm test` runs the same suite in code-server instead
// (tests/e2e/extension-host.test.ts).
//
//   npm run pretest && node out/tests/vscode/runDesktop.js [--untrusted]
//
// Needs a display (or xvfb-run on Linux).

import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { makeWorkspace, repoRoot } from '../e2e/harness';
import type { SuiteSummary } from './index';

/** The VS Code release code-server 4.100.3 is built from, so both runners test the same API. */
const VSCODE_VERSION = '1.100.3';

async function main(): Promise<number> {
  const mode = process.argv.includes('--untrusted') ? 'untrusted' : 'trusted';
  const workspace = makeWorkspace();
  const scratch = mkdtempSync(join(tmpdir(), 'tsae-desktop-'));
  const userData = join(scratch, 'user-data');
  mkdirSync(join(userData, 'User'), { recursive: true });
  const trust =
    mode === 'untrusted'
      ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.emptyWindow': false }
      : { 'security.workspace.trust.enabled': false };
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify({ 'workbench.startupEditor': 'none', 'update.mode': 'none', ...trust }, null, 2));
  const resultFile = join(scratch, 'result.json');
  let exitCode = 1;
  try {
    // runTests rejects when the tests fail; the summary file says which.
    exitCode = await runTests({
      version: VSCODE_VERSION,
      extensionDevelopmentPath: repoRoot(),
      extensionTestsPath: join(__dirname, 'index.js'),
      extensionTestsEnv: { TSAE_TEST_RESULT: resultFile, TSAE_TEST_MODE: mode },
      launchArgs: [workspace.dir, '--user-data-dir', userData, '--disable-extensions', ...(mode === 'trusted' ? ['--disable-workspace-trust'] : [])],
    });
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
  } finally {
    workspace.dispose();
  }
  if (!existsSync(resultFile)) {
    console.error('[desktop] the suite wrote no result file (VS Code did not start, or index.js failed to load)');
    return 1;
  }
  const summary = JSON.parse(readFileSync(resultFile, 'utf8')) as SuiteSummary;
  console.log(`[desktop ${mode}] ${summary.passed} passed, ${summary.failed} failed`);
  for (const f of summary.failures) console.log(`FAILED ${f.title}\n${f.error}`);
  return summary.failed > 0 ? 1 : exitCode;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
