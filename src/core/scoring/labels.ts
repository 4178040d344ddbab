// Labelled anomalies to compare events with: NAB's combined_windows.json (a map from
// "<category>/<file>.csv" to [start, end] windows; the entry is matched by the data file's name),
// a plain JSON array of [start, end] pairs, or the data's label column. Bounds are timestamps
// when the data has a timestamp column, otherwise 1-based line numbers of the data file.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseTimestamp } from '../data/timestamps';
import type { LabelSet, LabelWindow } from './types';

/** A label file or label column that cannot be used, naming the file and what is wrong. */
export class LabelError extends Error {}

export interface LabelRows {
  line: number[];
  timestamp?: string[];
}

/** Reads a label file for `dataFile` and maps its windows onto the scored rows. */
export function readLabelFile(labelFile: string, dataFile: string, rows: LabelRows, warn: (message: string) => void): LabelSet {
  let text: string;
  try {
    text = fs.readFileSync(labelFile, 'utf8');
  } catch (err) {
    throw new LabelError(`${labelFile}: cannot read label file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new LabelError(`${labelFile}: not valid JSON (${(err as Error).message})`);
  }
  let pairs: unknown;
  let where: string;
  if (Array.isArray(value)) {
    pairs = value;
    where = labelFile;
  } else if (value !== null && typeof value === 'object') {
    const base = path.basename(dataFile);
    const keys = Object.keys(value).filter((k) => path.basename(k) === base);
    if (keys.length === 0) {
      const sample = Object.keys(value).slice(0, 3).join(', ');
      throw new LabelError(`${labelFile}: no entry for ${base} (the file has ${Object.keys(value).length} entries, e.g. ${sample}); entries are matched by file name`);
    }
    if (keys.length > 1) warn(`${labelFile}: ${keys.length} entries end in ${base} (${keys.join(', ')}); using ${keys[0]}`);
    pairs = (value as Record<string, unknown>)[keys[0]];
    where = `${labelFile} entry "${keys[0]}"`;
  } else {
    throw new LabelError(`${labelFile}: expected a JSON array of [start, end] pairs or an object mapping data files to such arrays`);
  }
  return { source: labelFile, windows: labelWindows(pairs, where, rows, warn) };
}

export function labelWindows(pairs: unknown, where: string, rows: LabelRows, warn: (message: string) => void): LabelWindow[] {
  if (!Array.isArray(pairs)) throw new LabelError(`${where}: expected an array of [start, end] pairs`);
  const times = rows.timestamp?.map((t) => parseTimestamp(t));
  const windows: LabelWindow[] = [];
  pairs.forEach((pair, index) => {
    const ok = Array.isArray(pair) && pair.length === 2 && pair.every((b) => typeof b === 'string' || typeof b === 'number');
    if (!ok) throw new LabelError(`${where}: window ${index + 1} is ${JSON.stringify(pair)}; expected [start, end]`);
    const [start, end] = pair as Array<string | number>;
    const bound = (b: string | number): number => {
      if (times) {
        const t = parseTimestamp(String(b));
        if (t === undefined) throw new LabelError(`${where}: window ${index + 1}: ${JSON.stringify(b)} is not a timestamp`);
        return t;
      }
      if (typeof b !== 'number' || !Number.isInteger(b)) {
        throw new LabelError(`${where}: window ${index + 1}: the data has no timestamp column, so bounds must be line numbers of the data file, got ${JSON.stringify(b)}`);
      }
      return b;
    };
    const lo = bound(start);
    const hi = bound(end);
    if (hi < lo) throw new LabelError(`${where}: window ${index + 1} ends (${end}) before it starts (${start})`);
    const keys: ArrayLike<number | undefined> = times ?? rows.line;
    let first = -1;
    let last = -1;
    for (let r = 0; r < keys.length; r++) {
      const k = keys[r];
      if (k !== undefined && k >= lo && k <= hi) {
        if (first < 0) first = r;
        last = r;
      }
    }
    if (first < 0) {
      warn(`${where}: window ${index + 1} [${start}, ${end}] covers no row of the scored data; left out of the metrics`);
      return;
    }
    windows.push({ index: index + 1, start, end, startRow: first, endRow: last });
  });
  return windows;
}

/**
 * Whether a label marks an anomaly: outside `trainLabels` when the run trained on some labels;
 * otherwise any label but 0, "0", "", "normal" or "false".
 */
export function isAnomalousLabel(label: number | string, trainLabels: Array<number | string> | undefined): boolean {
  if (trainLabels) return !trainLabels.some((t) => String(t) === String(label) || Number(t) === Number(label));
  const s = String(label).trim().toLowerCase();
  return !(s === '' || s === 'normal' || s === 'false' || Number(s) === 0);
}

/** Series layout with a label column: runs of anomalous rows become labelled windows. */
export function labelsFromColumn(rowLabels: Array<number | string>, rows: LabelRows, trainLabels: Array<number | string> | undefined): LabelSet {
  const windows: LabelWindow[] = [];
  let first = -1;
  const name = (r: number) => rows.timestamp?.[r] ?? rows.line[r];
  for (let r = 0; r <= rowLabels.length; r++) {
    const anomalous = r < rowLabels.length && isAnomalousLabel(rowLabels[r], trainLabels);
    if (anomalous && first < 0) first = r;
    if (!anomalous && first >= 0) {
      windows.push({ index: windows.length + 1, start: name(first), end: name(r - 1), startRow: first, endRow: r - 1 });
      first = -1;
    }
  }
  return { source: 'label column', windows };
}

/** Rows layout: each sequence is anomalous or not by its label. */
export function labelsFromSequences(labels: Array<number | string>, trainLabels: Array<number | string> | undefined): LabelSet {
  return { source: 'label column', windows: [], anomalous: labels.map((l) => isAnomalousLabel(l, trainLabels)) };
}
