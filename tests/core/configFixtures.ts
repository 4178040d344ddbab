// Shared helpers of the config and lint tests (not a test file itself).

import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { TextEdit } from '../../src/core/types';
import { LineIndex } from '../../src/core/config/text';

/** The repository root, whether the tests run from out/ inside it or from another outDir. */
export function repoRoot(): string {
  for (const start of [__dirname, process.cwd()]) {
    let dir = start;
    for (;;) {
      if (existsSync(path.join(dir, 'schemas', 'tsae.schema.json')) && existsSync(path.join(dir, 'package.json'))) return dir;
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  throw new Error('cannot find the repository root (schemas/tsae.schema.json) from the test directory or cwd');
}

export const fixturesDir = (): string => path.join(repoRoot(), 'tests', 'fixtures', 'config');

/** Applies LSP edits to a text (edits must not overlap). */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const index = new LineIndex(text);
  const offsets = edits.map((edit) => ({ start: index.offsetAt(edit.range.start), end: index.offsetAt(edit.range.end), newText: edit.newText })).sort((a, b) => b.start - a.start);
  let result = text;
  for (const edit of offsets) result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  return result;
}

/** A realistic config on the NAB fixture (one column `value`, 5-minute cadence). */
export const NAB_CONFIG_YAML = `# Daily pattern with small noise (NAB), reconstructed by a small LSTM autoencoder.
name: nab-daily
data:
  path: art_daily_small_noise.head.csv
  timestamp: timestamp
  columns: [value]
windowing:
  length: 48
  stride: 4
preprocessing:
  scaling: minmax
model:
  encoder:
    - units: 32
    - units: 16
  latent:
    size: 8
  decoder:
    - units: 16
    - units: 32
training:
  epochs: 10
  batchSize: 16
`;
