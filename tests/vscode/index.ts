// Entry for the extension-host suite: VS Code (code-server) loads this module through the URL
// payload's extensionTestsPath and calls run() inside the extension host, where `vscode` is real.
// tests/e2e/extension-host.test.ts starts the server, the browser and reads the JSON summary.
//
// Which suites run is chosen by TSAE_TEST_MODE: `trusted` (default) runs *.suite.js, `untrusted`
// runs *.untrusted.js (a second session whose folder is in restricted mode).

import Mocha from 'mocha';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SuiteResult {
  title: string;
  state: 'passed' | 'failed';
  durationMs: number;
  error?: string;
}

export interface SuiteSummary {
  mode: string;
  passed: number;
  failed: number;
  failures: Array<{ title: string; error: string }>;
  tests: SuiteResult[];
}

export function run(): Promise<void> {
  const mode = process.env.TSAE_TEST_MODE ?? 'trusted';
  const suffix = mode === 'untrusted' ? '.untrusted.js' : '.suite.js';
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000 });
  if (process.env.TSAE_TEST_GREP) mocha.grep(process.env.TSAE_TEST_GREP);
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith(suffix))
    .sort();
  if (files.length === 0) return Promise.reject(new Error(`no ${suffix} files in ${__dirname}`));
  for (const f of files) mocha.addFile(join(__dirname, f));

  const summary: SuiteSummary = { mode, passed: 0, failed: 0, failures: [], tests: [] };
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      writeSummary(summary);
      if (failures > 0) reject(new Error(`${failures} of ${summary.tests.length} extension-host tests failed`));
      else resolve();
    });
    runner.on('pass', (test) => {
      summary.passed++;
      summary.tests.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration ?? 0 });
    });
    runner.on('fail', (test, error: Error) => {
      // Hook failures ("before all" ...) arrive here too; they count as failures of their suite.
      const message = error?.stack ?? String(error);
      summary.failed++;
      summary.failures.push({ title: test.fullTitle(), error: message });
      summary.tests.push({ title: test.fullTitle(), state: 'failed', durationMs: test.duration ?? 0, error: message });
    });
  });
}

function writeSummary(summary: SuiteSummary): void {
  const file = process.env.TSAE_TEST_RESULT;
  if (file) writeFileSync(file, JSON.stringify(summary, null, 2));
  console.log(`[tsae-vscode-tests] ${summary.mode}: ${summary.passed} passed, ${summary.failed} failed`);
}
