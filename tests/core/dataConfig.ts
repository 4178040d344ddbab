// Builds ResolvedConfig objects for the data pipeline tests without going through the config
// parser, so these tests fail only for data reasons.

import path from 'node:path';
import * as fs from 'node:fs';
import type { ResolvedConfig } from '../../src/core/config/types';

/** Repository root, found from this file's compiled location (out/tests/core or tests/core). */
export const REPO_ROOT = findRepoRoot(__dirname);

function findRepoRoot(start: string): string {
  // Compiled tests live in <outDir>/tests/core; the sources in <repo>/tests/core. Walk up until
  // examples/ and package.json sit side by side.
  let dir = start;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'examples'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

export const exampleData = (name: string): string => path.join(REPO_ROOT, 'examples', 'data', name);
export const fixtureData = (name: string): string => path.join(REPO_ROOT, 'tests', 'fixtures', 'data', name);

export interface DataOverrides {
  data?: Partial<ResolvedConfig['data']>;
  windowing?: Partial<ResolvedConfig['windowing']>;
  preprocessing?: Partial<ResolvedConfig['preprocessing']>;
  split?: Partial<ResolvedConfig['split']>;
  task?: Partial<ResolvedConfig['task']>;
}

/** A complete config for `dataFile`; only the data-related sections matter to loadDataset. */
export function dataConfig(dataFile: string, overrides: DataOverrides = {}): ResolvedConfig {
  const layer = () => ({ units: 8, activation: 'tanh' as const, recurrentActivation: 'sigmoid' as const, dropout: 0, recurrentDropout: 0, bidirectional: false });
  return {
    name: 'test',
    description: '',
    data: { path: path.relative(REPO_ROOT, dataFile), format: 'csv', layout: 'series', missing: 'error', ...overrides.data },
    windowing: { length: 4, stride: 1, ...overrides.windowing },
    preprocessing: { scaling: 'standard', range: [0, 1], differencing: 0, ...overrides.preprocessing },
    split: { validation: 0.2, seed: 1, ...overrides.split },
    task: { type: 'reconstruct', ...overrides.task },
    model: {
      cell: 'lstm',
      encoder: [layer()],
      latent: { size: 4, activation: 'tanh', dropout: 0 },
      bridge: 'repeat',
      decoder: [layer()],
      outputActivation: 'linear',
      reverseTarget: false,
      unreverseOutput: false,
      stateful: false,
    },
    training: {
      epochs: 1,
      batchSize: 32,
      optimizer: 'adam',
      learningRate: 1e-3,
      loss: 'mse',
      lossReduction: 'mean',
      targetReduction: 'none',
      shuffle: true,
      seed: 1,
      clipNorm: 0,
    },
    configFile: path.join(REPO_ROOT, 'examples', 'test.tsae.yaml'),
    dataFile,
  };
}
