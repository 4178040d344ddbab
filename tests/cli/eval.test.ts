// `tsae eval` on a run trained by `tsae train`: both real, via dist/cli.js.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DIST_DIR, ecgConfig, sensorsConfig, tempDir, writeConfig } from '../train/helpers';
import { parseEvalArgs } from '../../src/cli/eval';
import { scoresAgainstHistory } from '../../src/core/scoring/history';
import { smoothScores } from '../../src/core/scoring/smoothing';
import type { ScoresFile } from '../../src/core/scoring/types';
import { isHostToTimeline } from '../../src/core/protocol/webview';

const CLI = path.join(DIST_DIR, 'cli.js');

function tsae(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

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
    const r = tsae(['eval', runDir, dataFile, '--json', '--threshold-quantile', '0.9', '--windows']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as {
      count: number;
      anomalies: number;
      threshold: number;
      thresholdRule: unknown;
      windows: Array<{ score: number; anomaly: boolean; label?: number; start: number; line: number }>;
      events: Array<{ start: number; end: number; peakScore: number }>;
      metrics?: { auc?: number; windows?: { truePositives: number; falsePositives: number } };
    };
    const rows = fs.readFileSync(dataFile, 'utf8').trim().split('\n').length;
    assert.equal(report.count, rows, 'one window per UCR row');
    assert.deepEqual(report.thresholdRule, { kind: 'quantile', q: 0.9 });
    const thresholds = JSON.parse(fs.readFileSync(path.join(runDir, 'thresholds.json'), 'utf8')) as { quantiles: Record<string, number> };
    assert.equal(report.threshold, thresholds.quantiles['0.9']);
    assert.equal(report.anomalies, report.windows.filter((w) => w.score > report.threshold).length);
    assert.ok(report.windows.every((w) => w.anomaly === w.score > report.threshold));
    // No timestamp column: windows and events are named by line; each flagged row is one event.
    assert.deepEqual(
      report.windows.slice(0, 2).map((w) => w.start),
      [1, 2],
    );
    assert.equal(report.events.length, report.anomalies);
    const flagged = report.windows.filter((w) => w.anomaly);
    assert.deepEqual(
      report.events.map((e) => [e.start, e.end, e.peakScore]),
      flagged.map((w) => [w.line, w.line, w.score]),
    );
    // The label column (trainLabels [1]) is used: AUC of normal beats vs the rest.
    assert.ok(report.metrics?.auc !== undefined && report.metrics.auc > 0.5, `AUC ${report.metrics?.auc}`);
    const counts = report.metrics?.windows;
    assert.ok(counts);
    assert.equal(counts.truePositives + counts.falsePositives, report.anomalies);
  });

  test("defaults to the run's own data; --save writes scores.json", () => {
    const r = tsae(['eval', runDir, '--json', '--save']);
    assert.equal(r.code, 0, r.stderr);
    const scores = JSON.parse(fs.readFileSync(path.join(runDir, 'scores.json'), 'utf8')) as { windows: { score: number[] }; stepScores: number[][]; dataFile: string };
    assert.equal(scores.dataFile, dataFile);
    assert.equal(scores.windows.score.length, (JSON.parse(r.stdout) as { count: number }).count);
    assert.equal(scores.stepScores[0].length, 140);
  });

  test('plain output lists windows and the anomaly count', () => {
    const r = tsae(['eval', runDir, dataFile, '--windows']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^window\tline\tlabel\tscore\tanomaly$/m);
    assert.match(r.stdout, /^\d+ of 80 windows above the threshold [\d.e+-]+ \(mean \+ 5 std of the training windows/m);
    assert.match(r.stdout, /^ROC AUC over windows \(32 anomalous, 48 normal\): [01]\.\d{3}$/m);
  });

  test('series-only options on rows are said to be ignored, not dropped silently', () => {
    const r = tsae(['eval', runDir, dataFile, '--history', '10', '--smoothing', '2']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /warning: smoothing 2 ignored: the data are rows of independent sequences/);
    assert.match(r.stderr, /warning: history 10 ignored/);
  });

  test('a folder that is not a run exits 1 naming the missing file', () => {
    const r = tsae(['eval', tempDir('tsae-not-a-run-'), dataFile]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /config\.resolved\.json: is missing/);
  });

  test('bad options exit 2', () => {
    assert.equal(tsae(['eval']).code, 2);
    assert.equal(tsae(['eval', runDir, dataFile, 'extra']).code, 2);
    assert.equal(tsae(['eval', runDir, dataFile, '--threshold-quantile', '1.5']).code, 2);
    assert.equal(tsae(['eval', runDir, dataFile, '--threshold', 'high']).code, 2);
    assert.equal(tsae(['eval', runDir, dataFile, '--smoothing', '-1']).code, 2);
    assert.equal(tsae(['eval', runDir, dataFile, '--smoothing', 'wide']).code, 2);
    assert.equal(tsae(['eval', runDir, dataFile, '--history', '-1']).code, 2);
    assert.equal(tsae(['eval', runDir, dataFile, '--history']).code, 2);
    assert.deepEqual(parseEvalArgs(['run', '--smoothing', '0.5']), { runDir: 'run', json: false, save: false, windows: false, smoothing: 0.5 });
  });

  test('a label file that does not fit exits 1 naming it', () => {
    const labels = path.join(tempDir('tsae-eval-labels-'), 'labels.json');
    fs.writeFileSync(labels, '[["a"]]');
    const r = tsae(['eval', runDir, dataFile, '--labels', labels]);
    assert.equal(r.code, 1);
    assert.ok(r.stderr.includes(labels) && /window 1 is/.test(r.stderr), r.stderr);
  });
});

