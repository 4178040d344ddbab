// The data probe: what the lint rules may know about a data file without loading it. It reads
// the file's head with the loader's own policies (lines.ts for lines, cells.ts for records and
// cells, timestamps.ts for the timestamp column), so lint and training agree on every cell.
// Synchronous because linting is (the language server lints on every keystroke): it reads at
// most PROBE_BYTE_LIMIT bytes and PROBE_ROW_LIMIT rows, so a huge file, a file without line
// breaks or a 2 GB sparse file costs no more than a small one, and results are cached until the
// file's mtime or size changes. A FIFO or device is refused before it is opened for reading.

import * as fs from 'node:fs';
import { BadCellList } from './badCells';
import { CsvRecordAssembler, NOT_A_NUMBER, parseCell, splitUcrRecord } from './cells';
import { DataError } from './errors';
import { describeKind, forEachLineSync, forEachTextLine, NotAFileError, type LineHandler, type LineReadResult } from './lines';
import { TimestampTrack, timestampColumnIndex } from './timestamps';

export interface ColumnStats {
  /** Numbers seen. */
  count: number;
  /** Missing cells (empty, NaN, null, NA). */
  nanCount: number;
  /** Bad cells (neither numbers nor missing markers). */
  badCount: number;
  mean: number;
  std: number;
  min: number;
  max: number;
}

export interface DataProbe {
  path: string;
  format: 'csv' | 'ucr';
  /** CSV: header names. UCR: `0` (label), `1`..`n` (time steps). */
  columns: string[];
  /** Data rows seen (at most the probe's row limit). */
  rowsRead: number;
  /** True when the file has more rows than were read (row limit or byte budget). */
  truncated: boolean;
  /** Per column holding at least one number, keyed by column name (the loader's rule for what is data). */
  stats: Record<string, ColumnStats>;
  /**
   * Bad cells of every column but the timestamp, by 1-based column, with their rows (for
   * data.maxRows). Whether a column's cells matter depends on the config: a text column the
   * loader leaves out has none that do (see facts.inputColumns).
   */
  badCells: BadCellList;
  /** CSV: the first row whose field count differs from the header's; the probe stops there. */
  ragged?: { line: number; row: number; fields: number; expected: number };
  /** The timestamp column (data.timestamp, or one named like a timestamp), when the file has one. */
  timestamps?: TimestampTrack;
}

export type ProbeResult = { ok: true; probe: DataProbe } | { ok: false; error: string };

export interface ProbeOptions {
  format?: 'csv' | 'ucr';
  /** `data.timestamp`; default: a column named like a timestamp (timestamps.ts). */
  timestamp?: string;
}

export const PROBE_ROW_LIMIT = 20_000;
/** Bytes of a data file the probe reads at most. */
export const PROBE_BYTE_LIMIT = 4 * 1024 * 1024;

interface CacheEntry {
  mtimeMs: number;
  size: number;
  result: ProbeResult;
}

const CACHE_ENTRIES = 64;

const cache = new Map<string, CacheEntry>();

function chooseFormat(filePath: string, format?: 'csv' | 'ucr'): 'csv' | 'ucr' {
  return format ?? (/\.csv$/i.test(filePath) ? 'csv' : 'ucr');
}

/** Header and column statistics of a data file; never throws. */
export function probeData(filePath: string, options: ProbeOptions = {}): ProbeResult {
  const format = chooseFormat(filePath, options.format);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(filePath);
  } catch {
    return { ok: false, error: `data file not found: ${filePath}` };
  }
  if (!stat.isFile()) return { ok: false, error: `data path is ${describeKind(stat)}, not a regular file: ${filePath}` };
  const key = `${format}\0${options.timestamp ?? ''}`;
  const cacheKey = `${filePath}\0${key}`;
  const cached = cache.get(cacheKey);
  if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached.result;
  const result = probeWith(filePath, format, options, (onLine) => forEachLineSync(filePath, onLine, { maxBytes: PROBE_BYTE_LIMIT }));
  cache.delete(cacheKey);
  cache.set(cacheKey, { mtimeMs: stat.mtimeMs, size: stat.size, result });
  // Oldest first: a long session with many data files keeps the most recent probes only.
  if (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
  return result;
}

/** The same probe on text already in memory (tests, unsaved buffers); the same byte budget applies. */
export function probeText(text: string, filePath: string, options: ProbeOptions = {}): ProbeResult {
  const format = chooseFormat(filePath, options.format);
  const head = text.length > PROBE_BYTE_LIMIT ? text.slice(0, text.lastIndexOf('\n', PROBE_BYTE_LIMIT) + 1) : text;
  return probeWith(filePath, format, options, (onLine) => ({ ...forEachTextLine(head, onLine), budgetExhausted: head.length < text.length }));
}

