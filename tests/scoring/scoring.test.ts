// The scoring core without a model: thresholds, events, labels and metrics on hand-made scores.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findEvents } from '../../src/core/scoring/events';
import { isAnomalousLabel, labelsFromColumn, LabelError, readLabelFile } from '../../src/core/scoring/labels';
import { detectionRow, evaluate, nabScore, scaledSigmoid } from '../../src/core/scoring/metrics';
import { applyThreshold } from '../../src/core/scoring/score';
import { defaultThresholdRule, interpolateQuantile, parseThresholdRule, robustSpread, thresholdValue, ThresholdError } from '../../src/core/scoring/threshold';
import type { LabelWindow, ScoresFile } from '../../src/core/scoring/types';
import { smoothingWindows, smoothScores } from '../../src/core/scoring/smoothing';
import { historyWindows, MIN_RELATIVE_SPREAD, scoresAgainstHistory } from '../../src/core/scoring/history';
import { meanAndStd } from '../../src/core/train/finalEvaluation';

describe('scores against the recent past (history)', () => {
  test('the history in window lengths becomes a number of windows; 0 is none', () => {
    assert.equal(historyWindows(64, 64, 1), 4096);
    assert.equal(historyWindows(64, 64, 16), 256);
    assert.equal(historyWindows(0, 64, 16), 0);
    assert.equal(historyWindows(0.001, 64, 16), 1);
  });

  test('each score against the mean and std of the windows before it, not itself', () => {
    const reference = { mean: 100, std: 20 };
    // History 4: window 5 sees windows 1-4 = [2, 1, 2, 1]: mean 1.5, std 0.5.
    const z = scoresAgainstHistory([1, 2, 1, 2, 1, 4], 4, reference);
    assert.equal(z[5], (4 - 1.5) / 0.5);
    // Window 0 has no past (fewer than 2 windows): it is compared with the reference.
    assert.equal(z[0], (1 - 100) / 20);
    // Window 2 has two windows [1, 2]: mean 1.5, std 0.5.
    assert.equal(z[2], (1 - 1.5) / 0.5);
  });

  test('running sums agree with a direct computation over a long real-valued series', () => {
    let x = 0.3;
    const scores = Array.from({ length: 3000 }, () => (x = (x * 9301 + 0.49297) % 1) * 0.2 + 0.05);
    const history = 250;
    const z = scoresAgainstHistory(scores, history, { mean: 0, std: 1 });
    for (const w of [30, 251, 1000, 2999]) {
      const past = scores.slice(Math.max(0, w - history), w);
      const { mean, std } = meanAndStd(past);
      assert.ok(Math.abs(z[w] - (scores[w] - mean) / Math.max(std, MIN_RELATIVE_SPREAD * mean)) < 1e-9, `window ${w}`);
    }
  });

  test('NaN stays NaN and is left out of the history; segments never describe each other', () => {
    const z = scoresAgainstHistory([1, 3, Number.NaN, 1, 3, 2], 4, { mean: 0, std: 1 });
    assert.ok(Number.isNaN(z[2]));
    // Window 5 sees [3, NaN, 1, 3]: mean 7/3 of the three finite ones.
    const mean = 7 / 3;
    const std = Math.sqrt((9 + 1 + 9) / 3 - mean * mean);
    assert.ok(Math.abs(z[5] - (2 - mean) / std) < 1e-12);
    // A new segment at window 3: its first windows fall back to the reference, not segment 0.
    const seg = scoresAgainstHistory([5, 6, 5, 1, 1, 1], 4, { mean: 1, std: 0.5 }, [0, 0, 0, 1, 1, 1]);
    assert.equal(seg[3], 0);
    assert.equal(seg[4], 0);
  });

  test('a flat past does not turn a wobble into many deviations: the spread floor', () => {
    const scores = [...Array.from({ length: 100 }, () => 1), 1.05];
    const z = scoresAgainstHistory(scores, 100, { mean: 1, std: 0 });
    assert.ok(Math.abs(z[100] - 0.05 / MIN_RELATIVE_SPREAD) < 1e-9, `${z[100]}`);
  });

  test('a rise after a calm stretch stands out more than the same rise after a disturbed one', () => {
    // Calm: 0.1 with a small ripple; then a disturbed stretch (0.1 to 0.5); the same rise to 0.6 after each.
    const calm = (w: number) => 0.1 + 0.01 * Math.sin(w);
    const scores = Array.from({ length: 600 }, (_, w) => (w >= 150 && w < 300 ? 0.1 + (0.4 * ((w * 7) % 10)) / 10 : calm(w)));
    scores[140] = 0.6;
    scores[310] = 0.6;
    const z = scoresAgainstHistory(scores, 100, meanAndStd(scores.slice(0, 100)));
    assert.ok(z[140] > 3 * z[310], `after calm ${z[140]}, after disturbance ${z[310]}`);
  });
});

