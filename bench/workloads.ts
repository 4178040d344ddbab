// The training workloads of the benchmark: the three shapes from real user reports in the
// lstm-speed brief (A, B, C), on seeded sum-of-sines windows, the ECG5000 heartbeats the
// examples train on, and shape C with GRU cells. Both TSAE and the PyTorch reference read the
// windows from one file.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CellType } from '../src/core/config/types';
import { createRng } from '../src/core/data/random';

export interface Workload {
  name: string;
  description: string;
  window: number;
  features: number;
  /** Units of the encoder and of the decoder LSTM (or GRU). */
  hidden: number;
  /** The recurrent cell; LSTM when absent. */
  cell?: CellType;
  /** When set, a linear Dense maps the encoder's last hidden state to a latent of this size; else the latent is that state. */
  latent?: number;
  batch: number;
}

export const SINE_WINDOWS = 512;

export const WORKLOADS: Workload[] = [
  { name: 'A', description: '206x1 sensor windows, hidden 60, batch 16 (setup 1)', window: 206, features: 1, hidden: 60, batch: 16 },
  { name: 'B', description: '14x5 windows, hidden 100, batch 32 (setup 3)', window: 14, features: 5, hidden: 100, batch: 32 },
  { name: 'C', description: '140x1 windows, hidden 64, latent 32, batch 64', window: 140, features: 1, hidden: 64, latent: 32, batch: 64 },
  { name: 'ECG', description: 'ECG5000 train split, class 1 beats, 140x1, hidden 64, latent 32, batch 32', window: 140, features: 1, hidden: 64, latent: 32, batch: 32 },
  {
    name: 'GRU',
    description:
      "C's shape with GRU cells: 140x1 windows, hidden 64, latent 32, batch 64. TSAE's GRU is tfjs's (Keras 1 'reset before'); PyTorch's nn.GRU is 'reset after', " +
      'the same sizes and work but not the same function, so it is a speed reference here and the losses differ',
    window: 140,
    features: 1,
    hidden: 64,
    latent: 32,
    batch: 64,
    cell: 'gru',
  },
];

export function findWorkload(name: string): Workload {
  const found = WORKLOADS.find((w) => w.name.toLowerCase() === name.toLowerCase());
  if (found === undefined) throw new Error(`unknown workload "${name}"; known: ${WORKLOADS.map((w) => w.name).join(', ')}`);
  return found;
}

/** Windows as one row-major [count, window, features] array. */
export interface Windows {
  count: number;
  values: Float32Array;
}

export function windowsFor(workload: Workload, repoRoot: string): Windows {
  return workload.name === 'ECG' ? ecgClassOne(join(repoRoot, 'examples', 'data', 'ECG5000_TRAIN.txt')) : sumOfSines(workload, SINE_WINDOWS, seedOf(workload.name));
}

/**
 * Windows cut from one long signal per feature, as from a sensor: a sum of three sines with
 * seeded periods (between a tenth of the window and 1.5 windows), amplitudes and phases, plus
 * Gaussian noise (sd 0.1). Consecutive windows overlap by three quarters. The set is then
 * standardised to mean 0 and variance 1, so an MSE of 1 is what predicting the mean achieves.
 */
export function sumOfSines(workload: Workload, count: number, seed: number): Windows {
  const random = createRng(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const { window, features } = workload;
  const stride = Math.max(1, Math.floor(window / 4));
  const components = Array.from({ length: features }, () =>
    [0, 1, 2].map(() => ({ period: window * (0.1 + 1.4 * random()), phase: random() * 2 * Math.PI, amplitude: 0.3 + random() })),
  );
  const values = new Float32Array(count * window * features);
  for (let w = 0; w < count; w++) {
    for (let t = 0; t < window; t++) {
      const time = w * stride + t;
      for (let f = 0; f < features; f++) {
        let v = 0.1 * gaussian();
        for (const c of components[f]) v += c.amplitude * Math.sin((2 * Math.PI * time) / c.period + c.phase);
        values[(w * window + t) * features + f] = v;
      }
    }
  }
  standardise(values);
  return { count, values };
}

/**
 * ECG5000 rows are `label v1 ... v140`, each beat already z-normalised by the UCR archive.
 * Class 1 is the normal beat, the usual training set for anomaly detection.
 */
export function ecgClassOne(file: string): Windows {
  const rows: number[][] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, index) => {
      const fields = line
        .trim()
        .split(/\s+/)
        .filter((s) => s.length > 0);
      if (fields.length === 0) return;
      const numbers = fields.map(Number);
      if (numbers.length !== 141 || numbers.some((n) => !Number.isFinite(n))) {
        throw new Error(`${file}:${index + 1}: expected a class label and 140 numbers, got ${fields.length} fields`);
      }
      if (numbers[0] === 1) rows.push(numbers.slice(1));
    });
  if (rows.length === 0) throw new Error(`${file}: no rows of class 1`);
  return { count: rows.length, values: Float32Array.from(rows.flat()) };
}

function standardise(values: Float32Array): void {
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / values.length;
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  const sd = Math.sqrt(squares / values.length);
  for (let i = 0; i < values.length; i++) values[i] = (values[i] - mean) / sd;
}

function seedOf(name: string): number {
  let h = 2166136261;
  for (const ch of name) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return h;
}
