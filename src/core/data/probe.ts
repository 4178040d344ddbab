// Types of the data probe: what the lint rules may know about a data file without loading it.
// The reader itself lives next to this file (probeData); it is cached by path, mtime and size.

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
