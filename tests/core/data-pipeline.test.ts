// Windowing, split, scaling, differencing, held-out labels, seq2seq targets and streaming,
// checked against direct computations on the raw files.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRng, loadDataset, toOriginalUnits, windowToRows, type WindowSet } from '../../src/core/data';
import { dataConfig, exampleData, fixtureData } from './dataConfig';

/** The `value` column of a NAB file, straight from the text. */
function nabValues(name: string): number[] {
  return readFileSync(exampleData(name), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => Number(line.split(',')[1]));
}

/** ECG5000 rows as [label, ...values]. */
function ecgRows(): number[][] {
  return readFileSync(exampleData('ECG5000_TRAIN.txt'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number));
}

function meanStd(values: number[]): { mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
  return { mean, std: Math.sqrt(variance) };
}

function setMean(set: WindowSet): number {
  let sum = 0;
  for (const v of set.values) sum += v;
  return sum / set.values.length;
}

const SERIES = 'art_daily_small_noise.csv';

describe('series layout', () => {
  test('sliding windows, chronological validation with no shared points', async () => {
    const length = 32;
    const stride = 4;
    const ds = await loadDataset(dataConfig(exampleData(SERIES), { windowing: { length, stride }, split: { validation: 0.25 } }));
    const windows = Math.floor((4032 - length) / stride) + 1;
    assert.equal(ds.validation.count, Math.round(0.25 * windows));
    const lastTrainEnd = Math.max(...ds.train.starts) + length;
    assert.ok(lastTrainEnd <= Math.min(...ds.validation.starts), 'a training window overlaps the validation period');
    // Training windows touching the validation period were purged, nothing else.
    assert.equal(ds.train.count, windows - ds.validation.count - Math.ceil((length - stride) / stride));
    assert.ok(ds.train.starts.every((s, i) => i === 0 || s - ds.train.starts[i - 1] === stride));
    assert.equal(ds.heldOut.count, 0);
    assert.equal(ds.train.values.length, ds.train.count * length);
  });

  test('standard scaling is fitted on the points of the training windows only', async () => {
    const length = 48;
    const ds = await loadDataset(dataConfig(exampleData(SERIES), { windowing: { length, stride: 1 }, split: { validation: 0.3 } }));
    const raw = nabValues(SERIES);
    const trainPoints = raw.slice(0, Math.max(...ds.train.starts) + length);
    const expected = meanStd(trainPoints);
    assert.equal(ds.scaler.kind, 'standard');
    assert.ok(Math.abs(ds.scaler.mean![0] - expected.mean) < 1e-9, `${ds.scaler.mean![0]} vs ${expected.mean}`);
    assert.ok(Math.abs(ds.scaler.std![0] - expected.std) < 1e-9);
    // Fitting on everything would give a different mean: the check above can tell the two apart.
    assert.ok(Math.abs(meanStd(raw).mean - expected.mean) > 1e-3);
    // A scaled value is (raw - mean) / std.
    const w = 5;
    const start = ds.train.starts[w];
    windowToRows(ds.train, w).forEach(([v], t) => assert.ok(Math.abs(v - (raw[start + t] - expected.mean) / expected.std) < 1e-5));
  });

  test('minmax scaling maps the training range onto preprocessing.range', async () => {
    const ds = await loadDataset(
      dataConfig(exampleData(SERIES), { windowing: { length: 16, stride: 16 }, preprocessing: { scaling: 'minmax', range: [-1, 1] }, split: { validation: 0.2 } }),
    );
    const values = Array.from(ds.train.values);
    assert.ok(Math.abs(Math.min(...values) + 1) < 1e-6);
    assert.ok(Math.abs(Math.max(...values) - 1) < 1e-6);
    assert.deepEqual(ds.scaler.range, [-1, 1]);
    const original = ds.toOriginal('train', 0, windowToRows(ds.train, 0));
    const raw = nabValues(SERIES);
    original.forEach(([v], t) => assert.ok(Math.abs(v - raw[ds.train.starts[0] + t]) < 1e-4));
  });

  test('differencing round-trips to original units to 1e-9', async () => {
    const length = 24;
    const ds = await loadDataset(dataConfig(exampleData('machine_temperature_system_failure.csv'), { windowing: { length, stride: 7 }, preprocessing: { differencing: 1 } }));
    const raw = nabValues('machine_temperature_system_failure.csv');
    const { mean, std } = { mean: ds.scaler.mean![0], std: ds.scaler.std![0] };
    assert.equal(ds.scaler.differencing, 1);
    for (const [set, name] of [
      [ds.train, 'train'],
      [ds.validation, 'validation'],
    ] as const) {
      for (const w of [0, 3, set.count - 1]) {
        const start = set.starts[w];
        // Scale the exact float64 differences ourselves so the check measures the inverse, not float32 storage.
        const scaled = Array.from({ length }, (_, t) => [(raw[start + t] - raw[start + t - 1] - mean) / std]);
        const back = ds.toOriginal(name, w, scaled);
        back.forEach(([v], t) => assert.ok(Math.abs(v - raw[start + t]) < 1e-9, `${name}[${w}] t=${t}: ${v} vs ${raw[start + t]}`));
        // The stored float32 window also comes back, within float32 precision accumulated over the window.
        ds.toOriginal(name, w, windowToRows(set, w)).forEach(([v], t) => assert.ok(Math.abs(v - raw[start + t]) < 1e-3));
      }
    }
  });

  test('toOriginalUnits works from a saved scaler alone (as tsae eval has it)', async () => {
    const ds = await loadDataset(dataConfig(exampleData(SERIES), { windowing: { length: 8, stride: 8 }, preprocessing: { differencing: 1 } }));
    const saved = JSON.parse(JSON.stringify(ds.scaler));
    const raw = nabValues(SERIES);
    const start = ds.validation.starts[2];
    const back = toOriginalUnits(windowToRows(ds.validation, 2), { scaler: saved, anchor: [raw[start - 1]] });
    back.forEach(([v], t) => assert.ok(Math.abs(v - raw[start + t]) < 1e-3));
    assert.throws(() => toOriginalUnits(windowToRows(ds.validation, 2), { scaler: saved }), /needs the 1 value\(s\) just before the window as its anchor/);
  });

  test('toOriginal rejects a wrong shape or index with a clear message', async () => {
    const ds = await loadDataset(dataConfig(exampleData(SERIES), { windowing: { length: 8, stride: 8 } }));
    assert.throws(() => ds.toOriginal('train', 0, [[1]]), /expects 8 steps x 1 features/);
    assert.throws(() => ds.toOriginal('heldOut', 0, windowToRows(ds.train, 0)), /heldOut window 0 does not exist \(the set has 0\)/);
  });
});

