// One data-reading policy (issue 11 items 1, 5, 9; issue 15 item 1): every reader splits lines,
// records and cells the same way, handles BOM and CR-only/CRLF line ends, reads in linear time
// with a byte budget for static checks, and never blocks on a FIFO.

import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, ftruncateSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DataError, loadDataset } from '../../src/core/data';
import { CsvRecordAssembler, describeBadCell, NOT_A_NUMBER, parseCell, splitCsvRecord } from '../../src/core/data/cells';
import { forEachTextLine, LineSplitter, MAX_LINE_CHARS, readTextFileSync } from '../../src/core/data/lines';
import { PROBE_BYTE_LIMIT, probeData, probeText } from '../../src/core/data/probe';
import { isTimestampName, timestampColumnIndex } from '../../src/core/data/timestamps';
import { lintFile, lintText } from '../../src/core/lint';
import { dataConfig } from './dataConfig';

const dir = mkdtempSync(path.join(tmpdir(), 'tsae-reading-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

function lines(text: string, chunks: number[] = [text.length]): string[] {
  const out: string[] = [];
  const splitter = new LineSplitter((line) => void out.push(line));
  let at = 0;
  for (const size of chunks) {
    splitter.feed(text.slice(at, at + size));
    at += size;
  }
  splitter.feed(text.slice(at));
  splitter.end();
  return out;
}

async function loadError(file: string, overrides: Parameters<typeof dataConfig>[1] = {}): Promise<DataError> {
  try {
    await loadDataset(dataConfig(file, { windowing: { length: 2, stride: 1 }, split: { validation: 0 }, ...overrides }));
  } catch (error) {
    assert.ok(error instanceof DataError, `expected a DataError, got ${String(error)}`);
    return error;
  }
  assert.fail(`loading ${file} should have failed`);
}

describe('lines', () => {
  test('LF, CRLF and CR-only line ends, a BOM, and no empty last line', () => {
    assert.deepEqual(lines('\uFEFFa\nb\r\nc\rd\n'), ['a', 'b', 'c', 'd']);
    assert.deepEqual(lines('a\r\rb'), ['a', '', 'b']);
  });

  test('a CRLF split between chunks is one line end; chunk size never changes the lines', () => {
    const text = 'h1,h2\r\n1,2\r\n3,4\r5,6\n7,8';
    const expected = ['h1,h2', '1,2', '3,4', '5,6', '7,8'];
    for (let size = 1; size < text.length; size++) {
      const chunks = Array.from({ length: Math.ceil(text.length / size) }, () => size);
      assert.deepEqual(lines(text, chunks), expected, `chunks of ${size}`);
    }
  });

  test('a line over MAX_LINE_CHARS and a NUL byte are refused with the line number', () => {
    assert.throws(() => lines(`a\n${'9'.repeat(MAX_LINE_CHARS + 1)}\n`), /line 2|longer than/);
    assert.throws(
      () => forEachTextLine('a\nb\0c\n', () => true),
      (error: Error & { line?: number }) => error.line === 2 && /NUL/.test(error.message),
    );
  });

  test('readTextFileSync drops a BOM and refuses a directory', () => {
    assert.equal(readTextFileSync(write('bom.json', '\uFEFF{"a": 1}')), '{"a": 1}');
    assert.throws(() => readTextFileSync(dir), /is a directory, not a regular file/);
  });
});

describe('records and cells', () => {
  test('one CSV splitter: quotes, doubled quotes, commas, records over several lines', () => {
    assert.deepEqual(splitCsvRecord('a,"b,c","say ""hi""",'), ['a', 'b,c', 'say "hi"', '']);
    const assembler = new CsvRecordAssembler();
    assert.equal(assembler.push('1,"two', 5), undefined);
    assert.equal(assembler.openSince, 5);
    assert.deepEqual(assembler.push('lines",3', 6), { fields: ['1', 'two\nlines', '3'], line: 5 });
  });

  test('strict numbers: N/A, thousands separators, hex, binary, octal, Infinity and digit separators are bad cells', () => {
    for (const good of ['1', '-2.5', '+.5', '5.', '1e-3', '1E+10', ' 12 ', '1e308']) assert.equal(typeof parseCell(good), 'number', good);
    for (const missing of ['', 'NaN', 'nan', 'null', 'NA']) assert.ok(Number.isNaN(parseCell(missing)), missing);
    const bad: Array<[string, RegExp]> = [
      ['N/A', /missing-value marker/],
      ['1,234.5', /thousands separators/],
      ['0x1F', /hexadecimal/],
      ['0b101', /binary/],
      ['0o17', /octal/],
      ['Infinity', /infinite/],
      ['1_000', /digit separators/],
      ['1e400', /too large/],
      ['abc', /^text$/],
    ];
    for (const [raw, problem] of bad) {
      assert.equal(parseCell(raw), NOT_A_NUMBER, raw);
      assert.match(describeBadCell(raw), problem, raw);
    }
  });

  test('one list of timestamp names', () => {
    assert.ok(isTimestampName('Timestamp') && isTimestampName('datetime') && !isTimestampName('value'));
    assert.equal(timestampColumnIndex(['value', 'Time']), 1);
    assert.equal(timestampColumnIndex(['value', 'Time'], 'value'), 0);
  });
});

describe('every reader agrees', () => {
  const CSV = 'timestamp,value\r1,0.5\r2,0.7\r3,0.2\r4,0.9\r';

  test('a CR-only CSV: the probe and the loader both read 4 rows', async () => {
    const file = write('cr-only.csv', CSV);
    const probe = probeData(file);
    assert.ok(probe.ok, JSON.stringify(probe));
    assert.equal(probe.probe.rowsRead, 4);
    assert.deepEqual(probe.probe.columns, ['timestamp', 'value']);
    const ds = await loadDataset(dataConfig(file, { windowing: { length: 2, stride: 1 }, split: { validation: 0 } }));
    assert.equal(ds.rowsRead, 4);
    assert.deepEqual(ds.featureNames, ['value']);
  });

  test('a BOM + CRLF CSV: the probe and the loader read the same header and rows', async () => {
    const file = write('bom-crlf.csv', `\uFEFF${CSV.replace(/\r/g, '\r\n')}`);
    const probe = probeData(file);
    assert.ok(probe.ok);
    assert.deepEqual(probe.probe.columns, ['timestamp', 'value']);
    const ds = await loadDataset(dataConfig(file, { windowing: { length: 2, stride: 1 }, split: { validation: 0 } }));
    assert.equal(ds.rowsRead, probe.probe.rowsRead);
  });

  test('a JSON config with a BOM lints clean from disk (the CLI path) and in memory (the editor path)', () => {
    write('series.csv', 'timestamp,value\n' + Array.from({ length: 40 }, (_, i) => `${i},${Math.sin(i)}`).join('\n'));
    const config = JSON.stringify({ data: { path: 'series.csv' }, windowing: { length: 8 }, model: { encoder: [{ units: 4 }], latent: { size: 2 }, decoder: [{ units: 4 }] } });
    const file = write('bom.tsae.json', `\uFEFF${config}`);
    const fromDisk = lintFile(file);
    assert.deepEqual(
      fromDisk.findings.filter((f) => f.code === 'TSAE001'),
      [],
    );
    assert.ok(fromDisk.resolved);
    const inMemory = lintText(`\uFEFF${config}`, { fileName: file });
    assert.deepEqual(
      inMemory.findings.filter((f) => f.code === 'TSAE001'),
      [],
    );
  });
});

describe('files that are not tables', () => {
  test('a FIFO as data: the probe and the loader refuse it without blocking', { skip: process.platform === 'win32' }, async () => {
    const fifo = path.join(dir, 'pipe.csv');
    execFileSync('mkfifo', [fifo]);
    const probe = probeData(fifo);
    assert.equal(probe.ok, false);
    assert.match((probe as { error: string }).error, /FIFO|not a regular file/);
    const error = await loadError(fifo);
    assert.match(error.message, /FIFO \(named pipe\), not a regular file/);
    assert.equal(error.field, 'data.path');
    // A config that is a FIFO: the CLI reader refuses it too.
    const fifoConfig = path.join(dir, 'pipe.tsae.yaml');
    execFileSync('mkfifo', [fifoConfig]);
    const linted = lintFile(fifoConfig);
    assert.match(linted.findings[0].message, /FIFO/);
  });

  test('a 2 GB sparse file: the probe and the loader stop at once with the reason', async () => {
    const file = path.join(dir, 'sparse.csv');
    const fd = openSync(file, 'w');
    ftruncateSync(fd, 2 * 1024 ** 3);
    closeSync(fd);
    const probe = probeData(file);
    assert.equal(probe.ok, false);
    assert.match((probe as { error: string }).error, /NUL byte/);
    const error = await loadError(file);
    assert.match(error.message, /:1: line 1 holds a NUL byte: this is not a text file/);
  });

  test('a 32 MB line: the probe reads its budget and says so, the loader refuses the line by number', async () => {
    const file = path.join(dir, 'long-line.csv');
    const fd = openSync(file, 'w');
    writeSync(fd, 'timestamp,value\n1,');
    const block = Buffer.from('7'.repeat(1024 * 1024));
    for (let i = 0; i < 32; i++) writeSync(fd, block);
    writeSync(fd, '\n2,3\n');
    closeSync(fd);
    const probe = probeData(file);
    assert.ok(probe.ok === false || probe.probe.truncated, JSON.stringify(probe).slice(0, 300));
    const error = await loadError(file);
    assert.match(error.message, /:2: line 2 is longer than 4 M characters/);
    assert.equal(error.line, 2);
  });

  test('the in-memory probe has the same byte budget', () => {
    const rows = Array.from({ length: 600_000 }, (_, i) => `${i},${i % 10}`).join('\n');
    assert.ok(rows.length > PROBE_BYTE_LIMIT);
    const result = probeText(`t,v\n${rows}\n`, '/d/big.csv');
    assert.ok(result.ok);
    assert.equal(result.probe.truncated, true);
    assert.ok(result.probe.rowsRead > 0);
  });
});

describe('ragged rows', () => {
  test('lint reports a ragged row the loader would refuse, and not one past data.maxRows', () => {
    const csv = `timestamp,value\n${Array.from({ length: 30 }, (_, i) => `${i},${Math.sin(i)}`).join('\n')}\n30,1,2\n`;
    const config = (extra: string): string =>
      `data:\n  path: d.csv\n${extra}windowing:\n  length: 4\nmodel:\n  encoder: [{units: 4}]\n  latent: {size: 2}\n  decoder: [{units: 4}]\n`;
    const lint = (extra: string) => lintText(config(extra), { fileName: '/w/a.tsae.yaml', readFile: () => csv }).findings.filter((f) => f.code === 'TSAE005');
    assert.deepEqual(
      lint('').map((f) => f.message),
      ['data.path: /w/d.csv:32: 3 fields but the header (line 1) has 2'],
    );
    assert.deepEqual(lint('  maxRows: 30\n'), []);
  });
});
