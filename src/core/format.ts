// How numbers, durations and run names are written for people: one policy for the editor's
// messages, the panels, the CLI and the runs list, so they never show the same value two ways.
// Browser-safe (the webviews compile it too): no imports.

/**
 * Compact number: integers as they are, others with `digits` significant digits, exponent form
 * for magnitudes below 1e-3 or from 1e6 (`1e-6`, `2.5e7`); '-' for a missing value.
 */
export function formatNumber(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined) return '-';
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '-∞';
  if (v === 0) return '0';
  const abs = Math.abs(v);
  if (abs < 1e-3 || (abs >= 1e6 && !Number.isSafeInteger(v))) return Number(v.toPrecision(digits)).toExponential().replace(/e\+?/, 'e');
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(digits)));
}

/** "12.3 s", "2 min 5 s". */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '-';
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

/** "-73 %", "+4 %": a relative change (-0.73) as a signed whole percentage. */
export function formatSignedPercent(change: number): string {
  const p = Math.round(change * 100);
  return `${p > 0 ? '+' : ''}${p} %`;
}

/** "1 window", "3 windows": a count with its noun, plural by English's regular rule. */
export function formatCount(n: number, noun: string): string {
  return `${formatNumber(n)} ${n === 1 ? noun : `${noun}s`}`;
}

/** The run name from a run folder path `<...>/.tsae/runs/<timestamp>-<name>`. */
export function folderName(runDir: string): string {
  const parts = runDir.split(/[\\/]/).filter((p) => p !== '');
  return parts.length > 0 ? parts[parts.length - 1] : runDir;
}
