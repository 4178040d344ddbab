// Config texts for the server tests. They live in memory but under URIs inside examples/, so
// `data.path` resolves against the real bundled data the way a saved config beside it would.

import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../../bench/lspStdioClient';
import type { Range } from '../../src/core/types';

export const EXAMPLES_DIR = join(repoRoot(), 'examples');
/** Relative to a config in examples/: the NAB series the Keras example trains on. */
export const DATA_PATH = 'data/art_daily_small_noise.csv';

export function exampleUri(name: string): string {
  return pathToFileURL(join(EXAMPLES_DIR, name)).toString();
}

/** Setup 2 in miniature: one sensor, 3-D latent behind a ReLU. */
export function reluBottleneckYaml(dataPath = DATA_PATH): string {
  return [
    'name: relu-bottleneck',
    'data:',
    `  path: ${dataPath}`,
    '  timestamp: timestamp',
    '  maxRows: 2000',
    'windowing:',
    '  length: 24',
    '  stride: 4',
    'model:',
    '  encoder:',
    '    - units: 16',
    '  latent:',
    '    size: 3',
    '    activation: relu',
    '  decoder:',
    '    - units: 16',
    'training:',
    '  epochs: 3',
    '',
  ].join('\n');
}

export function reluBottleneckJson(dataPath = DATA_PATH): string {
  return `${JSON.stringify(
    {
      name: 'relu-bottleneck',
      data: { path: dataPath, timestamp: 'timestamp', maxRows: 2000 },
      windowing: { length: 24, stride: 4 },
      model: { encoder: [{ units: 16 }], latent: { size: 3, activation: 'relu' }, decoder: [{ units: 16 }] },
      training: { epochs: 3 },
    },
    null,
    2,
  )}\n`;
}

/** The range of `needle` after `lineMarker` on the first non-comment line containing the marker. */
export function rangeOf(text: string, lineMarker: string, needle: string): Range {
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes(lineMarker) && !/^\s*(#|\/\/)/.test(l));
  if (line < 0) throw new Error(`no line contains ${JSON.stringify(lineMarker)}`);
  const character = lines[line].indexOf(needle, lines[line].indexOf(lineMarker));
  if (character < 0) throw new Error(`line ${line} has no ${JSON.stringify(needle)}`);
  return { start: { line, character }, end: { line, character: character + needle.length } };
}

/** Setup 5 in miniature: stateful with shuffling, and a target averaged over time; two safe fixes. */
export function statefulShuffledYaml(dataPath = DATA_PATH): string {
  return [
    'name: stateful-shuffled',
    'data:',
    `  path: ${dataPath}`,
    '  timestamp: timestamp',
    'windowing:',
    '  length: 24',
    '  stride: 24',
    'model:',
    '  encoder:',
    '    - units: 16',
    '  latent:',
    '    size: 4',
    '  decoder:',
    '    - units: 16',
    '  stateful: true',
    'training:',
    '  epochs: 3',
    '  shuffle: true',
    '  targetReduction: timeMean',
    '',
  ].join('\n');
}
