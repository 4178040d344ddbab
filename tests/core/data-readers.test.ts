// Readers and bad input: every failure must name the file, line, column and config field.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DataError, loadDataset, windowToRows } from '../../src/core/data';
import { dataConfig, exampleData, fixtureData, type DataOverrides } from './dataConfig';

async function loadError(file: string, overrides: DataOverrides = {}): Promise<DataError> {
  try {
    await loadDataset(dataConfig(file, overrides));
  } catch (error) {
    assert.ok(error instanceof DataError, `expected a DataError, got ${String(error)}`);
    return error;
  }
  assert.fail(`loading ${file} should have failed`);
}

describe('CSV reader', () => {
  test('reads a BOM + CRLF export with quoted fields, commas, doubled quotes and a line break', async () => {
    const file = fixtureData('quirks-excel.csv');
    const ds = await loadDataset(dataConfig(file, { windowing: { length: 2 }, split: { validation: 0 }, preprocessing: { scaling: 'none' } }));
    // "note" is text in the first row, so the default columns are the numeric ones but the timestamp.
    assert.deepEqual(ds.featureNames, ['sensor, a', 'b']);
    assert.equal(ds.rowsRead, 6);
    assert.equal(ds.train.count, 5);
    assert.deepEqual(windowToRows(ds.train, 0), [
      [1.5, 10],
      [2.5, 20],
    ]);
    // The record with the quoted line break spans lines 5-6, so the next record starts on line 7.
    assert.deepEqual(windowToRows(ds.train, 4), [
      [5.5, 50],
      [6.5, 60],
    ]);
    // "note" holds no number at all: left out of the inputs, and said so.
    assert.deepEqual(ds.warnings, ['tests/fixtures/data/quirks-excel.csv:1: column "note" holds no numbers and is not used as input; set data.columns to choose the inputs']);
  });

  test('selects named columns and rejects unknown ones, listing the header', async () => {
    const file = fixtureData('quirks-excel.csv');
    const ds = await loadDataset(dataConfig(file, { data: { columns: ['b'] }, windowing: { length: 3 }, split: { validation: 0 }, preprocessing: { scaling: 'none' } }));
    assert.deepEqual(ds.featureNames, ['b']);
    assert.deepEqual(windowToRows(ds.train, 1), [[20], [30], [40]]);

    const error = await loadError(file, { data: { columns: ['b', 'pressure'] } });
    assert.equal(error.field, 'data.columns');
    assert.equal(error.line, 1);
    assert.match(error.message, /column "pressure" named in data\.columns is not in the header of .*quirks-excel\.csv$/);
  });

  test('rejects a non-numeric cell with file, line, column and field', async () => {
    const error = await loadError(fixtureData('non-numeric.csv'));
    assert.equal(error.line, 4);
    assert.equal(error.column, 2);
    assert.equal(error.field, 'data.columns');
    assert.match(error.message, /non-numeric\.csv:4:2: column "value" is not a number here \(text\)/);
    assert.ok(!error.message.includes('abc'), 'the cell itself is never quoted');
  });

  test('rejects a ragged row naming the line and both field counts', async () => {
    const error = await loadError(fixtureData('ragged.csv'));
    assert.equal(error.line, 4);
    assert.match(error.message, /ragged\.csv:4: 3 fields but the header \(line 1\) has 2/);
  });

  test('rejects an empty file and a header without data', async () => {
    assert.match((await loadError(fixtureData('empty.csv'))).message, /empty file/);
    assert.match((await loadError(fixtureData('header-only.csv'))).message, /no data rows after the header/);
  });

  test('rejects too few rows for one window, saying rows and window length', async () => {
    const error = await loadError(fixtureData('short.csv'), { windowing: { length: 5 } });
    assert.equal(error.field, 'windowing.length');
    assert.match(error.message, /3 rows but windowing\.length is 5: not enough for one window/);
    const differenced = await loadError(fixtureData('short.csv'), { windowing: { length: 3 }, preprocessing: { differencing: 1 } });
    assert.match(differenced.message, /3 rows \(2 after differencing\) but windowing\.length is 3/);
  });

  test('a missing data file is a DataError on data.path', async () => {
    const error = await loadError(fixtureData('does-not-exist.csv'));
    assert.equal(error.field, 'data.path');
    assert.match(error.message, /file not found/);
  });
});

