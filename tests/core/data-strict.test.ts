// Nothing silently dropped, nothing silently garbage (issue 11 items 3, 7, 8): bad cells are
// errors naming file, line and column, every one up to a cap; a column whose first cell is not a
// number is never dropped; values that overflow the scaler and all-constant data are clear
// errors; no message quotes the file's content.

import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DataError, loadDataset } from '../../src/core/data';
import { BAD_CELL_CAP } from '../../src/core/data/badCells';
import { dataConfig, type DataOverrides } from './dataConfig';

const dir = mkdtempSync(path.join(tmpdir(), 'tsae-strict-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A 40-row series with columns a and b; `edit` may change rows (index 0 = first data row, file line 2). */
function series(name: string, edit: (rows: string[][]) => void = () => {}, header = 'timestamp,a,b'): string {
  const rows = Array.from({ length: 40 }, (_, i) => [String(i), (Math.sin(i / 3) * 10).toFixed(3), (Math.cos(i / 5) * 3).toFixed(3)]);
  edit(rows);
  const file = path.join(dir, name);
  writeFileSync(file, `${header}\n${rows.map((r) => r.join(',')).join('\n')}\n`);
  return file;
}

const small: DataOverrides = { windowing: { length: 8, stride: 2 }, split: { validation: 0 } };

async function loadError(file: string, overrides: DataOverrides = small): Promise<DataError> {
  try {
    await loadDataset(dataConfig(file, overrides));
  } catch (error) {
    assert.ok(error instanceof DataError, `expected a DataError, got ${String(error)}`);
    return error;
  }
  assert.fail(`loading ${file} should have failed`);
}

describe('bad cells', () => {
  for (const [n, [cell, problem]] of (
    [
      ['N/A', /missing-value marker/],
      ['"1,234.5"', /thousands separators/],
      ['0x1F', /hexadecimal literal/],
      ['0b101', /binary literal/],
      ['0o17', /octal literal/],
    ] as const
  ).entries()) {
    test(`${cell} as the first cell of a column is an error naming file, line and column, never a dropped column`, async () => {
      const file = series(`first-${n}.csv`, (rows) => (rows[0][1] = cell));
      const error = await loadError(file);
      assert.equal(error.line, 2);
      assert.equal(error.column, 2);
      assert.equal(error.field, 'data.columns');
      assert.match(error.message, new RegExp(`${path.basename(file).replace('.', '\\.')}:2:2: column "a" is not a number here \\(`));
      assert.match(error.message, problem);
      assert.ok(!error.message.includes(cell.replace(/"/g, '')), `the cell is not quoted: ${error.message}`);
    });
  }

  test('every bad cell is listed up to the cap, with the total', async () => {
    const file = series('many-bad.csv', (rows) => {
      for (let i = 0; i < 30; i++) rows[i][i % 2 ? 1 : 2] = 'oops';
    });
    const error = await loadError(file);
    assert.match(error.message, /30 cells are not numbers: /);
    const listed = error.message.match(/many-bad\.csv:\d+:\d+ column "[ab]" \(text\)/g) ?? [];
    assert.equal(listed.length, BAD_CELL_CAP);
    assert.match(listed[0], /:2:3 column "b"/);
    assert.match(listed[1], /:3:2 column "a"/);
    assert.match(error.message, /; and 10 more\./);
  });

  test('with data.columns set, bad cells in the chosen columns are listed; other columns are not read', async () => {
    const file = series('chosen.csv', (rows) => {
      rows[3][1] = 'x';
      rows[5][2] = 'y';
    });
    const error = await loadError(file, { ...small, data: { columns: ['a'] } });
    assert.match(error.message, /chosen\.csv:5:2: column "a" is not a number here \(text\)/);
    const other = await loadError(file, { ...small, data: { columns: ['b'] } });
    assert.match(other.message, /chosen\.csv:7:3: column "b" is not a number here/);
  });

  test('a column with no number at all is left out with a warning that names it', async () => {
    const file = series('text-column.csv', (rows) => rows.forEach((row, i) => row.push(`note ${i}`)), 'timestamp,a,b,comment');
    const ds = await loadDataset(dataConfig(file, small));
    assert.deepEqual(ds.featureNames, ['a', 'b']);
    assert.ok(
      ds.warnings.some((w) => /column "comment" holds no numbers and is not used as input/.test(w)),
      JSON.stringify(ds.warnings),
    );
  });

  test('UCR rows: bad cells listed by line and column', async () => {
    const file = path.join(dir, 'bad.txt');
    writeFileSync(file, '1 0.5 0.6 0.7\n2 0.1 0x10 0.3\n1 0.2 0.3 N/A\n');
    const error = await loadError(file, { data: { format: 'ucr', layout: 'rows', label: 0 }, windowing: { length: 3, stride: 1 }, split: { validation: 0 } });
    assert.match(error.message, /2 cells are not numbers: .*bad\.txt:2:3 column 3 \(a hexadecimal literal\); .*bad\.txt:3:4 column 4 \(a missing-value marker/);
  });
});

describe('values the scaler cannot carry', () => {
  test('1e308 is an error naming the column and line, not a null mean', async () => {
    const file = series('huge.csv', (rows) => {
      rows[10][2] = '1e308';
      rows[11][2] = '-1e308';
    });
    const error = await loadError(file);
    assert.equal(error.line, 12);
    assert.equal(error.column, 3);
    assert.match(error.message, /huge\.csv:12:3: column "b" holds 2 values too large in magnitude \(first at line 12\): TSAE cannot scale values beyond ±1e\+100/);
  });

  test('without scaling, values past float32 are an error that says to scale', async () => {
    const file = series('float32.csv', (rows) => (rows[4][1] = '5e38'));
    const error = await loadError(file, { ...small, preprocessing: { scaling: 'none' } });
    assert.match(error.message, /column "a" holds a value too large .*32-bit floating point.*preprocessing\.scaling to 'standard'/);
    // 1e30 is fine with or without scaling, and the scaler's statistics stay finite.
    const fine = series('large-ok.csv', (rows) => rows.forEach((row, i) => (row[1] = String((i % 7) * 1e30))));
    const ds = await loadDataset(dataConfig(fine, small));
    assert.ok(ds.scaler.mean!.every(Number.isFinite) && ds.scaler.std!.every(Number.isFinite), JSON.stringify(ds.scaler));
  });
});

describe('constant data', () => {
  test('all-constant inputs are an error, not a run that completes with loss 0', async () => {
    const file = series('constant.csv', (rows) => rows.forEach((row) => ((row[1] = '5'), (row[2] = '-1'))));
    const error = await loadError(file);
    assert.match(error.message, /all 2 input columns \("a", "b"\) are constant in the training windows: there is nothing to learn/);
    assert.equal(error.field, 'data.columns');
  });

  test('one constant column is a warning naming it', async () => {
    const file = series('one-constant.csv', (rows) => rows.forEach((row) => (row[2] = '3.25')));
    const ds = await loadDataset(dataConfig(file, small));
    assert.ok(
      ds.warnings.some((w) => /input column "b" is constant in the training windows/.test(w)),
      JSON.stringify(ds.warnings),
    );
    assert.ok(!ds.warnings.some((w) => w.includes('3.25')), 'the value is not quoted');
  });
});
