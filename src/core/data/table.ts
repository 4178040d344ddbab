// The readers' common output: the selected columns of every data row as numbers, before any
// cleaning. How rows and columns become time steps and features is decided later by the layout.

export interface RawTable {
  /** CSV has header names; UCR columns are known by position only. */
  namedColumns: boolean;
  inputNames: string[];
  /** 1-based column numbers in the file, for messages. */
  inputColumns: number[];
  targetNames: string[];
  targetColumns: number[];
  /** [row][input column]; NaN marks a missing cell. */
  inputs: Float64Array;
  /** seq2seq: [row][target column]. */
  targets?: Float64Array;
  /** 1-based line of each row in the file. */
  lines: number[];
  labels?: Array<number | string>;
  /** CSV with a timestamp column: each row's timestamp cell as written (trimmed), and the column's name. */
  timestamps?: string[];
  timestampName?: string;
  rowCount: number;
}

/** What every reader needs besides its format's own options. */
export interface ReadContext {
  /** Absolute path. */
  file: string;
  /** The path as the user wrote it, for messages. */
  display: string;
  maxRows?: number;
  signal?: AbortSignal;
  warn(message: string): void;
}

export function describeColumn(table: Pick<RawTable, 'namedColumns'>, name: string, column: number): string {
  return table.namedColumns ? `column "${name}"` : `column ${column}`;
}
