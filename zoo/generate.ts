// Synthetic data sets of the pitfall zoo, written by us from fixed seeds: each generator returns
// the exact CSV text, so `npm run zoo -- --generate` rewrites zoo/data/ byte for byte and the zoo
// test checks that the committed files are what the generators produce (nobody edits them by hand).
// Timestamps are UTC `YYYY-MM-DD HH:MM:SS`; values are written with a fixed number of decimals.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRng } from '../src/core/data/random';

const START = Date.UTC(2025, 0, 6, 0, 0, 0);
const FIVE_MINUTES = 5 * 60_000;

function stamp(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

/** Standard normal draws from a seeded uniform source (Box-Muller). */
function gaussian(rng: () => number): () => number {
  return () => {
    const u = Math.max(rng(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
  };
}

function csv(header: string[], rows: Array<Array<string | number>>, decimals: number): string {
  const cell = (v: string | number) => (typeof v === 'number' ? v.toFixed(decimals) : v);
  return [header.join(','), ...rows.map((r) => r.map(cell).join(','))].join('\n') + '\n';
}

/** Three channels on a 5-minute grid: two sines (periods 4 h and 8 h) with noise and their mix. */
export function sines(rows = 2400): string {
  const noise = gaussian(createRng(101));
  const out: Array<Array<string | number>> = [];
  for (let i = 0; i < rows; i++) {
    const a = Math.sin((2 * Math.PI * i) / 48) + 0.1 * noise();
    const b = 0.8 * Math.sin((2 * Math.PI * i) / 96 + 1) + 0.1 * noise();
    const c = 0.6 * a - 0.5 * b + 0.05 * noise();
    out.push([stamp(START + i * FIVE_MINUTES), a, b, c]);
  }
  return csv(['timestamp', 'a', 'b', 'c'], out, 4);
}

/** A random walk whose drift and volatility change at three regime boundaries. */
export function randomWalk(rows = 2400): string {
  const noise = gaussian(createRng(202));
  const regimes = [
    { until: 600, drift: 0.02, sigma: 0.1 },
    { until: 1200, drift: -0.03, sigma: 0.4 },
    { until: 1800, drift: 0, sigma: 0.05 },
    { until: Infinity, drift: 0.01, sigma: 0.25 },
  ];
  let level = 10;
  const out: Array<Array<string | number>> = [];
  for (let i = 0; i < rows; i++) {
    const regime = regimes.find((r) => i < r.until)!;
    level += regime.drift + regime.sigma * noise();
    out.push([stamp(START + i * FIVE_MINUTES), level]);
  }
  return csv(['timestamp', 'value'], out, 4);
}

/** Four sensor channels and a status column that never changes (a constant column). */
export function multichannelConstant(rows = 2000): string {
  const noise = gaussian(createRng(303));
  const out: Array<Array<string | number>> = [];
  for (let i = 0; i < rows; i++) {
    const t = (2 * Math.PI * i) / 72;
    out.push([
      stamp(START + i * FIVE_MINUTES),
      20 + 3 * Math.sin(t) + 0.2 * noise(),
      5 * Math.cos(t) + 0.3 * noise(),
      0.5 * Math.sin(2 * t) + 0.1 * noise(),
      1,
      (i % 144) / 143 + 0.05 * noise(),
    ]);
  }
  return csv(['timestamp', 'temp', 'flow', 'vibration', 'status', 'load'], out, 4);
}

/** Values in the tens of thousands: a power draw with a daily cycle and a pressure near 101 kPa. */
export function largeScale(rows = 2400): string {
  const noise = gaussian(createRng(404));
  const out: Array<Array<string | number>> = [];
  for (let i = 0; i < rows; i++) {
    const day = (2 * Math.PI * i) / 288;
    const power = 40_000 + 15_000 * Math.sin(day) + 4_000 * Math.sin(6 * day) + 800 * noise();
    const pressure = 101_325 + 400 * Math.sin(day / 3) + 60 * noise();
    out.push([stamp(START + i * FIVE_MINUTES), power, pressure]);
  }
  return csv(['timestamp', 'power_w', 'pressure_pa'], out, 2);
}

/**
 * A daily-periodic series whose cadence is irregular: steps of 3 to 9 minutes, and two gaps (one
 * of 7 days) where the logger was off, so a window can silently span the gap.
 */
export function irregular(rows = 2400): string {
  const rng = createRng(505);
  const noise = gaussian(createRng(506));
  let t = START;
  const out: Array<Array<string | number>> = [];
  for (let i = 0; i < rows; i++) {
    if (i === 900) t += 7 * 24 * 3_600_000;
    if (i === 1700) t += 9 * 3_600_000;
    t += (3 + Math.floor(rng() * 7)) * 60_000;
    const phase = (2 * Math.PI * (t - START)) / (24 * 3_600_000);
    out.push([stamp(t), 50 + 10 * Math.sin(phase) + 3 * Math.sin(4 * phase) + noise()]);
  }
  return csv(['timestamp', 'value'], out, 4);
}

/** File name -> CSV text of every synthetic data set. */
export const GENERATED: Readonly<Record<string, () => string>> = {
  'sines.csv': () => sines(),
  'random_walk_regimes.csv': () => randomWalk(),
  'multichannel_constant.csv': () => multichannelConstant(),
  'large_scale.csv': () => largeScale(),
  'irregular_timestamps.csv': () => irregular(),
};

/** Writes every generated data set into `dir`; returns the files written. */
export function writeGenerated(dir: string): string[] {
  fs.mkdirSync(dir, { recursive: true });
  return Object.entries(GENERATED).map(([name, make]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, make());
    return file;
  });
}
