// Types of the data probe: what the lint rules may know about a data file without loading it.
// The reader itself lives next to this file (probeData); it is cached by path, mtime and size.

import * as fs from 'node:fs';

export interface ColumnStats {
  count: number;
  nanCount: number;
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
  /** True when the file has more rows than were read. */
  truncated: boolean;
  /** Per numeric column, keyed by column name. */
  stats: Record<string, ColumnStats>;
}

export type ProbeResult = { ok: true; probe: DataProbe } | { ok: false; error: string };

// ---------------------------------------------------------------------------------------------
// The reader. Synchronous because linting is (the language server lints on every keystroke);
// it reads the file in chunks and stops after PROBE_ROW_LIMIT rows, so huge files cost no more
// than a small one, and results are cached until the file's mtime or size changes.

export const PROBE_ROW_LIMIT = 20_000;
const CHUNK_BYTES = 1 << 16;

interface CacheEntry {
  mtimeMs: number;
  size: number;
  format: 'csv' | 'ucr';
  result: ProbeResult;
}

const cache = new Map<string, CacheEntry>();

/** Header and column statistics of a data file; never throws. Format defaults by extension. */
export function probeData(filePath: string, format?: 'csv' | 'ucr'): ProbeResult {
  const chosen = format ?? (/\.csv$/i.test(filePath) ? 'csv' : 'ucr');
  let stat: fs.Stats;
  try {
    stat = fs.statSync(filePath);
  } catch {
    return { ok: false, error: `data file not found: ${filePath}` };
  }
  if (!stat.isFile()) return { ok: false, error: `data path is not a file: ${filePath}` };
  const cached = cache.get(filePath);
  if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size && cached.format === chosen) {
    return cached.result;
  }
  let result: ProbeResult;
  try {
    result = probeLines(filePath, chosen, readLines(filePath));
  } catch (error) {
    result = { ok: false, error: `cannot read data file ${filePath}: ${error instanceof Error ? error.message : String(error)}` };
  }
  cache.set(filePath, { mtimeMs: stat.mtimeMs, size: stat.size, format: chosen, result });
  return result;
}

/** The same probe on text already in memory (tests, unsaved buffers). */
export function probeText(text: string, filePath: string, format?: 'csv' | 'ucr'): ProbeResult {
  const chosen = format ?? (/\.csv$/i.test(filePath) ? 'csv' : 'ucr');
  return probeLines(filePath, chosen, splitLines(text));
}

function* splitLines(text: string): Generator<string> {
  for (const line of text.split(/\r?\n|\r/)) yield line;
}

/** Lines of a file, read lazily in chunks so the caller can stop early. */
function* readLines(filePath: string): Generator<string> {
  const fd = fs.openSync(filePath, 'r');
  try {
    const buffer = Buffer.alloc(CHUNK_BYTES);
    const decoder = new TextDecoder('utf-8');
    let pending = '';
    for (;;) {
      const bytes = fs.readSync(fd, buffer, 0, CHUNK_BYTES, null);
      if (bytes === 0) break;
      pending += decoder.decode(buffer.subarray(0, bytes), { stream: true });
      const lines = pending.split(/\r?\n|\r(?!$)/);
      pending = lines.pop() ?? '';
      yield* lines;
    }
    pending += decoder.decode();
    if (pending !== '') yield pending.replace(/\r$/, '');
  } finally {
    fs.closeSync(fd);
  }
}

/** Splits one CSV line, honouring double-quoted fields with "" escapes. */
export function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}

const MISSING_MARKERS = new Set(['', 'nan', 'na', 'n/a', 'null', 'none', '?']);

class ColumnAccumulator {
  count = 0;
  nanCount = 0;
  textCount = 0;
  private mean = 0;
  private m2 = 0;
  private min = Infinity;
  private max = -Infinity;

  add(raw: string): void {
    const trimmed = raw.trim();
    const value = trimmed === '' ? NaN : Number(trimmed);
    if (Number.isFinite(value)) {
      this.count++;
      const delta = value - this.mean;
      this.mean += delta / this.count;
      this.m2 += delta * (value - this.mean);
      if (value < this.min) this.min = value;
      if (value > this.max) this.max = value;
    } else {
      this.nanCount++;
      if (!MISSING_MARKERS.has(trimmed.toLowerCase())) this.textCount++;
    }
  }

  /** Numeric when most present values are numbers (a timestamp column is not). */
  get isNumeric(): boolean {
    return this.count > 0 && this.count >= this.textCount;
  }

  stats(): ColumnStats {
    return {
      count: this.count,
      nanCount: this.nanCount,
      mean: this.mean,
      std: this.count > 0 ? Math.sqrt(this.m2 / this.count) : 0,
      min: this.min,
      max: this.max,
    };
  }
}

function probeLines(filePath: string, format: 'csv' | 'ucr', lines: Iterable<string>): ProbeResult {
  let columns: string[] | undefined;
  const accumulators: ColumnAccumulator[] = [];
  let rowsRead = 0;
  let truncated = false;
  let first = true;
  for (let line of lines) {
    if (first) {
      line = line.replace(/^\uFEFF/, '');
      first = false;
    }
    if (line.trim() === '') continue;
    if (rowsRead >= PROBE_ROW_LIMIT) {
      truncated = true;
      break;
    }
    if (format === 'csv' && columns === undefined) {
      columns = splitCsvLine(line).map((name) => name.trim());
      continue;
    }
    const fields = format === 'csv' ? splitCsvLine(line) : line.trim().split(/[\s,]+/);
    while (accumulators.length < fields.length) accumulators.push(new ColumnAccumulator());
    fields.forEach((field, i) => accumulators[i].add(field));
    rowsRead++;
  }
  if (format === 'csv' && columns === undefined) return { ok: false, error: `${filePath} is empty: expected a CSV header line` };
  if (rowsRead === 0) return { ok: false, error: `${filePath} has no data rows` };
  const names = columns ?? accumulators.map((_, i) => String(i));
  const stats: Record<string, ColumnStats> = {};
  names.forEach((name, i) => {
    const accumulator = accumulators[i];
    if (accumulator?.isNumeric) stats[name] = accumulator.stats();
  });
  return { ok: true, probe: { path: filePath, format, columns: names, rowsRead, truncated, stats } };
}