function probeWith(filePath: string, format: 'csv' | 'ucr', options: ProbeOptions, read: (onLine: LineHandler) => LineReadResult): ProbeResult {
  try {
    return probeLines(filePath, format, options, read);
  } catch (error) {
    if (error instanceof NotAFileError) return { ok: false, error: `data path is ${error.kind}, not a regular file: ${filePath}` };
    if (error instanceof DataError) return { ok: false, error: error.message };
    const reason = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
    return { ok: false, error: `cannot read data file ${filePath}: ${reason}` };
  }
}

class ColumnAccumulator {
  count = 0;
  nanCount = 0;
  badCount = 0;
  private mean = 0;
  private m2 = 0;
  private min = Infinity;
  private max = -Infinity;

  /** Adds a parsed cell; false for a bad cell. */
  add(value: number | typeof NOT_A_NUMBER): boolean {
    if (value === NOT_A_NUMBER) {
      this.badCount++;
      return false;
    }
    if (Number.isNaN(value)) {
      this.nanCount++;
      return true;
    }
    this.count++;
    const delta = value - this.mean;
    this.mean += delta / this.count;
    this.m2 += delta * (value - this.mean);
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    return true;
  }

  stats(): ColumnStats {
    return {
      count: this.count,
      nanCount: this.nanCount,
      badCount: this.badCount,
      mean: this.mean,
      std: this.count > 0 ? Math.sqrt(this.m2 / this.count) : 0,
      min: this.min,
      max: this.max,
    };
  }
}

function probeLines(filePath: string, format: 'csv' | 'ucr', options: ProbeOptions, read: (onLine: LineHandler) => LineReadResult): ProbeResult {
  let columns: string[] | undefined;
  const accumulators: ColumnAccumulator[] = [];
  const badCells = new BadCellList();
  const assembler = new CsvRecordAssembler();
  let timestamps: TimestampTrack | undefined;
  let timestampIndex = -1;
  let rowsRead = 0;
  let rowLimitHit = false;
  let ragged: DataProbe['ragged'];

  const addRow = (fields: string[], line: number): void => {
    while (accumulators.length < fields.length) accumulators.push(new ColumnAccumulator());
    for (let i = 0; i < fields.length; i++) {
      // Date stamps are not numbers but not bad cells either.
      if (!accumulators[i].add(parseCell(fields[i])) && i !== timestampIndex) {
        badCells.add({ line, column: i + 1, name: format === 'csv' ? (columns?.[i] ?? '') : '', raw: fields[i], row: rowsRead, field: 'data.columns' });
      }
    }
    if (timestampIndex >= 0 && timestampIndex < fields.length) timestamps?.add(fields[timestampIndex], line);
    rowsRead++;
  };

  const onLine: LineHandler = (text, line) => {
    if (rowsRead >= PROBE_ROW_LIMIT) {
      if (text.trim() === '') return true;
      rowLimitHit = true;
      return false;
    }
    if (format === 'ucr') {
      const fields = splitUcrRecord(text);
      if (fields.length > 0) addRow(fields, line);
      return true;
    }
    const record = assembler.push(text, line);
    if (assembler.runaway) throw new DataError(`${filePath}:${assembler.openSince}: a quoted field opened here is not closed within 1000 lines`, { file: filePath });
    if (!record) return true;
    if (columns !== undefined && record.fields.length !== columns.length) {
      // The loader refuses such a row (when it reads that far): stop here and keep the place.
      ragged = { line: record.line, row: rowsRead, fields: record.fields.length, expected: columns.length };
      return false;
    }
    if (columns === undefined) {
      columns = record.fields.map((name) => name.trim());
      timestampIndex = timestampColumnIndex(columns, options.timestamp);
      if (timestampIndex >= 0) timestamps = new TimestampTrack(columns[timestampIndex]);
      return true;
    }
    addRow(record.fields, record.line);
    return true;
  };

  const result = read(onLine);
  const truncated = rowLimitHit || result.budgetExhausted === true || ragged !== undefined;
  if (!truncated && assembler.openSince !== undefined) return { ok: false, error: `${filePath}:${assembler.openSince}: a quoted field is never closed` };
  if (truncated && rowsRead === 0)
    return { ok: false, error: `${filePath}: no complete data row in the first ${PROBE_BYTE_LIMIT / 1024 / 1024} MB (lines this long are not a data table)` };
  if (format === 'csv' && columns === undefined) return { ok: false, error: `${filePath} is empty: expected a CSV header line` };
  if (rowsRead === 0 && ragged) return { ok: false, error: `${filePath}:${ragged.line}: ${ragged.fields} fields but the header (line 1) has ${ragged.expected}` };
  if (rowsRead === 0) return { ok: false, error: `${filePath} has no data rows` };
  const names = columns ?? accumulators.map((_, i) => String(i));
  const stats: Record<string, ColumnStats> = {};
  names.forEach((name, i) => {
    const accumulator = accumulators[i];
    if (accumulator && accumulator.count > 0 && !(name in stats)) stats[name] = accumulator.stats();
  });
  return { ok: true, probe: { path: filePath, format, columns: names, rowsRead, truncated, stats, badCells, timestamps, ragged } };
}
