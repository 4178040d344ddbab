// The data rules (issue 10 item 6): TSAE114 constant columns, TSAE115 timestamp gaps and
// irregular cadence, TSAE116 duplicate/unsorted timestamps, TSAE117 every bad cell up to a cap.
// Each on synthetic data in memory, with the place it reports, and agreeing with the loader.

import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DataError, loadDataset } from '../../src/core/data';
import { blocksTraining, lintText, loadConfigFile } from '../../src/core/lint';
import type { Finding } from '../../src/core/types';
import { dataConfig } from './dataConfig';

const CONFIG = '/w/a.tsae.yaml';
const DATA = '/w/d.csv';

function config(data: string): string {
  return `data:\n  path: d.csv\n${data}windowing:\n  length: 8\n  stride: 4\nmodel:\n  encoder: [{units: 8}]\n  latent: {size: 4}\n  decoder: [{units: 8}]\n`;
}

function lint(csv: string, data = '', code?: string): Finding[] {
  const findings = lintText(config(data), { fileName: CONFIG, readFile: (file) => (file === DATA ? csv : undefined) }).findings;
  return code ? findings.filter((f) => f.code === code) : findings.filter((f) => /^TSAE11[4-7]$/.test(f.code));
}

/** Rows `timestamp,a,b` every 5 minutes from 2024-01-01, with `edit` applied to the row list (index 0 = line 2). */
function csv(rows = 200, edit: (rows: string[][]) => void = () => {}): string {
  const start = Date.UTC(2024, 0, 1);
  const body = Array.from({ length: rows }, (_, i) => [
    new Date(start + i * 300_000).toISOString().replace('T', ' ').slice(0, 19),
    (Math.sin(i / 4) * 5).toFixed(3),
    (Math.cos(i / 9) * 2 + 1).toFixed(3),
  ]);
  edit(body);
  return `timestamp,a,b\n${body.map((r) => r.join(',')).join('\n')}\n`;
}

describe('clean data gives no data finding', () => {
  test('a regular series', () => {
    assert.deepEqual(lint(csv()), []);
  });
});

describe('TSAE114 constant input column', () => {
  test('one constant column: a warning on it', () => {
    const findings = lint(
      csv(200, (rows) => rows.forEach((r) => (r[2] = '7'))),
      '  columns: [a, b]\n',
    );
    assert.equal(findings.length, 1);
    assert.equal(findings[0].code, 'TSAE114');
    assert.equal(findings[0].severity, 'warning');
    assert.equal(findings[0].configPath, 'data.columns.1');
    assert.match(findings[0].message, /^input column "b" is constant in its 200 rows/);
  });

  test('every input constant: an error, as training refuses it', () => {
    const [finding] = lint(csv(200, (rows) => rows.forEach((r) => ((r[1] = '1'), (r[2] = '2')))));
    assert.equal(finding.code, 'TSAE114');
    assert.equal(finding.severity, 'error');
    assert.match(finding.message, /all 2 input columns are constant in its 200 rows: there is nothing to learn/);
  });
});

describe('TSAE115 gaps and irregular cadence', () => {
  test('a 7-day gap: count, missing steps, the largest and its lines', () => {
    const findings = lint(
      csv(200, (rows) => {
        for (let i = 100; i < 200; i++) rows[i][0] = new Date(Date.UTC(2024, 0, 8) + i * 300_000).toISOString().replace('T', ' ').slice(0, 19);
      }),
      '  timestamp: timestamp\n',
    );
    assert.equal(findings.length, 1, JSON.stringify(findings));
    const [gap] = findings;
    assert.equal(gap.code, 'TSAE115');
    assert.equal(gap.configPath, 'data.timestamp');
    assert.match(gap.message, /timestamp column "timestamp" has 1 gap \(about 2016 missing steps of 5 min\); the largest is 1 week between lines 101 and 102/);
  });

  test('irregular steps: how many and the first', () => {
    const [finding] = lint(
      csv(200, (rows) => {
        // Rows 50-59 every 3 minutes instead of 5 (then the clock catches up with one longer step).
        for (let i = 50; i < 60; i++) rows[i][0] = new Date(Date.UTC(2024, 0, 1) + 49 * 300_000 + (i - 49) * 180_000).toISOString().replace('T', ' ').slice(0, 19);
      }),
    );
    assert.equal(finding.code, 'TSAE115');
    assert.match(finding.message, /10 of 199 steps are off the usual 5 min by more than 10 % \(first at line 52\)/);
  });

  test('only the rows of data.maxRows count', () => {
    const data = csv(200, (rows) => {
      for (let i = 150; i < 200; i++) rows[i][0] = new Date(Date.UTC(2024, 1, 1) + i * 300_000).toISOString().replace('T', ' ').slice(0, 19);
    });
    assert.equal(lint(data, '', 'TSAE115').length, 1);
    assert.deepEqual(lint(data, '  maxRows: 150\n', 'TSAE115'), []);
  });
});

