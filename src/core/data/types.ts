// What the data pipeline hands to the model and trainer.

import type { ScalerFile } from '../run/types';

/** A batch of equally shaped windows, stored flat for speed. */
export interface WindowSet {
  count: number;
  /** Time steps per window (always `windowing.length`). */
  length: number;
  features: number;
  /** Scaled values laid out [window][time][feature]: `values[(w * length + t) * features + f]`. */
  values: Float32Array;
  /**
   * Where each window comes from. Series layout: 0-based offset in the series (after dropped
   * rows) of the window's first value in original units. Rows layout: 1-based line in the file.
   */
  starts: number[];
  /** Per-window label, when the data has labels. */
  labels?: Array<number | string>;
  /** Per window, the timestamp of its first row as written in the file, when the data has a timestamp column. */
  timestamps?: string[];
}

export type WindowSetName = 'train' | 'validation' | 'heldOut';

export interface Dataset {
  featureNames: string[];
  /** seq2seq: names of the target columns; reconstruct: same as `featureNames`. */
  targetNames: string[];
  train: WindowSet;
  validation: WindowSet;
  /** Windows whose label is not in `data.trainLabels`: never trained on, scored as anomalies. */
  heldOut: WindowSet;
  /** seq2seq only: targets aligned window by window with the inputs. */
  trainTargets?: WindowSet;
  validationTargets?: WindowSet;
  heldOutTargets?: WindowSet;
  /** Fitted on the training split only. */
  scaler: ScalerFile;
  /** seq2seq only: the targets' own scaler. */
  targetScaler?: ScalerFile;
  warnings: string[];
  /** Data rows read from the file (after `data.maxRows`, before dropping missing values). */
  rowsRead: number;
  /**
   * The rows left after missing values were handled, in order: series offset `p` (a window's
   * `starts` in series layout) is row `p`. Lines are 1-based lines of the file; timestamps are the
   * cells of the timestamp column as written, when the file has one.
   */
  rows: DataRows;
  /**
   * Undo scaling and differencing for one window of `set`, e.g. a reconstruction. `scaled` is
   * [time][feature]; the result is in the data's original units.
   */
  toOriginal(set: WindowSetName, index: number, scaled: number[][], which?: 'input' | 'target'): number[][];
}

export interface DataRows {
  lines: number[];
  timestamps?: string[];
  timestampName?: string;
  /** The input columns in original units (before differencing and scaling), [row][feature]. */
  values: Float64Array;
  /** Per-row labels (series layout with data.label), or per-sequence labels (rows layout). */
  labels?: Array<number | string>;
}

export interface LoadOptions {
  signal?: AbortSignal;
  /** Called as soon as a warning is known (also collected in `Dataset.warnings`). */
  onWarning?(message: string): void;
}
