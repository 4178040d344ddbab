// Number formatting for labels and tables.

/** Compact number: 4 significant digits, exponent form for very small or large magnitudes; '-' for null. */
export function formatNumber(v: number | null | undefined): string {
  if (v === null || v === undefined) return '-';
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '-∞';
  if (v === 0) return '0';
  const abs = Math.abs(v);
  if (abs < 1e-3 || abs >= 1e5) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
}

export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '-';
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

/** The run name from a run folder path `<...>/.tsae/runs/<timestamp>-<name>`. */
export function folderName(runDir: string): string {
  const parts = runDir.split(/[\\/]/).filter((p) => p !== '');
  return parts.length > 0 ? parts[parts.length - 1] : runDir;
}
