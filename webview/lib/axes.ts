// Axis policy for the panels' charts, pure so node tests check it: log ticks that fit the space
// (1-2-5 steps per decade, thinned until they do not collide), where exact zeros sit on a log axis
// (they are the signal of dead units and must not vanish), and when epochs are drawn as points.

/**
 * Tick values for a log axis from `min` to `max` (both > 0) drawn over `pixels`, so that no two
 * neighbours are closer than `spacing` pixels: the densest of every digit, 1-2-3-5, 1-2-5, 1-3 and
 * whole decades that fits (every k-th decade for very wide ranges); [] leaves the chart's own ticks.
 */
export function logTicks(min: number, max: number, pixels: number, spacing = 24): number[] {
  if (!(min > 0) || !(max > 0) || !Number.isFinite(min) || !Number.isFinite(max) || !(pixels > 0)) return [];
  const [lo, hi] = min <= max ? [min, max] : [max, min];
  const span = Math.log10(hi) - Math.log10(lo);
  if (!(span > 0)) return [];
  const fits = (ticks: number[]): boolean => ticks.length >= 2 && ticks.every((v, i) => i === 0 || ((Math.log10(v) - Math.log10(ticks[i - 1])) / span) * pixels >= spacing);
  for (const mantissas of [[1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 5], [1, 2, 5], [1, 3], [1]]) {
    const ticks = decadeTicks(lo, hi, mantissas, 1);
    if (fits(ticks)) return ticks;
  }
  const decades = Math.ceil(Math.log10(hi)) - Math.floor(Math.log10(lo)) + 1;
  for (let every = 2; every <= decades; every++) {
    const ticks = decadeTicks(lo, hi, [1], every);
    if (fits(ticks)) return ticks;
  }
  return [];
}

function decadeTicks(lo: number, hi: number, mantissas: number[], everyDecade: number): number[] {
  const ticks: number[] = [];
  const first = Math.floor(Math.log10(lo));
  const last = Math.ceil(Math.log10(hi));
  for (let e = first; e <= last; e++) {
    if ((e - first) % everyDecade !== 0) continue;
    for (const m of mantissas) {
      // toPrecision removes float noise (3 * 1e-7 = 2.9999999999999997e-7).
      const v = Number((m * 10 ** e).toPrecision(12));
      if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) ticks.push(v);
    }
  }
  return ticks;
}

/**
 * Where an exact zero is drawn on a log axis: a decade below the smallest positive value (or 1e-8
 * when there is none), so it sits visibly at the bottom instead of vanishing.
 */
export function logFloor(values: ReadonlyArray<number | null>): number {
  const positive = values.filter((v): v is number => v !== null && Number.isFinite(v) && v > 0);
  if (positive.length === 0) return 1e-8;
  return 10 ** (Math.floor(Math.log10(Math.min(...positive))) - 1);
}

/** Epochs as visible points while there are few of them (a line needs two; one epoch is otherwise invisible). */
export function pointRadius(points: number): number {
  return points <= 5 ? 3 : points <= 20 ? 1.5 : 0;
}

/**
 * Rows for labels drawn at x positions `xs` with widths `widths` (pixels), so that none overlaps
 * another in its row: each label takes the first row whose last label ends `gap` pixels before it.
 */
export function labelRows(xs: readonly number[], widths: readonly number[], gap = 4): number[] {
  const order = xs.map((x, i) => i).sort((a, b) => xs[a] - xs[b]);
  const rowEnds: number[] = [];
  const rows = new Array<number>(xs.length).fill(0);
  for (const i of order) {
    let row = rowEnds.findIndex((end) => end + gap <= xs[i]);
    if (row < 0) row = rowEnds.length;
    rowEnds[row] = xs[i] + widths[i];
    rows[i] = row;
  }
  return rows;
}