describe('rows layout (ECG5000)', () => {
  const ecg = (overrides: Parameters<typeof dataConfig>[1] = {}) =>
    dataConfig(exampleData('ECG5000_TRAIN.txt'), { ...overrides, data: { format: 'ucr', layout: 'rows', ...overrides.data }, windowing: { length: 140 } });

  test('the split is deterministic for a seed and different for another', async () => {
    const a = await loadDataset(ecg({ split: { seed: 7, validation: 0.2 } }));
    const b = await loadDataset(ecg({ split: { seed: 7, validation: 0.2 } }));
    const c = await loadDataset(ecg({ split: { seed: 8, validation: 0.2 } }));
    assert.equal(a.validation.count, 100);
    assert.equal(a.train.count, 400);
    assert.deepEqual(a.validation.starts, b.validation.starts);
    assert.deepEqual(a.train.values, b.train.values);
    assert.notDeepEqual(a.validation.starts, c.validation.starts);
    // Every row ends up in exactly one set.
    assert.deepEqual(
      [...a.train.starts, ...a.validation.starts].sort((x, y) => x - y),
      Array.from({ length: 500 }, (_, i) => i + 1),
    );
  });

  test('trainLabels holds out classes 2-5; scaling sees only the training rows', async () => {
    const ds = await loadDataset(ecg({ data: { trainLabels: [1] }, split: { validation: 0.2, seed: 3 } }));
    assert.equal(ds.train.count + ds.validation.count, 292);
    assert.equal(ds.heldOut.count, 208);
    assert.ok(ds.train.labels!.every((l) => l === 1) && ds.validation.labels!.every((l) => l === 1));
    assert.deepEqual([...new Set(ds.heldOut.labels)].sort(), [2, 3, 4, 5]);
    const rows = ecgRows();
    const trainValues = ds.train.starts.flatMap((line) => rows[line - 1].slice(1));
    const expected = meanStd(trainValues);
    assert.ok(Math.abs(ds.scaler.mean![0] - expected.mean) < 1e-9);
    assert.ok(Math.abs(ds.scaler.std![0] - expected.std) < 1e-9);
    assert.ok(Math.abs(setMean(ds.train)) < 1e-5, 'training windows are centred');
    // Held-out anomalies are scaled with the training parameters.
    const heldRow = rows[ds.heldOut.starts[0] - 1].slice(1);
    windowToRows(ds.heldOut, 0).forEach(([v], t) => assert.ok(Math.abs(v - (heldRow[t] - expected.mean) / expected.std) < 1e-5));
  });

  test('trainLabels matching no row is an error on data.trainLabels', async () => {
    await assert.rejects(loadDataset(ecg({ data: { trainLabels: [9] } })), (error: Error & { field?: string }) => {
      assert.equal(error.field, 'data.trainLabels');
      assert.match(error.message, /labels found: 1, 2, 3, 4, 5|labels found: .*1/);
      return true;
    });
  });

  test('per-row differencing inverts to the original row', async () => {
    const config = ecg({ preprocessing: { differencing: 1 } });
    config.windowing.length = 139;
    const ds = await loadDataset(config);
    const rows = ecgRows();
    const w = 10;
    const row = rows[ds.train.starts[w] - 1].slice(1);
    const { mean, std } = { mean: ds.scaler.mean![0], std: ds.scaler.std![0] };
    const scaled = Array.from({ length: 139 }, (_, t) => [(row[t + 1] - row[t] - mean) / std]);
    ds.toOriginal('train', w, scaled).forEach(([v], t) => assert.ok(Math.abs(v - row[t + 1]) < 1e-9));
  });
});