describe('TSAE116 duplicate and unsorted timestamps', () => {
  test('a clock reset: backwards once, duplicates counted, lines named, stamps never quoted', () => {
    const findings = lint(
      csv(200, (rows) => {
        // Rows 120..131 repeat the times of rows 108..119.
        for (let i = 120; i < 132; i++) rows[i][0] = rows[i - 12][0];
      }),
      '',
      'TSAE116',
    );
    assert.equal(findings.length, 1);
    assert.equal(findings[0].configPath, 'data.path');
    assert.match(findings[0].message, /goes backwards once \(first at line 122, after line 121\) and has 12 duplicate times \(first at line 122, same as line 110\)/);
    assert.ok(!findings[0].message.includes('2024'), 'no stamp quoted');
  });
});

describe('TSAE117 bad cells', () => {
  test('every bad cell up to 20, each file:line:column, with the total; blocks training', () => {
    const [finding] = lint(
      csv(200, (rows) => {
        for (let i = 0; i < 25; i++) rows[i * 3][1 + (i % 2)] = ['N/A', '"1,234.5"', '0x1F', 'oops', '0b11'][i % 5];
      }),
    );
    assert.equal(finding.code, 'TSAE117');
    assert.equal(finding.severity, 'error');
    assert.ok(blocksTraining(finding));
    assert.match(
      finding.message,
      /^25 cells are not numbers: d\.csv:2:2 column "a" \(a missing-value marker TSAE does not read\); d\.csv:5:3 column "b" \(a number with thousands separators\); d\.csv:8:2 column "a" \(a hexadecimal literal\)/,
    );
    assert.equal(finding.message.match(/d\.csv:\d+:\d+/g)?.length, 20);
    assert.match(finding.message, /; and 5 more\./);
    assert.ok(!/oops|0x1F|N\/A/.test(finding.message), 'cells are described, not quoted');
  });

  test('a column whose first cell is N/A is reported, not dropped', () => {
    const [finding] = lint(csv(200, (rows) => (rows[0][2] = 'N/A')));
    assert.equal(finding.code, 'TSAE117');
    assert.match(finding.message, /^column "b" is not a number here \(a missing-value marker/);
  });

  test('a text column the loader leaves out is not reported; named in data.columns it is', () => {
    const base = csv(50).trimEnd().split('\n');
    const withNote = `${[`${base[0]},note`, ...base.slice(1).map((line, i) => `${line},note ${i}`)].join('\n')}\n`;
    assert.deepEqual(lint(withNote, '', 'TSAE117'), []);
    const [finding] = lint(withNote, '  columns: [a, note]\n', 'TSAE117');
    assert.match(finding.message, /^50 cells are not numbers: d\.csv:2:4 column "note" \(text\)/);
  });
});

describe('TSAE118 values too large to scale', () => {
  test('1e308 in an input column: an error that blocks training; the same within the limit is fine', () => {
    const [finding] = lint(
      csv(200, (rows) => (rows[10][1] = '1e308')),
      '',
      'TSAE118',
    );
    assert.equal(finding.severity, 'error');
    assert.ok(blocksTraining(finding));
    assert.equal(finding.configPath, 'data.path');
    assert.match(finding.message, /^column "a" holds a value above 1e\+100 in magnitude: scaling would overflow 64-bit floating point, so training refuses the file/);
    assert.deepEqual(
      lint(
        csv(200, (rows) => (rows[10][1] = '1e99')),
        '',
        'TSAE118',
      ),
      [],
    );
  });

  test("without scaling the limit is float32's", () => {
    const [finding] = lint(
      csv(200, (rows) => (rows[10][2] = '-1e39')),
      'preprocessing:\n  scaling: none\n',
      'TSAE118',
    );
    assert.match(finding?.message ?? '', /^column "b" holds a value beyond ±3\.4e38: with preprocessing.scaling 'none'/);
  });

  test('with data.maxRows below the rows read the value may not be trained on: a warning', () => {
    const [finding] = lint(
      csv(200, (rows) => (rows[150][1] = '1e300')),
      '  maxRows: 100\n',
      'TSAE118',
    );
    assert.equal(finding.severity, 'warning');
    assert.match(finding.message, /in the first 200 rows read \(training reads the first 100 of them\)/);
  });
});

describe('lint and training agree', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tsae-rules-data-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('the same bad cells from tsae lint and from the loader; loadConfigFile refuses to train', async () => {
    const data = csv(200, (rows) => {
      rows[3][1] = '0x1F';
      rows[7][2] = 'N/A';
    });
    writeFileSync(path.join(dir, 'd.csv'), data);
    const configFile = path.join(dir, 'a.tsae.yaml');
    writeFileSync(configFile, config(''));
    const loaded = loadConfigFile(configFile);
    assert.equal(loaded.resolved, undefined, 'TSAE117 blocks training');
    const lintMessage = loaded.findings.find((f) => f.code === 'TSAE117')!.message;
    let loaderMessage = '';
    try {
      await loadDataset(dataConfig(path.join(dir, 'd.csv'), { data: { path: 'd.csv' }, windowing: { length: 8, stride: 4 } }));
    } catch (error) {
      assert.ok(error instanceof DataError);
      loaderMessage = error.message;
    }
    assert.equal(loaderMessage, `d.csv:5:2: ${lintMessage}`);
  });

  test('values too large: tsae lint refuses what the loader refuses', async () => {
    writeFileSync(
      path.join(dir, 'big.csv'),
      csv(200, (rows) => (rows[3][1] = '1e308')),
    );
    const configFile = path.join(dir, 'big.tsae.yaml');
    writeFileSync(configFile, config('').replace('d.csv', 'big.csv'));
    const loaded = loadConfigFile(configFile);
    assert.equal(loaded.resolved, undefined, 'TSAE118 blocks training');
    assert.ok(loaded.findings.some((f) => f.code === 'TSAE118'));
    await assert.rejects(
      loadDataset(dataConfig(path.join(dir, 'big.csv'), { data: { path: 'big.csv' }, windowing: { length: 8, stride: 4 } })),
      (error: unknown) => error instanceof DataError && /big\.csv:5:2: column "a" holds a value too large in magnitude/.test(error.message),
    );
  });

  test('training warns about the gaps and duplicates the linter reports', async () => {
    const data = csv(200, (rows) => {
      rows[60][0] = rows[59][0];
      for (let i = 120; i < 200; i++) rows[i][0] = new Date(Date.UTC(2024, 0, 5) + i * 300_000).toISOString().replace('T', ' ').slice(0, 19);
    });
    writeFileSync(path.join(dir, 'gappy.csv'), data);
    const ds = await loadDataset(dataConfig(path.join(dir, 'gappy.csv'), { data: { path: 'gappy.csv' }, windowing: { length: 8, stride: 4 } }));
    assert.ok(
      ds.warnings.some((w) => /gappy\.csv:122: 2 gaps in column "timestamp" .*the largest is 4 days between lines 121 and 122/.test(w)),
      JSON.stringify(ds.warnings),
    );
    assert.ok(
      ds.warnings.some((w) => /gappy\.csv:62: 1 duplicate timestamp in column "timestamp" \(first at line 62, same as line 61\)/.test(w)),
      JSON.stringify(ds.warnings),
    );
  });
});