describe('missing values', () => {
  test("'error' counts them and names the first locations", async () => {
    const error = await loadError(fixtureData('missing-values.csv'), { data: { columns: ['value'] } });
    assert.equal(error.field, 'data.missing');
    assert.equal(error.line, 3);
    assert.equal(error.column, 2);
    assert.match(error.message, /3 missing values in column "value" \(first at lines 3, 5, 8\)/);
    const both = await loadError(fixtureData('missing-values.csv'));
    assert.match(both.message, /4 missing values in column "value" \(3\), column "other" \(1\)/);
  });

  test("'drop' removes the affected rows and warns", async () => {
    const ds = await loadDataset(
      dataConfig(fixtureData('missing-values.csv'), {
        data: { missing: 'drop' },
        windowing: { length: 2 },
        split: { validation: 0 },
        preprocessing: { scaling: 'none' },
      }),
    );
    assert.equal(ds.rowsRead, 10);
    // Rows with timestamps 2, 4, 5, 7 are gone: 1, 3, 6, 8, 9, 10 remain.
    assert.equal(ds.train.count, 5);
    assert.deepEqual(windowToRows(ds.train, 0), [
      [1, 5],
      [3, 7],
    ]);
    assert.deepEqual(windowToRows(ds.train, 1), [
      [3, 7],
      [6, 9],
    ]);
    assert.equal(ds.warnings.length, 1);
    assert.match(ds.warnings[0], /dropped 4 rows with missing values/);
  });

  test("'interpolate' fills linearly along time in series layout", async () => {
    const ds = await loadDataset(
      dataConfig(fixtureData('missing-values.csv'), {
        data: { missing: 'interpolate', columns: ['value', 'other'] },
        windowing: { length: 10 },
        split: { validation: 0 },
        preprocessing: { scaling: 'none' },
      }),
    );
    assert.deepEqual(
      windowToRows(ds.train, 0).map((row) => row[0]),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    );
    // other: 5,6,7,8,(null),9,... -> 8.5 between 8 and 9.
    assert.deepEqual(
      windowToRows(ds.train, 0).map((row) => row[1]),
      [5, 6, 7, 8, 8.5, 9, 10, 11, 12, 13],
    );
    assert.match(ds.warnings[0], /interpolated 4 missing values/);
  });

  test("'interpolate' fills along the row in rows layout and carries edge values", async () => {
    const ds = await loadDataset(
      dataConfig(fixtureData('ucr-small.txt'), {
        data: { format: 'ucr', layout: 'rows', missing: 'interpolate' },
        windowing: { length: 4 },
        split: { validation: 0 },
        preprocessing: { scaling: 'none' },
      }),
    );
    const row2 = ds.train.starts.indexOf(2);
    assert.deepEqual(windowToRows(ds.train, row2).flat(), [1, 2, 3, 4]);
  });
});

describe('UCR reader', () => {
  test('ECG5000: 500 sequences of 140 steps, labels 1..5 with counts 292/177/10/19/2', async () => {
    const ds = await loadDataset(dataConfig(exampleData('ECG5000_TRAIN.txt'), { data: { format: 'ucr', layout: 'rows' }, windowing: { length: 140 }, split: { validation: 0 } }));
    assert.equal(ds.rowsRead, 500);
    assert.equal(ds.train.count, 500);
    assert.equal(ds.train.length, 140);
    assert.equal(ds.train.features, 1);
    const counts = new Map<number | string, number>();
    for (const label of ds.train.labels ?? []) counts.set(label, (counts.get(label) ?? 0) + 1);
    assert.deepEqual(
      [...counts].sort((a, b) => Number(a[0]) - Number(b[0])),
      [
        [1, 292],
        [2, 177],
        [3, 10],
        [4, 19],
        [5, 2],
      ],
    );
    // Rows layout: each window is the row itself, its start the 1-based line.
    assert.deepEqual(ds.train.starts.slice(0, 3), [1, 2, 3]);
  });

  test('a window length different from the row length is an error naming the row', async () => {
    const error = await loadError(exampleData('ECG5000_TRAIN.txt'), { data: { format: 'ucr', layout: 'rows' }, windowing: { length: 100 } });
    assert.equal(error.field, 'windowing.length');
    assert.equal(error.line, 1);
    assert.match(error.message, /one sequence of 140 values but windowing\.length is 100/);
  });

  test('ragged UCR rows and missing values are reported with their lines', async () => {
    const ragged = await loadError(fixtureData('ucr-ragged.txt'), { data: { format: 'ucr', layout: 'rows' }, windowing: { length: 3 } });
    assert.equal(ragged.line, 2);
    assert.match(ragged.message, /ucr-ragged\.txt:2: 2 values besides the label but the first row \(line 1\) has 3/);
    const missing = await loadError(fixtureData('ucr-small.txt'), { data: { format: 'ucr', layout: 'rows' }, windowing: { length: 4 } });
    assert.equal(missing.line, 2);
    assert.equal(missing.column, 3);
    assert.match(missing.message, /1 missing value in column 3 \(first at line 2\)/);
  });

  test("'drop' removes whole sequences", async () => {
    const ds = await loadDataset(
      dataConfig(fixtureData('ucr-small.txt'), { data: { format: 'ucr', layout: 'rows', missing: 'drop' }, windowing: { length: 4 }, split: { validation: 0 } }),
    );
    assert.equal(ds.train.count, 4);
    assert.deepEqual(ds.train.starts, [1, 3, 4, 5]);
    assert.match(ds.warnings[0], /dropped 1 sequences with missing values/);
  });
});

describe('timestamps', () => {
  test('NAB machine_temperature: 12 duplicate timestamps are a warning with the line, rows kept in file order', async () => {
    const warnings: string[] = [];
    const ds = await loadDataset(dataConfig(exampleData('machine_temperature_system_failure.csv'), { windowing: { length: 64, stride: 1 } }), {
      onWarning: (message) => warnings.push(message),
    });
    assert.equal(ds.rowsRead, 22695);
    assert.deepEqual(warnings, ds.warnings);
    const duplicate = warnings.find((w) => /duplicate/.test(w));
    assert.ok(duplicate, `no duplicate warning in ${JSON.stringify(warnings)}`);
    // Data row 10149 (02:55) is file line 10150; the repeat of 02:00 follows on line 10151.
    assert.match(duplicate, /:10151: 12 duplicate timestamps in column "timestamp" \(first at line 10151, same as line 10139\)/);
    assert.ok(warnings.some((w) => /timestamps in column "timestamp" go backwards 1 time \(first at line 10151, after line 10150\)/.test(w)));
    assert.ok(!warnings.some((w) => w.includes('2014-')), 'stamps are never quoted');
    assert.equal(ds.train.count + ds.validation.count + ds.heldOut.count <= 22695 - 64 + 1, true);
  });
});
