// Values the pipeline can carry safely, and data with nothing to learn. Checked by the loader
// before any scaling, so a bad file is a clear error naming the file, line and column instead of
// a scaler with a null mean, NaN losses and a detector blaming the learning rate.

import { DataError, locationPrefix } from './errors';
import { describeColumn, type RawTable } from './table';

/**
 * Largest magnitude a value may have. Scaling subtracts means and squares deviations, and the
 * input-space error squares differences in original units: with |x| <= 1e100 all of these stay
 * finite in 64-bit floating point for any row count a file can hold.
 */
export const MAX_ABS_VALUE = 1e100;
/** Without scaling the model sees raw values in 32-bit floating point. */
export const MAX_FLOAT32 = 3.4028234663852886e38;

/** Throws a DataError for the first column holding a value beyond what the pipeline can compute with. */
export function checkMagnitudes(table: RawTable, scaled: boolean, where: { file: string; display: string }): void {
  const limit = scaled ? MAX_ABS_VALUE : MAX_FLOAT32;
  const parts: Array<[Float64Array | undefined, string[], number[], string]> = [
    [table.inputs, table.inputNames, table.inputColumns, 'data.columns'],
    [table.targets, table.targetNames, table.targetColumns, 'task.targetColumns'],
  ];
  for (const [values, names, columns, field] of parts) {
    if (!values) continue;
    const width = names.length;
    for (let i = 0; i < values.length; i++) {
      if (!(Math.abs(values[i]) > limit)) continue;
      const row = Math.floor(i / width);
      const c = i % width;
      const line = table.lines[row];
      let count = 0;
      for (let k = c; k < values.length; k += width) if (Math.abs(values[k]) > limit) count++;
      const what = describeColumn(table, names[c], columns[c]);
      const reason = scaled
        ? `TSAE cannot scale values beyond ±${limit} without overflowing 64-bit floating point`
        : `with preprocessing.scaling 'none' the model computes in 32-bit floating point, which ends at ±3.4e38; set preprocessing.scaling to 'standard'`;
      throw new DataError(
        `${locationPrefix(where.display, line, columns[c])}${what} holds ${count === 1 ? 'a value' : `${count} values`} too large in magnitude (first at line ${line}): ${reason}; rescale the column`,
        {
          file: where.file,
          line,
          column: columns[c],
          field,
        },
      );
    }
  }
}

/** Per feature: true when every point the training windows cover has the same value. */
export function constantFeatures(source: Float64Array, features: number, covered: Uint8Array): boolean[] {
  const first = new Float64Array(features).fill(NaN);
  const constant = new Array<boolean>(features).fill(true);
  for (let p = 0; p < covered.length; p++) {
    if (!covered[p]) continue;
    for (let f = 0; f < features; f++) {
      const v = source[p * features + f];
      if (Number.isNaN(first[f])) first[f] = v;
      else if (v !== first[f]) constant[f] = false;
    }
  }
  return constant;
}

/**
 * All inputs constant: the model can reproduce them exactly and training "completes" with loss 0,
 * which says nothing. An error. Some inputs constant: a warning naming them.
 */
export function checkConstantInputs(constant: boolean[], names: string[], where: { file: string; display: string; differenced: boolean }, warn: (message: string) => void): void {
  const after = where.differenced ? ' after differencing' : '';
  const quoted = (list: string[]): string => list.map((name) => `"${name}"`).join(', ');
  const flat = names.filter((_, f) => constant[f]);
  if (flat.length === 0) return;
  if (flat.length === names.length) {
    const what = names.length === 1 ? `the input column ${quoted(names)} is` : `all ${names.length} input columns (${quoted(names)}) are`;
    throw new DataError(
      `${locationPrefix(where.display)}${what} constant in the training windows${after}: there is nothing to learn, and any model would reach loss 0; choose data.columns that vary`,
      {
        file: where.file,
        field: 'data.columns',
      },
    );
  }
  const what = flat.length === 1 ? `input column ${quoted(flat)} is` : `input columns ${quoted(flat)} are`;
  warn(
    `${locationPrefix(where.display)}${what} constant in the training windows${after}: nothing to learn there, and its reconstruction error is near 0 whatever the model does (TSAE114)`,
  );
}
