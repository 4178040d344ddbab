// `tsae eval` on a run trained by `tsae train`: both real, via dist/cli.js.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { interpolateQuantile } from '../../src/core/run/score';
import { DIST_DIR, ecgConfig, tempDir, writeConfig } from '../train/helpers';

const CLI = path.join(DIST_DIR, 'cli.js');

function tsae(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('thresholds between stored quantiles are interpolated linearly', () => {
  const t = { windows: 10, quantiles: { '0': 0, '0.9': 9, '0.99': 18, '1': 20 } };
  assert.equal(interpolateQuantile(t, 0.99), 18);
  assert.equal(interpolateQuantile(t, 0.45), 4.5);
  assert.ok(Math.abs(interpolateQuantile(t, 0.995) - 19) < 1e-9);
  assert.equal(interpolateQuantile(t, 1), 20);
});

describe('tsae eval', { skip: fs.existsSync(CLI) ? false : 'dist/cli.js missing: run npm run build' }, () => {
  let runDir = '';
  let dataFile = '';

  before(() => {
    const config = ecgConfig({ name: 'eval-source', training: { epochs: 2, batchSize: 8 } });
    dataFile = String((config.data as { path: string }).path);
    const out = tempDir('tsae-eval-runs-');
    const r = tsae(['train', writeConfig(config), '--json', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    runDir = (JSON.parse(r.stdout.trim().split('\n').pop()!) as { runDir: string }).runDir;
  });

  test('scores every window of the data against the training-error threshold', () => {
    const r = tsae(['eval', runDir, dataFile, '--json', '--threshold-quantile', '0.9']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as {
      count: number; anomalies: number; threshold: number; thresholdQuantile: number; auc?: number;
      windows: Array<{ error: number; anomaly: boolean; label?: number }>;
    };
    const rows = fs.readFileSync(dataFile, 'utf8').trim().split('\n').length;
    assert.equal(report.count, rows, 'one window per UCR row');
    assert.equal(report.thresholdQuantile, 0.9);
    const thresholds = JSON.parse(fs.readFileSync(path.join(runDir, 'thresholds.json'), 'utf8')) as { quantiles: Record<string, number> };
    assert.equal(report.threshold, thresholds.quantiles['0.9']);
    assert.equal(report.anomalies, report.windows.filter((w) => w.error > report.threshold).length);
    assert.ok(report.windows.every((w) => w.anomaly === w.error > report.threshold));
    assert.ok(report.auc !== undefined && report.auc > 0.5, `AUC ${report.auc}`);
  });

  test('plain output lists windows and the anomaly count', () => {
    const r = tsae(['eval', runDir, dataFile]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^window\tstart\tlabel\terror\tanomaly$/m);
    assert.match(r.stdout, /^\d+ of 80 windows above the threshold [\d.e+-]+ \(the 0\.99 quantile/m);
  });

  test('a folder that is not a run exits 1 naming the missing file', () => {
    const r = tsae(['eval', tempDir('tsae-not-a-run-'), dataFile]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /config\.resolved\.json: is missing/);
  });

  test('bad options exit 2', () => {
    assert.equal(tsae(['eval', runDir]).code, 2);
    assert.equal(tsae(['eval', runDir, dataFile, '--threshold-quantile', '1.5']).code, 2);
  });
});