/** A series of `rows` rows at 5-minute steps from 2014-04-01, windows of `length` every `stride`. */
function series(rows: number, length: number, stride: number, score: (w: number) => number, features = ['value']): ScoresFile {
  const firstRow: number[] = [];
  for (let r = 0; r + length <= rows; r += stride) firstRow.push(r);
  const stamp = (r: number) => new Date(Date.UTC(2014, 3, 1) + r * 300_000).toISOString().replace('T', ' ').slice(0, 19);
  return {
    version: 1,
    runDir: '/run',
    dataFile: '/data/x.csv',
    createdAt: '',
    layout: 'series',
    features,
    timestampName: 'timestamp',
    windowLength: length,
    stride,
    scoreKind: 'mse',
    threshold: { rule: { kind: 'fixed', value: 1 }, value: 1 },
    windows: { firstRow, lastRow: firstRow.map((r) => r + length - 1), score: firstRow.map((_, w) => score(w)) },
    rows: { line: Array.from({ length: rows }, (_, r) => r + 2), timestamp: Array.from({ length: rows }, (_, r) => stamp(r)) },
    events: [],
  };
}

describe('thresholds', () => {
  const training = { windows: 10, quantiles: { '0': 0, '0.9': 9, '0.99': 18, '1': 20 }, mean: 5, std: 2 };
  test('quantiles between stored ones are interpolated linearly', () => {
    assert.equal(interpolateQuantile(training, 0.99), 18);
    assert.equal(interpolateQuantile(training, 0.45), 4.5);
    assert.ok(Math.abs(interpolateQuantile(training, 0.995) - 19) < 1e-9);
  });
  test('rules: quantile, mean + k std, fixed', () => {
    assert.equal(thresholdValue({ kind: 'quantile', q: 0.9 }, training), 9);
    assert.equal(thresholdValue({ kind: 'meanStd', k: 3 }, training), 11);
    assert.equal(thresholdValue({ kind: 'fixed', value: 0.5 }, training), 0.5);
    assert.throws(() => thresholdValue({ kind: 'meanStd', k: 3 }, { windows: 1, quantiles: { '1': 1 } }), ThresholdError);
    assert.throws(() => thresholdValue({ kind: 'quantile', q: 2 }, training), /between 0 and 1/);
  });
  test('median + k MAD of the scored windows: anomalies among the scores do not move it', () => {
    // 1..9, then two huge anomalies: median 6, MAD 3.
    const scores = [1, 2, 3, 4, 5, 6, 7, 8, 9, 1000, 5000];
    const { median, mad } = robustSpread(scores);
    assert.equal(median, 6);
    assert.ok(Math.abs(mad - 1.4826 * 3) < 1e-9, `mad ${mad}`);
    assert.ok(Math.abs(thresholdValue({ kind: 'mad', k: 2 }, undefined, scores) - (6 + 2 * 1.4826 * 3)) < 1e-9);
    // Mean + k std of the same scores would sit above the smaller anomaly.
    const mean = scores.reduce((a, b) => a + b) / scores.length;
    const std = Math.sqrt(scores.reduce((a, b) => a + (b - mean) ** 2, 0) / scores.length);
    assert.ok(mean + 2 * std > 1000 && thresholdValue({ kind: 'mad', k: 8 }, undefined, scores) < 1000);
    // NaN scores (windows that could not be scored) are left out.
    assert.equal(robustSpread([Number.NaN, 1, 2, 3]).median, 2);
    assert.throws(() => thresholdValue({ kind: 'mad', k: 8 }, training), /scored windows/);
    assert.throws(() => thresholdValue({ kind: 'mad', k: 8 }, undefined, [Number.NaN]), /no window has a finite score/);
    assert.throws(() => thresholdValue({ kind: 'meanStd', k: 5 }, undefined, scores), /training windows' errors/);
  });
  test('default rule by layout: robust on the scored series, training errors for rows', () => {
    assert.deepEqual(defaultThresholdRule('series'), { kind: 'mad', k: 8 });
    assert.deepEqual(defaultThresholdRule('rows'), { kind: 'meanStd', k: 5 });
  });
  test('parsing the CLI forms', () => {
    assert.deepEqual(parseThresholdRule('quantile:0.95'), { kind: 'quantile', q: 0.95 });
    assert.deepEqual(parseThresholdRule('q0.9'), { kind: 'quantile', q: 0.9 });
    assert.deepEqual(parseThresholdRule('std:3'), { kind: 'meanStd', k: 3 });
    assert.deepEqual(parseThresholdRule('mean+2.5std'), { kind: 'meanStd', k: 2.5 });
    assert.deepEqual(parseThresholdRule('mad:8'), { kind: 'mad', k: 8 });
    assert.deepEqual(parseThresholdRule('median+6.5mad'), { kind: 'mad', k: 6.5 });
    assert.ok('error' in parseThresholdRule('mad:x'));
    assert.deepEqual(parseThresholdRule('0.25'), { kind: 'fixed', value: 0.25 });
    assert.deepEqual(parseThresholdRule('fixed:1e-3'), { kind: 'fixed', value: 0.001 });
    assert.ok('error' in parseThresholdRule('quantile:1.5'));
    assert.ok('error' in parseThresholdRule('std:'));
    assert.ok('error' in parseThresholdRule('high'));
  });
});

describe('events', () => {
  test('consecutive flagged windows merge; the peak and timestamps come from them', () => {
    const s = series(100, 10, 5, (w) => [0, 3, 5, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9][w] ?? 0);
    const events = findEvents(s, 1);
    assert.equal(events.length, 3);
    assert.deepEqual(
      events.map((e) => [e.firstWindow, e.lastWindow, e.peakScore, e.peakWindow, e.startRow, e.endRow]),
      [
        [1, 2, 5, 2, 5, 19],
        [5, 5, 2, 5, 25, 34],
        [17, 17, 9, 17, 85, 94],
      ],
    );
    assert.equal(events[0].start, '2014-04-01 00:25:00');
    assert.equal(events[0].end, '2014-04-01 01:35:00');
    assert.deepEqual(events[0].features, [{ feature: 'value', share: 1 }]);
  });
  test('flagged windows that still share rows with an unflagged one between them are one event', () => {
    const s = series(100, 10, 5, (w) => [0, 3, 0, 2, 0, 0, 2][w] ?? 0);
    assert.deepEqual(
      findEvents(s, 1).map((e) => [e.firstWindow, e.lastWindow, e.peakWindow]),
      [
        [1, 3, 1],
        [6, 6, 6],
      ],
    );
  });
  test('without timestamps events are named by file line', () => {
    const s = series(30, 10, 10, (w) => (w === 1 ? 2 : 0));
    delete s.rows.timestamp;
    const [e] = findEvents(s, 1);
    assert.equal(e.start, 12);
    assert.equal(e.end, 21);
  });
  test('top features by share of the error', () => {
    const s = series(20, 10, 10, (w) => (w === 0 ? 3 : 0), ['a', 'b', 'c', 'd']);
    s.windows.featureScores = [
      [1, 6, 3, 2],
      [0, 0, 0, 0],
    ];
    const [e] = findEvents(s, 1);
    assert.deepEqual(
      e.features.map((f) => [f.feature, Number(f.share.toFixed(3))]),
      [
        ['b', 0.5],
        ['c', 0.25],
        ['d', 0.167],
      ],
    );
  });
  test('rows layout: each flagged sequence is its own event; NaN never flags', () => {
    const s = series(5, 1, 1, (w) => [2, 2, Number.NaN, 0, 5][w]);
    s.layout = 'rows';
    assert.equal(findEvents(s, 1).length, 3);
  });
});

describe('labels', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tsae-labels-'));
  const s = series(600, 10, 5, () => 0);
  test('NAB combined_windows.json: the entry is matched by file name and timestamps map to rows', () => {
    const file = path.join(tmp, 'combined_windows.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        'realKnownCause/other.csv': [],
        'artificialWithAnomaly/x.csv': [['2014-04-01 01:00:00.000000', '2014-04-01 02:00:00.000000']],
      }),
    );
    const labels = readLabelFile(file, '/somewhere/x.csv', s.rows, () => {});
    assert.deepEqual(labels.windows, [{ index: 1, start: '2014-04-01 01:00:00.000000', end: '2014-04-01 02:00:00.000000', startRow: 12, endRow: 24 }]);
    assert.throws(() => readLabelFile(file, '/somewhere/y.csv', s.rows, () => {}), /no entry for y\.csv .*2 entries/);
  });
  test('a plain array of pairs; a window outside the data is reported and left out', () => {
    const file = path.join(tmp, 'pairs.json');
    fs.writeFileSync(
      file,
      JSON.stringify([
        ['2014-04-01 00:00:00', '2014-04-01 00:10:00'],
        ['2015-01-01 00:00:00', '2015-01-02 00:00:00'],
      ]),
    );
    const warnings: string[] = [];
    const labels = readLabelFile(file, '/d/x.csv', s.rows, (m) => warnings.push(m));
    assert.equal(labels.windows.length, 1);
    assert.deepEqual([labels.windows[0].startRow, labels.windows[0].endRow], [0, 2]);
    assert.match(warnings[0], /window 2 .* covers no row/);
  });
  test('bad label files name the file and the window', () => {
    const bad = (content: string, message: RegExp) => {
      const file = path.join(tmp, 'bad.json');
      fs.writeFileSync(file, content);
      assert.throws(
        () => readLabelFile(file, '/d/x.csv', s.rows, () => {}),
        (err: Error) => err instanceof LabelError && message.test(err.message) && err.message.includes(file),
      );
    };
    bad('{', /not valid JSON/);
    bad('[["2014-04-01 00:00:00"]]', /window 1 is .*expected \[start, end\]/);
    bad('[["yesterday", "today"]]', /window 1: "yesterday" is not a timestamp/);
    bad('[["2014-04-02 00:00:00", "2014-04-01 00:00:00"]]', /ends .* before it starts/);
    assert.throws(() => readLabelFile(path.join(tmp, 'missing.json'), '/d/x.csv', s.rows, () => {}), /cannot read label file \(ENOENT\)/);
  });
  test('without timestamps, bounds are line numbers', () => {
    const file = path.join(tmp, 'lines.json');
    fs.writeFileSync(file, JSON.stringify([[10, 20]]));
    const rows = { line: s.rows.line };
    assert.deepEqual(
      readLabelFile(file, '/d/x.csv', rows, () => {}).windows.map((w) => [w.startRow, w.endRow]),
      [[8, 18]],
    );
    fs.writeFileSync(file, JSON.stringify([['2014-04-01', '2014-04-02']]));
    assert.throws(() => readLabelFile(file, '/d/x.csv', rows, () => {}), /no timestamp column, so bounds must be line numbers/);
  });
  test('a label column: runs of anomalous rows', () => {
    const labels = labelsFromColumn([0, 0, 1, 1, 0, 1], { line: [2, 3, 4, 5, 6, 7] }, undefined);
    assert.deepEqual(
      labels.windows.map((w) => [w.start, w.end]),
      [
        [4, 5],
        [7, 7],
      ],
    );
    assert.equal(isAnomalousLabel('normal', undefined), false);
    assert.equal(isAnomalousLabel(3, [1]), true);
    assert.equal(isAnomalousLabel('1', [1]), false);
  });
});

