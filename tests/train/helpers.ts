// Shared by the training and worker tests: the repo root, real example data, and configs
// resolved through the real config pipeline (schema defaults filled in) from small objects.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resolveConfig } from '../../src/core/lint';
import type { ResolvedConfig } from '../../src/core/config/types';

export function repoRoot(): string {
  for (let dir = __dirname; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'examples', 'data'))) return dir;
  }
  return process.cwd();
}

export const DATA_DIR = path.join(repoRoot(), 'examples', 'data');
export const DIST_DIR = path.join(repoRoot(), 'dist');
export const WORKER_JS = path.join(DIST_DIR, 'worker.js');

type Json = Record<string, unknown>;

/**
 * A small slice of ECG5000 (UCR, one 140-step heartbeat per row, label first): the first
 * `normal` rows of class 1 and the first `other` rows of the other classes. The file is sorted
 * by class, so `data.maxRows` alone would give normal beats only. Written to a temp folder.
 */
export function ecgSubset(normal = 48, other = 32): string {
  const lines = fs
    .readFileSync(path.join(DATA_DIR, 'ECG5000_TRAIN.txt'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  const isNormal = (line: string) => Number(line.trim().split(/\s+/)[0]) === 1;
  const picked = [...lines.filter(isNormal).slice(0, normal), ...lines.filter((l) => !isNormal(l)).slice(0, other)];
  const file = path.join(tempDir('tsae-ecg-'), `ECG5000_${normal}_${other}.txt`);
  fs.writeFileSync(file, picked.join('\n') + '\n');
  return file;
}

/** ECG5000 rows, normal class 1 trained on, the rest held out (see ecgSubset). */
export function ecgConfig(overrides: { model?: Json; training?: Json; data?: Json; name?: string } = {}): Json {
  return {
    name: overrides.name ?? 'ecg-test',
    data: { path: ecgSubset(), format: 'ucr', layout: 'rows', trainLabels: [1], ...overrides.data },
    windowing: { length: 140 },
    model: { encoder: [{ units: 8 }], latent: { size: 4, activation: 'tanh' }, decoder: [{ units: 8 }], ...overrides.model },
    training: { epochs: 2, batchSize: 16, learningRate: 0.01, seed: 7, ...overrides.training },
  };
}

/** A short slice of the NAB sensors table cut into small windows: cheap enough to train many variants. */
export function sensorsConfig(overrides: { model?: Json; training?: Json; data?: Json; task?: Json; windowing?: Json; name?: string } = {}): Json {
  return {
    name: overrides.name ?? 'sensors-test',
    data: { path: path.join(DATA_DIR, 'nab_sensors.csv'), timestamp: 'timestamp', columns: ['temp_a', 'temp_b', 'temp_c'], maxRows: 400, ...overrides.data },
    windowing: { length: 12, stride: 4, ...overrides.windowing },
    ...(overrides.task ? { task: overrides.task } : {}),
    model: { encoder: [{ units: 6 }], latent: { size: 3, activation: 'tanh' }, decoder: [{ units: 6 }], ...overrides.model },
    training: { epochs: 1, batchSize: 16, learningRate: 0.01, seed: 3, ...overrides.training },
  };
}

/** Resolves a config object as if it were the file `<dir>/<name>.tsae.json`. */
export function resolve(value: Json, dir = os.tmpdir()): ResolvedConfig {
  return resolveConfig(value, path.join(dir, `${String(value.name ?? 'test')}.tsae.json`));
}

/** Writes a config object as JSON into a fresh temp folder; returns the file path. */
export function writeConfig(value: Json, dir = tempDir('tsae-config-')): string {
  const file = path.join(dir, `${String(value.name ?? 'test')}.tsae.json`);
  fs.writeFileSync(file, JSON.stringify(value, null, 2));
  return file;
}

const tempDirs: string[] = [];
process.on('exit', () => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder under the OS temp dir, removed when the test process exits. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

export function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}
