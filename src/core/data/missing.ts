// Missing cells (empty, NaN, null, NA) are an error by default because silently filling them
// changes what the model learns; `data.missing` lets the user choose to drop or interpolate.

import type { DataLayout, MissingValues } from '../config/types';
import { DataError, locationPrefix } from './errors';
import { describeColumn, type RawTable } from './table';

interface MissingCell {
  line: number;
  column: number;
  name: string;
}

interface MissingSummary {
  total: number;
  /** Missing count per described column, in order of first appearance. */
  perColumn: Map<string, number>;
  first: MissingCell[];
  rowHasMissing: Uint8Array;
}

const SHOWN_LOCATIONS = 3;

export interface MissingContext {
  file: string;
  display: string;
  warn(message: string): void;
}

/** Applies `policy` and returns a table without NaN cells (the same object when nothing is missing). */
export function handleMissing(table: RawTable, policy: MissingValues, layout: DataLayout, ctx: MissingContext): RawTable {
  const summary = summarise(table);
  if (summary.total === 0) return table;
  const first = summary.first[0];
  const where = locationPrefix(ctx.display, first.line);
  if (policy === 'error') {
    const message = `${summary.total} missing ${summary.total === 1 ? 'value' : 'values'} ${describeColumns(summary)} (first at ${describeLocations(summary)}); set data.missing to 'drop' or 'interpolate' to accept them`;
    throw new DataError(`${locationPrefix(ctx.display, first.line, first.column)}${message}`, {
      file: ctx.file,
      line: first.line,
      column: first.column,
      field: 'data.missing',
    });
  }
  if (policy === 'drop') {
    const dropped = summary.rowHasMissing.reduce((n, flag) => n + flag, 0);
    if (dropped === table.rowCount) {
      throw new DataError(`${where}every row has a missing value; nothing is left after data.missing 'drop'`, { file: ctx.file, line: first.line, field: 'data.missing' });
    }
    const rowsWord = layout === 'rows' ? 'sequences' : 'rows';
    ctx.warn(`${where}dropped ${dropped} ${rowsWord} with missing values (first at ${describeLocations(summary)})`);
    return dropRows(table, summary.rowHasMissing);
  }
  interpolateTable(table, layout, ctx);
  ctx.warn(`${where}interpolated ${summary.total} missing ${summary.total === 1 ? 'value' : 'values'} ${describeColumns(summary)} (first at ${describeLocations(summary)})`);
  return table;
}

function summarise(table: RawTable): MissingSummary {
  const summary: MissingSummary = { total: 0, perColumn: new Map(), first: [], rowHasMissing: new Uint8Array(table.rowCount) };
  const scan = (values: Float64Array | undefined, names: string[], columns: number[]): void => {
    if (!values) return;
    const width = names.length;
    let shown = 0;
    for (let i = 0; i < values.length; i++) {
      if (!Number.isNaN(values[i])) continue;
      const row = Math.floor(i / width);
      const c = i % width;
      const described = describeColumn(table, names[c], columns[c]);
      summary.total++;
      summary.perColumn.set(described, (summary.perColumn.get(described) ?? 0) + 1);
      summary.rowHasMissing[row] = 1;
      // Rows are scanned in order, so the first few of each part are enough to find the overall first few.
      if (shown++ < SHOWN_LOCATIONS) summary.first.push({ line: table.lines[row], column: columns[c], name: described });
    }
  };
  scan(table.inputs, table.inputNames, table.inputColumns);
  scan(table.targets, table.targetNames, table.targetColumns);
  // Inputs and targets were scanned one after the other; order by position in the file.
  summary.first.sort((a, b) => a.line - b.line || a.column - b.column);
  summary.first.length = Math.min(summary.first.length, SHOWN_LOCATIONS);
  return summary;
}

function describeColumns(summary: MissingSummary): string {
  const entries = [...summary.perColumn];
  if (entries.length === 1) return `in ${entries[0][0]}`;
  if (entries.length <= SHOWN_LOCATIONS) return `in ${entries.map(([name, n]) => `${name} (${n})`).join(', ')}`;
  return `in ${entries.length} columns`;
}

function describeLocations(summary: MissingSummary): string {
  if (summary.perColumn.size === 1) {
    const lines = summary.first.map((cell) => cell.line);
    return `${lines.length === 1 ? 'line' : 'lines'} ${lines.join(', ')}`;
  }
  return summary.first.map((cell) => `line ${cell.line} ${cell.name}`).join(', ');
}

function dropRows(table: RawTable, drop: Uint8Array): RawTable {
  const keep: number[] = [];
  for (let r = 0; r < table.rowCount; r++) if (!drop[r]) keep.push(r);
  const pick = (values: Float64Array | undefined, width: number): Float64Array | undefined => {
    if (!values) return undefined;
    const out = new Float64Array(keep.length * width);
    keep.forEach((r, k) => out.set(values.subarray(r * width, (r + 1) * width), k * width));
    return out;
  };
  return {
    ...table,
    inputs: pick(table.inputs, table.inputNames.length)!,
    targets: pick(table.targets, table.targetNames.length),
    lines: keep.map((r) => table.lines[r]),
    labels: table.labels ? keep.map((r) => table.labels![r]) : undefined,
    timestamps: table.timestamps ? keep.map((r) => table.timestamps![r]) : undefined,
    rowCount: keep.length,
  };
}

/**
 * Series layout: along each column (time runs down the rows). Rows layout: along each row (time
 * runs across the columns). Gaps are filled linearly between the nearest values; gaps at the
 * edges take the nearest value.
 */
function interpolateTable(table: RawTable, layout: DataLayout, ctx: MissingContext): void {
  const parts: Array<[Float64Array | undefined, string[], number[]]> = [
    [table.inputs, table.inputNames, table.inputColumns],
    [table.targets, table.targetNames, table.targetColumns],
  ];
  for (const [values, names, columns] of parts) {
    if (!values) continue;
    const width = names.length;
    if (layout === 'series') {
      for (let c = 0; c < width; c++) {
        if (!interpolateStrided(values, c, table.rowCount, width)) {
          const described = describeColumn(table, names[c], columns[c]);
          throw new DataError(`${locationPrefix(ctx.display, table.lines[0], columns[c])}${described} has no values to interpolate from`, {
            file: ctx.file,
            line: table.lines[0],
            column: columns[c],
            field: 'data.missing',
          });
        }
      }
    } else {
      for (let r = 0; r < table.rowCount; r++) {
        if (!interpolateStrided(values, r * width, width, 1)) {
          throw new DataError(`${locationPrefix(ctx.display, table.lines[r])}row has no values to interpolate from`, {
            file: ctx.file,
            line: table.lines[r],
            field: 'data.missing',
          });
        }
      }
    }
  }
}

/** Fills NaNs in values[start + k * stride], k < count. False when every value is missing. */
function interpolateStrided(values: Float64Array, start: number, count: number, stride: number): boolean {
  let previous = -1;
  for (let k = 0; k < count; k++) {
    const v = values[start + k * stride];
    if (Number.isNaN(v)) continue;
    if (previous < 0) {
      for (let j = 0; j < k; j++) values[start + j * stride] = v;
    } else if (k - previous > 1) {
      const from = values[start + previous * stride];
      for (let j = previous + 1; j < k; j++) values[start + j * stride] = from + ((v - from) * (j - previous)) / (k - previous);
    }
    previous = k;
  }
  if (previous < 0) return false;
  const last = values[start + previous * stride];
  for (let j = previous + 1; j < count; j++) values[start + j * stride] = last;
  return true;
}