describe('seq2seq', () => {
  test('targets come from task.targetColumns with their own scaler, window by window', async () => {
    const ds = await loadDataset(
      dataConfig(fixtureData('quirks-excel.csv'), {
        data: { columns: ['sensor, a'] },
        task: { type: 'seq2seq', targetColumns: ['b'] },
        windowing: { length: 2 },
        split: { validation: 0 },
      }),
    );
    assert.deepEqual(ds.featureNames, ['sensor, a']);
    assert.deepEqual(ds.targetNames, ['b']);
    assert.equal(ds.trainTargets!.count, ds.train.count);
    assert.ok(Math.abs(ds.scaler.mean![0] - 4) < 1e-12);
    assert.ok(Math.abs(ds.targetScaler!.mean![0] - 35) < 1e-12);
    // Inputs 1.5..6.5 and targets 10..60 are both linear in time, so the scaled windows coincide.
    assert.deepEqual(
      Array.from(ds.trainTargets!.values).map((v) => v.toFixed(5)),
      Array.from(ds.train.values).map((v) => v.toFixed(5)),
    );
    assert.deepEqual(
      ds.toOriginal('train', 1, windowToRows(ds.trainTargets!, 1), 'target').map((r) => r.map((v) => Math.round(v * 1e4) / 1e4)),
      [[20], [30]],
    );
  });

  test('seq2seq without targetColumns is rejected on task.targetColumns', async () => {
    await assert.rejects(loadDataset(dataConfig(exampleData(SERIES), { task: { type: 'seq2seq' } })), { field: 'task.targetColumns' });
  });
});

describe('streaming', () => {
  test('a multi-MB file stops at data.maxRows without reading the rest', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tsae-data-'));
    try {
      const file = path.join(dir, 'big.csv');
      const rng = createRng(42);
      const lines = ['timestamp,value'];
      for (let i = 0; i < 200_000; i++) lines.push(`${i},${(Math.sin(i / 50) + rng()).toFixed(6)}`);
      // A bad last line: reading the whole file would fail on it.
      lines.push('200000,oops');
      writeFileSync(file, lines.join('\n') + '\n');
      assert.ok(readFileSync(file).length > 3_000_000);

      // Stops after 1000 rows: the bad last line is never parsed.
      const ds = await loadDataset(dataConfig(file, { data: { maxRows: 1000 }, windowing: { length: 50, stride: 10 } }));
      assert.equal(ds.rowsRead, 1000);

      await assert.rejects(loadDataset(dataConfig(file, { windowing: { length: 50, stride: 10 } })), /:200002:2: column "value" is not a number here \(text\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('an aborted signal stops loading', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(loadDataset(dataConfig(exampleData(SERIES)), { signal: controller.signal }), { name: 'AbortError' });
  });
});
