// `tsae train` as a user runs it: the real dist/cli.js in a child process, training in the real
// worker on a slice of the example data.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DIST_DIR, sensorsConfig, tempDir, writeConfig } from '../train/helpers';

const CLI = path.join(DIST_DIR, 'cli.js');

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function tsae(args: string[], onStdout?: (text: string, child: ReturnType<typeof spawn>) => void): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      onStdout?.(stdout, child);
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const missing = !fs.existsSync(CLI) || !fs.existsSync(path.join(DIST_DIR, 'worker.js'));

describe('tsae train', { skip: missing ? 'dist/cli.js or dist/worker.js missing: run npm run build' : false }, () => {
  test('--json prints the backend, one line per epoch and a final summary; exit 0', async () => {
    const out = tempDir('tsae-cli-runs-');
    const config = writeConfig(sensorsConfig({ name: 'cli-json', training: { epochs: 5 } }));
    const r = await tsae(['train', config, '--json', '--epochs', '2', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    // The folder is announced first: it exists before the worker loads the data.
    assert.equal(lines[0].type, 'runFolder');
    assert.match(String(lines[1].message), /^backend: /);
    assert.deepEqual(
      lines.filter((l) => l.type === 'epoch').map((l) => l.epoch),
      [1, 2],
    );
    const summary = lines[lines.length - 1];
    assert.equal(summary.type, 'summary');
    assert.equal(summary.status, 'completed');
    assert.equal(summary.epochs, 2);
    assert.ok(fs.existsSync(path.join(String(summary.runDir), 'summary.json')));
    assert.equal(path.dirname(String(summary.runDir)), out);
    assert.equal(lines[0].runDir, summary.runDir);
  });

  test('plain output names the run folder and each epoch', async () => {
    const out = tempDir('tsae-cli-runs-');
    const config = writeConfig(sensorsConfig({ name: 'cli-text' }));
    const r = await tsae(['train', config, '--out', out, '--backend', 'cpu']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^backend: cpu \(requested/m);
    assert.match(r.stdout, /^run folder: .*cli-text/m);
    assert.match(r.stdout, /^epoch 1\/1 {2}loss [\d.e+-]+ {2}val /m);
    assert.match(r.stdout, /^status completed, 1 epochs/m);
  });

  test('a broken config exits 1 naming file, line and field', async () => {
    const dir = tempDir('tsae-cli-bad-');
    const config = writeConfig(sensorsConfig({ name: 'cli-bad', model: { latent: { size: 0 } } }), dir);
    const r = await tsae(['train', config, '--out', path.join(dir, 'runs')]);
    assert.equal(r.code, 1);
    const line =
      fs
        .readFileSync(config, 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('"size": 0')) + 1;
    assert.ok(r.stderr.includes(`${config}:${line}:`), r.stderr);
    assert.match(r.stderr, /model\.latent\.size/);
  });

  test('bad options exit 2 with the usage', async () => {
    const r = await tsae(['train', 'x.tsae.yaml', '--epochs', 'many']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--epochs needs a whole number/);
    assert.match(r.stderr, /Usage: tsae train/);
  });

  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    test(`${signal} cancels after the current batch, saves the run and exits 130`, { skip: process.platform === 'win32' ? `no ${signal} on Windows` : false }, async () => {
      const out = tempDir('tsae-cli-runs-');
      const config = writeConfig(sensorsConfig({ name: `cli-${signal.toLowerCase()}`, training: { epochs: 500, batchSize: 4 } }));
      let sent = false;
      const r = await tsae(['train', config, '--json', '--out', out], (text, child) => {
        if (!sent && text.includes('"type":"epoch"')) {
          sent = true;
          child.kill(signal);
        }
      });
      assert.equal(r.code, 130, r.stderr);
      const summary = JSON.parse(r.stdout.trim().split('\n').pop()!) as { status: string; runDir: string };
      assert.equal(summary.status, 'cancelled');
      assert.ok(fs.existsSync(path.join(summary.runDir, 'model', 'model.json')));
      const onDisk = JSON.parse(fs.readFileSync(path.join(summary.runDir, 'summary.json'), 'utf8')) as { status: string };
      assert.equal(onDisk.status, 'cancelled', 'the folder records the cancel, not running');
    });
  }
});
