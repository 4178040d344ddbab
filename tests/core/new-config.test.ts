// "New Config from Data File": the inspection of bundled and shared data files (format, header,
// timestamp and cadence, rows, period, label-like columns), the config proposed for each, and
// that every proposed config lints without a finding, resolves and loads its data.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { proposeConfig, yamlScalar } from '../../src/core/config/fromData';
import { DataError, loadDataset } from '../../src/core/data';
import { cadenceOf, describeStep, inspectDataFile, periodOf } from '../../src/core/data/inspect';
import { lintText, loadConfigFile } from '../../src/core/lint';
import { exampleData, fixtureData } from './dataConfig';

const SHARED = '/work/shared/data';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'tsae-newconfig-'));
}

/** Proposes a config for `dataFile` saved next to it (in `dir`), writes it and lints it. */
async function proposeAndLint(dataFile: string, dir = path.dirname(dataFile)) {
  const inspection = await inspectDataFile(dataFile);
  const configFile = path.join(dir, 'new.tsae.yaml');
  const proposal = proposeConfig(inspection, configFile);
  const lint = lintText(proposal.text, { fileName: configFile });
  return { inspection, proposal, configFile, lint };
}

describe('inspectDataFile', () => {
  test('NAB art_daily_small_noise: CSV, timestamp every 5 min, 4032 rows, a daily period', async () => {
    const r = await inspectDataFile(exampleData('art_daily_small_noise.csv'));
    assert.equal(r.format, 'csv');
    assert.equal(r.layout, 'series');
    assert.equal(r.rows, 4032);
    assert.deepEqual(
      r.columns.map((c) => [c.name, c.kind]),
      [
        ['timestamp', 'timestamp'],
        ['value', 'feature'],
      ],
    );
    assert.equal(r.timestamp?.column, 'timestamp');
    assert.equal(r.timestamp?.cadence?.step, 5 * 60_000);
    assert.equal(r.timestamp?.cadence?.irregularShare, 0);
    assert.equal(r.period?.steps, 288, '288 steps of 5 min = 1 day');
    const stats = r.columns[1].stats!;
    assert.ok(stats.min < stats.max && stats.min > 0, `value range ${stats.min}..${stats.max}`);
  });

  test('nab_sensors: seven features, the timestamp is never one of them', async () => {
    const r = await inspectDataFile(exampleData('nab_sensors.csv'));
    assert.deepEqual(r.features, ['small_noise', 'jumpsup', 'temp_a', 'temp_b', 'temp_c', 'temp_d', 'temp_e']);
    assert.equal(r.timestamp?.column, 'timestamp');
  });

  test('ECG5000 (UCR): 500 rows of 140 values, class label in column 0 with its counts', async () => {
    const r = await inspectDataFile(exampleData('ECG5000_TRAIN.txt'));
    assert.equal(r.format, 'ucr');
    assert.equal(r.layout, 'rows');
    assert.equal(r.rows, 500);
    assert.equal(r.sequenceLength, 140);
    assert.equal(r.label?.index, 0);
    const counts = r.label!.labelCounts!;
    assert.deepEqual(
      counts.map((c) => c.label),
      [1, 2, 4, 3, 5],
    );
    assert.equal(
      counts.reduce((s, c) => s + c.count, 0),
      500,
    );
  });

  test('the whole machine_temperature file is counted (22695 rows) though only a sample is typed', { skip: !fs.existsSync(SHARED) && 'no /work/shared/data' }, async () => {
    const r = await inspectDataFile(path.join(SHARED, 'nab', 'machine_temperature_system_failure.csv'));
    assert.equal(r.rows, 22695);
    assert.ok(r.sampledRows < r.rows);
    assert.equal(r.timestamp?.cadence?.step, 300_000);
  });

  test('a 0/1 anomaly column is label-like, never a feature', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'sensor.csv');
    const lines = ['time,temp,pressure,anomaly'];
    for (let i = 0; i < 400; i++) lines.push(`${i},${Math.sin(i / 5).toFixed(4)},${Math.cos(i / 7).toFixed(4)},${i % 50 === 0 ? 1 : 0}`);
    fs.writeFileSync(file, lines.join('\n'));
    const r = await inspectDataFile(file);
    assert.deepEqual(r.features, ['temp', 'pressure']);
    assert.equal(r.label?.name, 'anomaly');
    assert.equal(r.timestamp?.column, 'time');
    assert.equal(r.timestamp?.cadence?.dates, false);
    const { proposal, lint } = await proposeAndLint(file);
    assert.deepEqual(proposal.choices.trainLabels, [0]);
    assert.match(proposal.text, /^ {2}label: anomaly$/m);
    assert.match(proposal.text, /^ {2}columns: \[temp, pressure\]$/m);
    assert.deepEqual(lint.findings, []);
  });

  test('a header with quoted commas (BOM, CRLF, a line break in a cell) is read like the loader reads it', async () => {
    const r = await inspectDataFile(fixtureData('quirks-excel.csv'));
    assert.deepEqual(r.features, ['sensor, a', 'b']);
    assert.equal(r.columns.find((c) => c.name === 'note')?.kind, 'text', 'six different notes are text, not labels');
  });

  test('bad files fail with the file name (and the line when there is one)', async () => {
    await assert.rejects(inspectDataFile(fixtureData('empty.csv')), (e: unknown) => e instanceof DataError && /empty\.csv/.test(e.message));
    await assert.rejects(inspectDataFile(fixtureData('header-only.csv')), (e: unknown) => e instanceof DataError && /header-only\.csv:1: no data rows/.test(e.message));
    await assert.rejects(
      inspectDataFile(fixtureData('ragged.csv')),
      (e: unknown) => e instanceof DataError && /ragged\.csv: row \d+ .*line \d+/.test(e.message) && e.line !== undefined,
    );
    await assert.rejects(inspectDataFile(path.join(tempDir(), 'missing.csv')), (e: unknown) => e instanceof DataError && /missing\.csv: cannot read/.test(e.message));
  });
});

