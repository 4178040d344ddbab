// Data for the latent charts: heatmap cells (windows x units) and the 2-D PCA scatter grouped by
// label. Pure, so node tests cover what the charts draw.

import { pca } from './pca';
import { maxAbs, sampleRows, unitActivity, type UnitActivity } from './latent';

export interface HeatmapCell {
  /** Latent unit (column). */
  x: number;
  /** Row position in the heatmap (0 = first sampled window). */
  y: number;
  v: number;
}

export interface Heatmap {
  cells: HeatmapCell[];
  /** Index into the vectors of each heatmap row. */
  rows: number[];
  units: UnitActivity[];
  /** The symmetric colour scale runs from -scale to +scale. */
  scale: number;
}

/** More rows than this make cells thinner than a pixel in a normal panel; rows are then sampled evenly. */
export const MAX_HEATMAP_ROWS = 200;

export function heatmap(vectors: readonly number[][], maxRows = MAX_HEATMAP_ROWS): Heatmap {
  const rows = sampleRows(vectors.length, maxRows);
  const cells: HeatmapCell[] = [];
  rows.forEach((r, y) => vectors[r].forEach((v, x) => cells.push({ x, y, v })));
  return { cells, rows, units: unitActivity(vectors), scale: maxAbs(vectors) };
}

/** Axis label of a unit: "u3", or "u3 (dead)" so a dead unit is named even without colour. */
export function unitLabel(unit: UnitActivity): string {
  return unit.dead ? `u${unit.unit} (dead)` : `u${unit.unit}`;
}

export interface ScatterGroup {
  label: string;
  points: Array<{ x: number; y: number; window: number }>;
}

export interface Projection {
  groups: ScatterGroup[];
  /** Share of variance explained by PC1 and PC2. */
  explained: [number, number];
}

/**
 * Projects the vectors on their first two principal components and groups the points by label
 * (or by split when there are no labels, so held-out windows still stand apart). Groups are
 * ordered by label so colours stay put between updates.
 */
export function projectLatents(
  vectors: readonly number[][],
  indices: readonly number[],
  labels?: ReadonlyArray<number | string>,
  sets?: ReadonlyArray<'validation' | 'heldOut'>,
): Projection {
  const result = pca(vectors, 2);
  const byLabel = new Map<string, ScatterGroup>();
  result.projected.forEach((p, i) => {
    const key = labels?.[i] !== undefined ? `label ${labels[i]}` : sets?.[i] === 'heldOut' ? 'held-out' : sets?.[i] === 'validation' ? 'validation' : 'windows';
    let group = byLabel.get(key);
    if (!group) byLabel.set(key, (group = { label: key, points: [] }));
    group.points.push({ x: p[0] ?? 0, y: p[1] ?? 0, window: indices[i] ?? i });
  });
  const groups = [...byLabel.values()].sort((a, b) => a.label.localeCompare(b.label, undefined, { numeric: true }));
  return { groups, explained: [result.explained[0] ?? 0, result.explained[1] ?? 0] };
}