describe('tsae eval of a run whose decoder stacks two layers under the latent state', { skip: fs.existsSync(CLI) ? false : 'dist/cli.js missing: run npm run build' }, () => {
  test('trains 2 epochs and scores every window with the model rebuilt from the config', () => {
    const config = sensorsConfig({ name: 'eval-state-fed', model: { bridge: 'initialState', decoder: [{ units: 6 }, { units: 6 }] }, training: { epochs: 2 } });
    const trained = tsae(['train', writeConfig(config), '--json', '--out', tempDir('tsae-eval-runs-')]);
    assert.equal(trained.code, 0, trained.stderr + trained.stdout);
    const summary = JSON.parse(trained.stdout.trim().split('\n').pop()!) as { runDir: string; status: string; epochs: number };
    assert.equal(summary.status, 'completed');
    assert.equal(summary.epochs, 2);
    const r = tsae(['eval', summary.runDir, '--json', '--windows']);
    assert.equal(r.code, 0, r.stderr);
    // The saved weights fit the inference build: no fallback to the model as saved.
    assert.doesNotMatch(r.stderr, /model as saved/);
    const report = JSON.parse(r.stdout) as { count: number; windows: Array<{ score: number }> };
    assert.ok(report.count > 0);
    assert.equal(report.windows.length, report.count);
    assert.ok(
      report.windows.every((w) => Number.isFinite(w.score) && w.score >= 0),
      'every window has a finite score',
    );
  });
});

describe('tsae eval with a history: scores relative to the recent past', { skip: fs.existsSync(CLI) ? false : 'dist/cli.js missing: run npm run build' }, () => {
  test("the config's evaluation.history and threshold are used; --history 0 turns it off", () => {
    const config = { ...sensorsConfig({ name: 'eval-history', training: { epochs: 2 } }), evaluation: { history: 8, threshold: 'fixed:3' } };
    const trained = tsae(['train', writeConfig(config), '--json', '--out', tempDir('tsae-eval-runs-')]);
    assert.equal(trained.code, 0, trained.stderr + trained.stdout);
    const runDir = (JSON.parse(trained.stdout.trim().split('\n').pop()!) as { runDir: string }).runDir;

    const r = tsae(['eval', runDir, '--json', '--save']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { history?: { lengths: number; windows: number }; threshold: number; thresholdRule: unknown; anomalies: number };
    // 8 window lengths of 12 rows at stride 4: 24 windows of history.
    assert.deepEqual(report.history, { lengths: 8, windows: 24 });
    assert.deepEqual(report.thresholdRule, { kind: 'fixed', value: 3 });
    const scores = JSON.parse(fs.readFileSync(path.join(runDir, 'scores.json'), 'utf8')) as ScoresFile;
    assert.equal(scores.scoreKind, 'relative');
    assert.ok(isHostToTimeline({ type: 'timelineInit', runName: 'eval-history', scores }), 'the timeline accepts the saved file');
    const reference = scores.calibration?.reference;
    assert.ok(reference && reference.std > 0, `the training windows' spread is saved: ${JSON.stringify(scores.calibration)}`);
    // Each score is the smoothed error against the 24 windows before it (errors are saved rounded, hence the tolerance).
    const errors = scores.windows.error!;
    const expected = scoresAgainstHistory(smoothScores(errors, scores.smoothing!.windows), 24, reference);
    const worst = Math.max(...scores.windows.score.map((z, w) => Math.abs(z - expected[w])));
    assert.ok(worst < 1e-2, `largest difference from the recomputed scores: ${worst}`);
    assert.equal(report.anomalies, scores.windows.score.filter((z) => z > 3).length);

    const text = tsae(['eval', runDir]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^scores are relative to the 24 windows \(8 window lengths\) before each/m);

    const plain = JSON.parse(tsae(['eval', runDir, '--json', '--history', '0', '--threshold', 'mad:8']).stdout) as { history?: unknown; threshold: number };
    assert.equal(plain.history, undefined);
    assert.ok(plain.threshold > 0);
  });
});