describe('cadence and period', () => {
  test('cadence is the median step; irregular steps are counted', () => {
    const stamps = ['2024-01-01 00:00', '2024-01-01 00:10', '2024-01-01 00:20', '2024-01-01 00:45', '2024-01-01 00:55'];
    const c = cadenceOf(stamps)!;
    assert.equal(c.step, 10 * 60_000);
    assert.equal(c.irregularShare, 0.25);
    assert.equal(describeStep(c), '10 min');
    assert.equal(describeStep(c, 144), '1 day');
    assert.equal(describeStep({ step: 3, dates: false }), '3 timestamp units');
  });

  test('a sine of period 50 has period 50; noise and constants have none', () => {
    const sine = Array.from({ length: 1000 }, (_, i) => Math.sin((2 * Math.PI * i) / 50));
    assert.equal(periodOf(sine, 'x')?.steps, 50);
    let seed = 7;
    const noise = Array.from({ length: 1000 }, () => (seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5);
    assert.equal(periodOf(noise, 'x'), undefined);
    assert.equal(periodOf(new Array(500).fill(3), 'x'), undefined);
    assert.equal(periodOf([1, 2, 3], 'x'), undefined);
  });
});

describe('proposeConfig', () => {
  test('art_daily: a window of a quarter day (72 steps) with stride 18 and 8:1 compression, lint-clean', async () => {
    const { proposal, lint } = await proposeAndLint(exampleData('art_daily_small_noise.csv'));
    assert.equal(proposal.choices.window, 72);
    assert.equal(proposal.choices.stride, 18);
    assert.equal(proposal.choices.latent, 9);
    assert.equal(proposal.choices.compression, 8);
    assert.ok(proposal.choices.epochs >= 3 && proposal.choices.epochs <= 100);
    assert.match(proposal.text, /repeat every 288 steps \(1 day\), autocorrelation 0\.9\d on "value"/);
    assert.match(proposal.text, /^ {2}path: art_daily_small_noise\.csv$/m);
    assert.match(proposal.text, /^ {2}timestamp: timestamp$/m);
    assert.deepEqual(lint.findings, []);
  });

  test('ECG5000: one row per window, the most frequent class is trained on, lint-clean', async () => {
    const { proposal, lint } = await proposeAndLint(exampleData('ECG5000_TRAIN.txt'));
    assert.equal(proposal.choices.window, 140);
    assert.deepEqual(proposal.choices.trainLabels, [1]);
    assert.match(proposal.text, /^ {2}trainLabels: \[1\]$/m);
    assert.match(proposal.text, /^ {2}label: 0$/m);
    assert.deepEqual(lint.findings, []);
  });

  test('every bundled and shared data file gets a config that lints clean, resolves and loads', async () => {
    const files = [...['art_daily_jumpsup.csv', 'nab_sensors.csv', 'machine_temperature_system_failure.csv', 'ECG5000_TRAIN.txt'].map(exampleData)];
    if (fs.existsSync(SHARED)) files.push(path.join(SHARED, 'ecg5000', 'ECG5000_TRAIN.txt'), path.join(SHARED, 'nab', 'art_daily_small_noise.csv'));
    for (const dataFile of files) {
      // Written into a folder of its own, so data.path must climb out of it.
      const dir = tempDir();
      const { proposal, configFile, lint } = await proposeAndLint(dataFile, dir);
      assert.deepEqual(
        lint.findings.map((f) => `${f.code} ${f.message}`),
        [],
        `${dataFile}:\n${proposal.text}`,
      );
      fs.writeFileSync(configFile, proposal.text);
      const loaded = loadConfigFile(configFile);
      assert.ok(loaded.resolved, `${configFile} does not resolve`);
      assert.equal(loaded.resolved.dataFile, path.resolve(dataFile));
      const dataset = await loadDataset(loaded.resolved);
      assert.ok(dataset.train.count >= 16, `${dataFile}: ${dataset.train.count} training windows`);
      // The estimate counts the training windows the loader really makes (within a few percent).
      assert.ok(
        Math.abs(dataset.train.count - proposal.choices.trainWindows) <= Math.max(3, 0.05 * dataset.train.count),
        `${dataFile}: estimated ${proposal.choices.trainWindows} training windows, loaded ${dataset.train.count}`,
      );
    }
  });

  test('a large file gets a coarser stride or data.maxRows so an epoch stays short', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'big.csv');
    const lines = ['timestamp,a,b,c'];
    for (let i = 0; i < 200_000; i++) lines.push(`${i},${Math.sin(i / 9).toFixed(3)},${Math.cos(i / 13).toFixed(3)},${((i * 7919) % 1000) / 1000}`);
    fs.writeFileSync(file, lines.join('\n'));
    const { proposal, lint } = await proposeAndLint(file);
    assert.ok(proposal.choices.secondsPerEpoch <= 6.5, `${proposal.choices.secondsPerEpoch} s per epoch`);
    assert.ok(proposal.choices.maxRows !== undefined && proposal.choices.maxRows < 200_000, `maxRows ${proposal.choices.maxRows}`);
    assert.match(proposal.text, /^ {2}maxRows: \d+$/m);
    assert.deepEqual(lint.findings, []);
  });

  test('too few rows is an error naming the file', async () => {
    await assert.rejects(async () => proposeConfig(await inspectDataFile(fixtureData('quirks-excel.csv')), '/tmp/x.tsae.yaml'), /quirks-excel\.csv has 6 data rows/);
  });

  test('yamlScalar quotes what YAML would misread', () => {
    assert.equal(yamlScalar('value'), 'value');
    assert.equal(yamlScalar('data/x.csv'), 'data/x.csv');
    assert.equal(yamlScalar('sensor, a'), '"sensor, a"');
    assert.equal(yamlScalar('yes'), '"yes"');
    assert.equal(yamlScalar('a: b'), '"a: b"');
    assert.equal(yamlScalar('#x'), '"#x"');
    assert.equal(yamlScalar(3), '3');
  });
});