describe('metrics', () => {
  const window = (startRow: number, endRow: number, index = 1): LabelWindow => ({ index, start: startRow, end: endRow, startRow, endRow });
  test('NAB scaled sigmoid: +1 early in a window, 0 at its end, -1 far after', () => {
    assert.ok(Math.abs(scaledSigmoid(-1) - 0.9866) < 1e-4);
    assert.equal(scaledSigmoid(0), 0);
    assert.equal(scaledSigmoid(3.5), -1);
  });
  test('NAB score: a detection at a window start is perfect, none is zero, a false positive costs 0.11', () => {
    const windows = [window(1000, 1099)];
    assert.ok(Math.abs(nabScore([1000], windows, 5000).normalized - 100) < 1e-9);
    assert.equal(nabScore([], windows, 5000).normalized, 0);
    const withFp = nabScore([1000, 3000], windows, 5000);
    assert.equal(withFp.falsePositives, 1);
    assert.ok(Math.abs(withFp.raw - (1 - 0.11)) < 1e-9, `raw ${withFp.raw}`);
    // Only the earliest detection in a window counts; a later one adds nothing.
    assert.equal(nabScore([1050, 1090], windows, 5000).raw, nabScore([1050], windows, 5000).raw);
    assert.ok(nabScore([1050], windows, 5000).raw < nabScore([1010], windows, 5000).raw);
    // The probation period (first 15%, at most 750 rows) is not scored.
    assert.equal(nabScore([100], windows, 5000).falsePositives, 0);
    assert.equal(nabScore([100], windows, 5000).probationRows, 750);
  });
  test('event precision/recall/F1 and AUC on a series', () => {
    const s = series(600, 10, 5, (w) => (w === 40 || w === 41 ? 5 : w === 100 ? 2 : w % 7 === 0 ? 0.5 : 0.1));
    applyThreshold(s, { kind: 'fixed', value: 1 }, 1);
    const labels = { source: 't', windows: [window(200, 215, 1), window(400, 410, 2)] };
    const m = evaluate(s, labels, 1);
    assert.deepEqual([m.events!.hits, m.events!.labelled, m.events!.eventsOutside, m.events!.events], [1, 2, 1, 2]);
    assert.equal(m.events!.precision, 0.5);
    assert.equal(m.events!.recall, 0.5);
    assert.deepEqual(m.events!.hitsPerWindow, [1, 0]);
    assert.equal(s.events[0].labels?.[0], 1);
    assert.ok(m.auc! > 0.5 && m.auc! < 1);
    assert.equal(m.positives, s.windows.firstRow.filter((r) => (r <= 215 && r + 9 >= 200) || (r <= 410 && r + 9 >= 400)).length);
  });
  test('NAB detection: a smoothed score is known only when the newest window it averages is', () => {
    const s = series(600, 10, 5, (w) => (w >= 40 && w <= 44 ? 5 : 0.1));
    applyThreshold(s, { kind: 'fixed', value: 1 }, 1);
    const event = s.events[0];
    assert.equal(detectionRow(s, event), s.windows.lastRow[40]);
    s.smoothing = { lengths: 2, windows: 5 };
    // Centred over 5 windows: window 40's score needs windows up to 42.
    assert.equal(detectionRow(s, event), s.windows.lastRow[42]);
    // Never past the last window.
    assert.equal(detectionRow(s, { ...event, firstWindow: s.windows.lastRow.length - 1 }), s.windows.lastRow.at(-1));
  });
  test('rows layout: window precision/recall at the threshold and AUC', () => {
    const s = series(6, 1, 1, (w) => [0.1, 0.2, 3, 4, 0.3, 2][w]);
    s.layout = 'rows';
    const anomalous = [false, false, true, true, true, false];
    applyThreshold(s, { kind: 'fixed', value: 1 }, 1);
    const m = evaluate(s, { source: 't', windows: [], anomalous }, 1);
    assert.deepEqual(m.windows, { precision: 2 / 3, recall: 2 / 3, f1: 2 / 3, truePositives: 2, falsePositives: 1, falseNegatives: 1 });
    assert.equal(m.auc, 8 / 9);
  });
});

