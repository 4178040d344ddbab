// How long loading an example's data takes (read, parse, check, window, scale, split), the wait
// before the first epoch. Reported by `npm run bench`; the data tests check what is loaded, not
// how fast, because a timed assertion fails on a busy CI machine without anything being wrong.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadDataset } from '../src/core/data';
import { resolveText } from '../src/core/train/runRequest';
import { median } from './rounds';

export const DATA_LOAD_EXAMPLES = ['examples/ecg5000.tsae.yaml', 'examples/nab-machine-temperature.tsae.yaml'];

export interface DataLoadResult {
  config: string;
  rows: number;
  medianMs: number;
  loads: number;
}

export async function benchDataLoad(root: string, loads = 5): Promise<DataLoadResult[]> {
  const results: DataLoadResult[] = [];
  for (const relative of DATA_LOAD_EXAMPLES) {
    const file = join(root, relative);
    const loaded = resolveText(readFileSync(file, 'utf8'), file);
    if ('error' in loaded) throw new Error(loaded.error);
    const times: number[] = [];
    let rows = 0;
    // One load first so that file caching and JIT warm-up do not count.
    for (let k = 0; k <= loads; k++) {
      const started = performance.now();
      const ds = await loadDataset(loaded.config);
      if (k > 0) times.push(performance.now() - started);
      rows = ds.rowsRead;
    }
    results.push({ config: relative, rows, medianMs: median(times), loads });
  }
  return results;
}

export function formatDataLoad(results: DataLoadResult[]): string {
  const parts = results.map((r) => `${r.config} (${r.rows} rows) ${r.medianMs.toFixed(0)} ms`);
  return `data load (read, parse, window, scale, split; median of ${results[0]?.loads ?? 0}): ${parts.join(', ')}`;
}
