// `tsae lint` on Python files and notebooks: the bundled CLI as a child process, text, json and
// sarif, globs naming .py files, and a malformed notebook reported as a finding naming the file.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../helpers/textEdits';

const root = repoRoot();
const cli = join(root, 'dist', 'cli.js');

function tsae(args: string[]): { status: number | null; stdout: string; stderr: string } {
  assert.ok(existsSync(cli), `${cli} is missing; run \`node esbuild.mjs\` first`);
  const run = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('tsae lint on Python', () => {
  test('a .py file: text output with file:line:column, exit 1 for the error-level TSAE102', () => {
    const run = tsae(['lint', 'tests/fixtures/python/report3_torch_lstmcell_mean.py']);
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stdout, /report3_torch_lstmcell_mean\.py:76:\d+: error TSAE102/);
    assert.match(run.stdout, /report3_torch_lstmcell_mean\.py:65:\d+: warning TSAE104/);
    assert.match(run.stdout, /report3_torch_lstmcell_mean\.py:85:\d+: warning TSAE103/);
  });

  test('a notebook: json output places the finding on the cell source line in the .ipynb', () => {
    const run = tsae(['lint', '--format', 'json', 'tests/fixtures/python/notebook_keras_relu.ipynb']);
    assert.equal(run.status, 0, run.stderr);
    const findings = JSON.parse(run.stdout) as Array<{ code: string; line: number; message: string }>;
    assert.deepEqual(
      findings.map((f) => [f.code, f.line]),
      [['TSAE101', 30]],
    );
    assert.match(findings[0].message, /^cell 3, line 4: /);
  });

  test('sarif for a glob naming .py files; clean files give no result', () => {
    const run = tsae(['lint', '--format', 'sarif', 'tests/fixtures/python/keras_*clean*.py']);
    assert.equal(run.status, 0, run.stderr);
    const sarif = JSON.parse(run.stdout) as { runs: Array<{ results: unknown[] }> };
    assert.deepEqual(sarif.runs[0].results, []);
  });

  test('a malformed notebook is one TSAE001 naming the file, not a crash', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsae-nb-'));
    try {
      const file = join(dir, 'broken.ipynb');
      writeFileSync(file, '{"nbformat": 4}');
      const run = tsae(['lint', file]);
      assert.equal(run.status, 1);
      assert.match(run.stdout, /TSAE001 .*broken\.ipynb: not a Jupyter notebook \(no "cells" list\)/);
      assert.equal(run.stderr, '');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