describe('window timestamps from the data pipeline', () => {
  test('each window carries the timestamp of its first row (shown instead of row offsets)', async () => {
    const { loadDataset } = await import('../../src/core/data');
    const { resolve, repoRoot } = await import('../train/helpers');
    const file = path.join(repoRoot(), 'tests', 'fixtures', 'config', 'art_daily_small_noise.head.csv');
    const rows = fs.readFileSync(file, 'utf8').trim().split('\n').slice(1);
    const config = resolve({
      name: 'stamps',
      data: { path: file, timestamp: 'timestamp', columns: ['value'] },
      windowing: { length: 8, stride: 5 },
      split: { validation: 0.25 },
      model: { encoder: [{ units: 2 }], latent: { size: 2 }, decoder: [{ units: 2 }] },
    });
    const ds = await loadDataset(config);
    for (const set of [ds.train, ds.validation]) {
      assert.ok(set.timestamps && set.timestamps.length === set.count);
      set.starts.forEach((start, w) => assert.equal(set.timestamps![w], rows[start].split(',')[0]));
    }
    assert.deepEqual(
      ds.rows.timestamps?.slice(0, 2),
      rows.slice(0, 2).map((r) => r.split(',')[0]),
    );
  });
});

describe('smoothing window scores over time', () => {
  test('the span in window lengths becomes an odd, centred number of windows', () => {
    assert.equal(smoothingWindows(2, 64, 16), 9);
    assert.equal(smoothingWindows(2, 64, 4), 33);
    assert.equal(smoothingWindows(1, 24, 6), 5);
    assert.equal(smoothingWindows(0, 64, 16), 1);
    assert.equal(smoothingWindows(0.01, 64, 16), 1);
  });

  test('centred mean, fewer windows at the ends, NaN kept and left out, segments never mixed', () => {
    assert.deepEqual(Array.from(smoothScores([1, 2, 3, 4, 5], 3)), [1.5, 2, 3, 4, 4.5]);
    assert.deepEqual(Array.from(smoothScores([1, 2, 3], 1)), [1, 2, 3]);
    const withNaN = smoothScores([1, Number.NaN, 3], 3);
    assert.equal(withNaN[0], 1);
    assert.ok(Number.isNaN(withNaN[1]));
    assert.equal(withNaN[2], 3);
    // Two segments (a gap in a training set): the 10s are not averaged into the 1s.
    assert.deepEqual(Array.from(smoothScores([1, 1, 10, 10], 3, [0, 0, 1, 1])), [1, 1, 10, 10]);
  });

  test('a lasting shift separates from scattered noise once smoothed; a spike survives', () => {
    // Normal windows scatter between 0 and 1 (every fifth at 1); a shift holds 0.8 over 30 windows; a spike is 12 windows at 3.
    const raw = Array.from({ length: 300 }, (_, w) => (w >= 100 && w < 130 ? 0.8 : w >= 200 && w < 212 ? 3 : w % 5 === 0 ? 1 : 0.1));
    const normalMax = (xs: ArrayLike<number>) => Math.max(...Array.from(xs).filter((_, w) => w < 90 || (w >= 140 && w < 190) || w >= 222));
    assert.ok(raw[110] < normalMax(raw), 'raw: the shift is below the scattered normal windows');
    const smooth = smoothScores(raw, 9);
    assert.ok(smooth[115] > 1.5 * normalMax(smooth), `smoothed: shift ${smooth[115]} vs normal ${normalMax(smooth)}`);
    assert.ok(smooth[206] > 1.5 * normalMax(smooth), 'smoothed: the spike still stands out');
  });
});
