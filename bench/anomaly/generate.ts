// Seeded labelled series for measuring anomaly scoring on cases that are not in the repo: a
// normal base (daily seasonality, a mean-reverting random walk, or three coupled channels) with
// anomalies of varied kinds inserted after a clean training prefix, and their labels as NAB-style
// windows (the anomaly's span widened on both sides). Not product code: bench/anomaly/quality.ts
// trains on the prefix and scores the whole file.

import { createRng } from '../../src/core/data/random';

export type BaseKind = 'daily' | 'walk' | 'multi';
export type AnomalyKind = 'spike' | 'level' | 'drift' | 'frequency' | 'noise' | 'decouple';

export interface SeriesSpec {
  name: string;
  base: BaseKind;
  anomalies: AnomalyKind[];
  seed: number;
  /** Rows in all (5-minute steps). */
  rows?: number;
  /** Rows at the start that stay normal (what the model trains on). */
  trainRows?: number;
}

export interface GeneratedSeries {
  spec: Required<SeriesSpec>;
  csv: string;
  channels: string[];
  /** [start, end] timestamps of each labelled window, as the label file holds them. */
  labels: Array<[string, string]>;
  /** What was inserted, for the report: kind and rows. */
  inserted: Array<{ kind: AnomalyKind; start: number; end: number }>;
}

const DAY = 288;

export function generateSeries(spec: SeriesSpec): GeneratedSeries {
  const full: Required<SeriesSpec> = { rows: 30 * DAY, trainRows: 10 * DAY, ...spec };
  const rng = createRng(full.seed);
  const gauss = (): number => {
    const u = Math.max(rng(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
  };
  const n = full.rows;
  const channels = full.base === 'multi' ? ['a', 'b', 'c'] : ['value'];
  const k = channels.length;
  // Normal behaviour, and the noise level each anomaly is sized against.
  const values = channels.map(() => new Float64Array(n));
  const noise = 0.6;
  const phase = (t: number, period = DAY): number => (2 * Math.PI * t) / period;
  const daily = (t: number, period = DAY): number => 10 * Math.sin(phase(t, period)) + 3 * Math.sin(2 * phase(t, period) + 1);
  let walk = 0;
  for (let t = 0; t < n; t++) {
    if (full.base === 'daily') values[0][t] = 50 + daily(t) + noise * gauss();
    else if (full.base === 'walk') {
      walk += -0.01 * walk + 0.5 * gauss();
      values[0][t] = 50 + walk + 0.3 * gauss();
    } else {
      const shared = daily(t);
      values[0][t] = 40 + shared + noise * gauss();
      values[1][t] = 60 + 0.8 * daily(t - 24) + noise * gauss();
      values[2][t] = 20 + 0.5 * shared + (0.5 * values[1][t]) / 6 + noise * gauss();
    }
  }
  // Anomalies after the training prefix, spread out with at least two days between them.
  const inserted: GeneratedSeries['inserted'] = [];
  const room = n - full.trainRows - 2 * DAY;
  const slot = Math.floor(room / full.anomalies.length);
  full.anomalies.forEach((kind, i) => {
    const length = kind === 'spike' ? 3 + Math.floor(rng() * 4) : kind === 'noise' ? DAY / 2 : DAY;
    const start = full.trainRows + DAY + i * slot + Math.floor(rng() * Math.max(slot - length - DAY, 1));
    const end = Math.min(start + length - 1, n - 1);
    const ch = kind === 'decouple' ? 2 : Math.floor(rng() * k);
    const v = values[ch];
    const scale = full.base === 'walk' ? 6 : 10;
    for (let t = start; t <= end; t++) {
      const u = (t - start) / Math.max(end - start, 1);
      switch (kind) {
        case 'spike':
          v[t] += (rng() < 0.5 ? -1 : 1) * 2.5 * scale;
          break;
        case 'level':
          v[t] += 0.8 * scale;
          break;
        case 'drift':
          // Up and back down: a slow excursion, no step.
          v[t] += 1.2 * scale * Math.sin(Math.PI * u);
          break;
        case 'frequency':
          // The same amplitude at three times the frequency (walk base: an oscillation appears).
          v[t] += full.base === 'walk' ? 4 * Math.sin(phase(t, 24)) : daily(t, DAY / 3) - daily(t);
          break;
        case 'noise':
          v[t] += 5 * noise * gauss();
          break;
        case 'decouple':
          // Channel c stops following a and b: it holds its mean plus its own noise.
          v[t] = 20 + 10 / 6 + noise * gauss();
          break;
      }
    }
    inserted.push({ kind, start, end });
  });
  const stamp = (t: number): string => new Date(Date.UTC(2024, 0, 1) + t * 300_000).toISOString().slice(0, 19).replace('T', ' ');
  const lines = [['timestamp', ...channels].join(',')];
  for (let t = 0; t < n; t++) lines.push([stamp(t), ...values.map((c) => c[t].toFixed(3))].join(','));
  // NAB-style windows: the anomaly widened by half a day on each side (NAB centres ~10% of the file on its anomalies).
  const margin = DAY / 2;
  const labels = inserted.map(({ start, end }) => [stamp(Math.max(start - margin, 0)), stamp(Math.min(end + margin, n - 1))] as [string, string]);
  return { spec: full, csv: lines.join('\n') + '\n', channels, labels, inserted };
}

/** The cases the quality report runs: every base and every kind at least once. */
export const QUALITY_CASES: SeriesSpec[] = [
  { name: 'daily-spike-level', base: 'daily', anomalies: ['spike', 'level'], seed: 11 },
  { name: 'daily-drift-noise', base: 'daily', anomalies: ['drift', 'noise'], seed: 12 },
  { name: 'daily-frequency-spike', base: 'daily', anomalies: ['frequency', 'spike'], seed: 13 },
  { name: 'walk-level-spike', base: 'walk', anomalies: ['level', 'spike'], seed: 21 },
  { name: 'walk-drift-frequency', base: 'walk', anomalies: ['drift', 'frequency'], seed: 22 },
  { name: 'multi-decouple-level', base: 'multi', anomalies: ['decouple', 'level'], seed: 31 },
  { name: 'multi-noise-drift', base: 'multi', anomalies: ['noise', 'drift'], seed: 32 },
];

/**
 * Further cases, added after the scoring defaults (robust threshold, smoothing span) were chosen
 * on the ones above and the NAB series: new seeds and new pairings of kinds on every base, to
 * check that the defaults carry over to series they were not chosen on.
 */
export const VALIDATION_CASES: SeriesSpec[] = [
  { name: 'v-daily-level-noise', base: 'daily', anomalies: ['level', 'noise'], seed: 41 },
  { name: 'v-daily-drift-spike', base: 'daily', anomalies: ['drift', 'spike'], seed: 42 },
  { name: 'v-walk-spike-noise', base: 'walk', anomalies: ['spike', 'noise'], seed: 43 },
  { name: 'v-walk-level-drift', base: 'walk', anomalies: ['level', 'drift'], seed: 44 },
  { name: 'v-multi-frequency-spike', base: 'multi', anomalies: ['frequency', 'spike'], seed: 45 },
  { name: 'v-multi-decouple-noise', base: 'multi', anomalies: ['decouple', 'noise'], seed: 46 },
];
