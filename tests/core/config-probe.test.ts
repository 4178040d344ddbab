// The data probe behind TSAE005/006 and the data-aware rules: header and column statistics of
// real CSV and UCR files, CSV quirks, the row limit, the cache, and errors instead of throws.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PROBE_ROW_LIMIT, probeData, probeText } from '../../src/core/data/probe';
import { splitCsvRecord } from '../../src/core/data/cells';
import { fixturesDir } from './configFixtures';

/** Statistics recomputed the slow, obvious way, to check the streaming ones. */
function reference(values: number[]) {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
  return { count: values.length, mean, std, min: Math.min(...values), max: Math.max(...values) };
}

describe('probeData on real data', () => {
  test('NAB CSV: header, numeric columns only, exact statistics', () => {
    const file = path.join(fixturesDir(), 'art_daily_small_noise.head.csv');
    const result = probeData(file);
    assert.ok(result.ok, !result.ok ? result.error : '');
    const { probe } = result;
    assert.equal(probe.format, 'csv');
    assert.deepEqual(probe.columns, ['timestamp', 'value']);
    assert.equal(probe.rowsRead, 200);
    assert.equal(probe.truncated, false);
    assert.deepEqual(Object.keys(probe.stats), ['value']);
    const values = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => Number(line.split(',')[1]));
    const expected = reference(values);
    const stats = probe.stats.value;
    assert.equal(stats.count, expected.count);
    assert.equal(stats.nanCount, 0);
    assert.ok(Math.abs(stats.mean - expected.mean) < 1e-9);
    assert.ok(Math.abs(stats.std - expected.std) < 1e-9);
    assert.equal(stats.min, expected.min);
    assert.equal(stats.max, expected.max);
  });

  test('ECG5000 UCR rows: label column 0 and 140 time steps', () => {
    const result = probeData(path.join(fixturesDir(), 'ECG5000_TRAIN.head.txt'));
    assert.ok(result.ok);
    assert.equal(result.probe.format, 'ucr');
    assert.equal(result.probe.columns.length, 141);
    assert.equal(result.probe.columns[0], '0');
    assert.equal(result.probe.rowsRead, 20);
    const labels = result.probe.stats['0'];
    assert.ok(labels.min >= 1 && labels.max <= 5 && Number.isInteger(labels.min));
  });
});

describe('CSV quirks', () => {
  test('quoted fields with commas and escaped quotes', () => {
    assert.deepEqual(splitCsvRecord('a,"b,c","say ""hi""",'), ['a', 'b,c', 'say "hi"', '']);
  });

  test('BOM, CRLF, quoted header, missing values', () => {
    const result = probeText('\uFEFF"time","x",y\r\n1,2,\r\n2,NaN,3\r\n3,4,5\r\n', '/d/a.csv');
    assert.ok(result.ok);
    assert.deepEqual(result.probe.columns, ['time', 'x', 'y']);
    assert.equal(result.probe.stats.x.nanCount, 1);
    assert.equal(result.probe.stats.x.mean, 3);
    assert.equal(result.probe.stats.y.count, 2);
    assert.equal(result.probe.stats.y.nanCount, 1);
  });

  test('text columns are not numeric', () => {
    const result = probeText('id,name\n1,alpha\n2,beta\n', '/d/a.csv');
    assert.ok(result.ok);
    assert.deepEqual(Object.keys(result.probe.stats), ['id']);
  });
});

describe('limits, cache and errors', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tsae-probe-'));
  test.after(() => rmSync(dir, { recursive: true, force: true }));

  test('stops after the row limit and says so', () => {
    const file = path.join(dir, 'long.csv');
    const rows = Array.from({ length: PROBE_ROW_LIMIT + 500 }, (_, i) => `${i},${i % 7}`);
    writeFileSync(file, `t,v\n${rows.join('\n')}\n`);
    const result = probeData(file);
    assert.ok(result.ok);
    assert.equal(result.probe.rowsRead, PROBE_ROW_LIMIT);
    assert.equal(result.probe.truncated, true);
    assert.equal(result.probe.stats.t.max, PROBE_ROW_LIMIT - 1);
  });

  test('cached until the file changes', () => {
    const file = path.join(dir, 'cached.csv');
    writeFileSync(file, 'v\n1\n2\n');
    const first = probeData(file);
    assert.equal(probeData(file), first);
    writeFileSync(file, 'v\n1\n2\n30\n');
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    const second = probeData(file);
    assert.notEqual(second, first);
    assert.ok(second.ok && second.probe.stats.v.max === 30);
  });

  test('missing, empty, header-only and directory paths are errors, not exceptions', () => {
    const missing = probeData(path.join(dir, 'nope.csv'));
    assert.deepEqual(missing, { ok: false, error: `data file not found: ${path.join(dir, 'nope.csv')}` });
    writeFileSync(path.join(dir, 'empty.csv'), '');
    assert.match((probeData(path.join(dir, 'empty.csv')) as { error: string }).error, /is empty: expected a CSV header line/);
    writeFileSync(path.join(dir, 'header.csv'), 'a,b\n');
    assert.match((probeData(path.join(dir, 'header.csv')) as { error: string }).error, /has no data rows/);
    assert.match((probeData(dir) as { error: string }).error, /not a regular file/);
  });

  test('binary garbage gives a result, not a crash', () => {
    const file = path.join(dir, 'garbage.bin');
    writeFileSync(file, Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 31) % 256)));
    const result = probeData(file, { format: 'ucr' });
    assert.equal(typeof result.ok, 'boolean');
  });
});
