// Turns a clean table into windows according to the layout: which points each window covers,
// where it came from, its label, and whether its label keeps it out of training.

import { DataError, locationPrefix } from './errors';
import { sameLabel } from './cells';
import { difference } from './differencing';
import type { RawTable } from './table';
import { slidingBases } from './windowing';

/** Windows described over flat [point][feature] sources (see windowing.ts). */
export interface ShapedData {
  featureNames: string[];
  targetNames: string[];
  /** Inputs after differencing, [point][feature]. */
  source: Float64Array;
  targetSource?: Float64Array;
  /** Per window: first point in the source. */
  bases: number[];
  /** Per window: series offset of its first value in original units, or the row's line. */
  starts: number[];
  /** Differencing: per window [feature] the original value just before the first step. */
  anchors?: Float64Array;
  targetAnchors?: Float64Array;
  labels?: Array<number | string>;
  /** 1 when the window contains a label outside `data.trainLabels`. */
  heldOut: Uint8Array;
}

export interface ShapeSpec {
  file: string;
  display: string;
  length: number;
  stride: number;
  differencing: 0 | 1;
  trainLabels?: Array<number | string>;
}

function isTrainLabel(label: number | string, trainLabels: Array<number | string> | undefined): boolean {
  return trainLabels === undefined || trainLabels.some((allowed) => sameLabel(label, allowed));
}

/** Series layout: rows are time steps, columns are features. */
export function shapeSeries(table: RawTable, spec: ShapeSpec): ShapedData {
  const order = spec.differencing;
  const features = table.inputNames.length;
  const points = table.rowCount - order;
  if (points < spec.length) {
    const after = order ? ` (${points} after differencing)` : '';
    throw new DataError(`${locationPrefix(spec.display)}${table.rowCount} rows${after} but windowing.length is ${spec.length}: not enough for one window`, {
      file: spec.file,
      field: 'windowing.length',
    });
  }
  const bases = slidingBases(points, spec.length, spec.stride);
  const shaped: ShapedData = {
    featureNames: table.inputNames,
    targetNames: table.targets ? table.targetNames : table.inputNames,
    source: order ? difference(table.inputs, features) : table.inputs,
    targetSource: table.targets && (order ? difference(table.targets, table.targetNames.length) : table.targets),
    bases,
    // With differencing, point p is the step from row p to row p + 1, so the window's first
    // value in original units is row base + 1 and row base is its anchor.
    starts: bases.map((base) => base + order),
    heldOut: new Uint8Array(bases.length),
  };
  if (order) {
    shaped.anchors = rowsAt(table.inputs, features, bases);
    if (table.targets) shaped.targetAnchors = rowsAt(table.targets, table.targetNames.length, bases);
  }
  if (table.labels) labelSeriesWindows(shaped, table.labels, spec);
  return shaped;
}

/**
 * A window's label is the first label outside `trainLabels` among the rows it shows (then it is
 * held out), otherwise the label of its first row.
 */
function labelSeriesWindows(shaped: ShapedData, rowLabels: Array<number | string>, spec: ShapeSpec): void {
  const rows = rowLabels.length;
  // nextForeign[r]: first row >= r whose label is not trained on (rows when none), so each window is O(1).
  const nextForeign = new Int32Array(rows + 1);
  nextForeign[rows] = rows;
  for (let r = rows - 1; r >= 0; r--) nextForeign[r] = isTrainLabel(rowLabels[r], spec.trainLabels) ? nextForeign[r + 1] : r;
  shaped.labels = shaped.starts.map((first, w) => {
    const foreign = nextForeign[first];
    if (foreign < first + spec.length) {
      shaped.heldOut[w] = 1;
      return rowLabels[foreign];
    }
    return rowLabels[first];
  });
}

/** Rows layout: every row is one sequence of a single feature. */
export function shapeRows(table: RawTable, spec: ShapeSpec): ShapedData {
  const order = spec.differencing;
  const width = table.inputNames.length;
  const steps = width - order;
  if (steps !== spec.length) {
    const after = order ? ` (${steps} after differencing)` : '';
    throw new DataError(
      `${locationPrefix(spec.display, table.lines[0])}the row is one sequence of ${width} values${after} but windowing.length is ${spec.length}; in rows layout they must match`,
      { file: spec.file, line: table.lines[0], field: 'windowing.length' },
    );
  }
  if (table.targets && table.targetNames.length !== width) {
    throw new DataError(
      `${locationPrefix(spec.display, table.lines[0])}task.targetColumns has ${table.targetNames.length} columns but data.columns has ${width}; in rows layout each row's target sequence must be as long as its input`,
      { file: spec.file, line: table.lines[0], field: 'task.targetColumns' },
    );
  }
  const rows = table.rowCount;
  const differenced = (values: Float64Array): Float64Array => {
    if (!order) return values;
    const out = new Float64Array(rows * steps);
    for (let r = 0; r < rows; r++) out.set(difference(values.subarray(r * width, (r + 1) * width), 1), r * steps);
    return out;
  };
  const bases = Array.from({ length: rows }, (_, r) => r * steps);
  const heldOut = new Uint8Array(rows);
  if (table.labels) table.labels.forEach((label, r) => (heldOut[r] = isTrainLabel(label, spec.trainLabels) ? 0 : 1));
  const shaped: ShapedData = {
    featureNames: ['value'],
    targetNames: table.targets ? ['target'] : ['value'],
    source: differenced(table.inputs),
    targetSource: table.targets && differenced(table.targets),
    bases,
    starts: [...table.lines],
    labels: table.labels,
    heldOut,
  };
  if (order) {
    const firstOfRow = Array.from({ length: rows }, (_, r) => r * width);
    shaped.anchors = Float64Array.from(firstOfRow, (i) => table.inputs[i]);
    if (table.targets) shaped.targetAnchors = Float64Array.from(firstOfRow, (i) => table.targets![i]);
  }
  return shaped;
}

function rowsAt(values: Float64Array, features: number, rows: number[]): Float64Array {
  const out = new Float64Array(rows.length * features);
  rows.forEach((row, k) => out.set(values.subarray(row * features, (row + 1) * features), k * features));
  return out;
}
