// Runs the mocha suites in tests/vscode/ inside a real VS Code extension host (code-server) and
// reports each mocha test as a node:test subtest, so `npm test` prints one summary.
// Two sessions: the trusted workspace (activation, diagnostics, code actions, training) and the
// same folder in restricted mode (trust enabled, never granted).

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SuiteSummary } from '../vscode/index';
import { activationError, assertPrerequisites, deadline, launchBrowser, makeWorkspace, repoRoot, startCodeServer } from './harness';

/** Mocha's own run has 60 s per test; this bounds the whole session including start-up. */
const SESSION_TIMEOUT_MS = 240_000;

async function runSession(mode: 'trusted' | 'untrusted'): Promise<{ exitCode: number; summary: SuiteSummary | undefined; console: string[] }> {
  assertPrerequisites();
  const root = repoRoot();
  // Next to this file's compiled output (out/tests/ in CI), so mocha resolves from the checkout's node_modules.
  const testsEntry = join(__dirname, '..', 'vscode', 'index.js');
  if (!existsSync(testsEntry)) throw new Error(`${testsEntry} is missing; run \`tsc -p tsconfig.test.json\``);
  const workspace = makeWorkspace();
  const resultFile = join(workspace.dir, '..', 'result.json');
  const server = await startCodeServer({
    workspace: workspace.dir,
    trust: mode,
    env: { TSAE_TEST_RESULT: resultFile, TSAE_TEST_MODE: mode },
  });
  const browser = await launchBrowser();
  const consoleLines: string[] = [];
  const limit = deadline(SESSION_TIMEOUT_MS, `the ${mode} extension-host suite did not exit`);
  let watcher: NodeJS.Timeout | undefined;
  const page = await browser.context.newPage();
  try {
    page.on('console', (m) => consoleLines.push(m.text()));
    let exited!: (code: number) => void;
    const exit = new Promise<number>((resolve) => (exited = resolve));
    // The workbench calls this when the test extension host exits (VS Code's automation hook).
    await page.exposeFunction('codeAutomationExit', (code: number) => exited(code));
    const activationFailed = new Promise<never>((_, reject) => {
      watcher = setInterval(() => {
        const error = activationError(server);
        if (error) reject(new Error(`TSAE failed to activate:\n${error}`));
      }, 1000);
    });
    await page.goto(server.url({ extensionDevelopmentPath: root, extensionTestsPath: testsEntry }));
    const exitCode = await Promise.race([exit, limit.promise, activationFailed]);
    const summary = existsSync(resultFile) ? (JSON.parse(readFileSync(resultFile, 'utf8')) as SuiteSummary) : undefined;
    return { exitCode, summary, console: consoleLines };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const shot = join(repoRoot(), 'test-results', 'screenshots', `FAILED-extension-host-${mode}.png`);
    mkdirSync(dirname(shot), { recursive: true });
    await page.screenshot({ path: shot }).catch(() => undefined);
    throw new Error(
      `${message}\nscreenshot: ${shot}\n--- browser console (last 40) ---\n${consoleLines.slice(-40).join('\n')}\n--- server log ---\n${server.logTail(30)}\n--- extension host log (tail) ---\n${server.extensionHostLog().split('\n').slice(-40).join('\n')}`,
    );
  } finally {
    clearInterval(watcher);
    limit.cancel();
    await browser.close();
    await server.stop();
    workspace.dispose();
  }
}

// TSAE_E2E_SESSIONS=trusted (or untrusted) runs one session; TSAE_TEST_GREP filters mocha tests.
const sessions = (process.env.TSAE_E2E_SESSIONS ?? 'trusted,untrusted').split(',') as Array<'trusted' | 'untrusted'>;

for (const mode of sessions) {
  describe(`extension host (${mode} workspace, code-server)`, () => {
    let session: Awaited<ReturnType<typeof runSession>> | undefined;
    before(
      async () => {
        session = await runSession(mode);
      },
      { timeout: SESSION_TIMEOUT_MS + 60_000 },
    );

    test('the mocha suite runs to the end and exits with code 0', () => {
      assert.ok(session?.summary, `no result file; exit code ${session?.exitCode}\n${session?.console.slice(-40).join('\n')}`);
      const { summary, exitCode } = session;
      console.log(`[${mode}] mocha in the extension host: ${summary.passed} passed, ${summary.failed} failed`);
      assert.ok(summary.passed + summary.failed > 0, 'mocha ran no tests');
      const failures = summary.failures.map((f) => `- ${f.title}: ${f.error.split('\n')[0]}`).join('\n');
      assert.equal(exitCode, 0, `extension host exited with ${exitCode}; failures:\n${failures}`);
    });

    test('mocha results', async (t) => {
      if (!session?.summary) throw new Error('no mocha results (see the test above)');
      for (const result of session.summary.tests) {
        await t.test(result.title, (sub) => {
          sub.diagnostic(`${result.durationMs} ms in the extension host`);
          if (result.state !== 'failed') return;
          // The stack is the extension host's; this process's frames would only add noise.
          const error = new Error(result.error ?? 'failed');
          error.stack = result.error;
          throw error;
        });
      }
    });
  });
}
