// Run folders as the worker leaves them on disk; read by both end-to-end suites (also inside the
// extension host, so no `vscode` import here).

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunSummary } from '../../src/core/run/types';

export interface RunOnDisk {
  dir: string;
  /** summary.json once the run has finished (or the worker wrote its first one). */
  summary?: RunSummary;
  /** Lines in metrics.jsonl: epochs finished so far. */
  epochsLogged: number;
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined; // absent, or being replaced
  }
}

/** Run folders under `<root>/.tsae/runs`, oldest first. */
export function runsOnDisk(root: string): RunOnDisk[] {
  const runs = join(root, '.tsae', 'runs');
  if (!existsSync(runs)) return [];
  return readdirSync(runs, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const dir = join(runs, name);
      const metrics = existsSync(join(dir, 'metrics.jsonl')) ? readFileSync(join(dir, 'metrics.jsonl'), 'utf8') : '';
      return {
        dir,
        summary: readJson<RunSummary>(join(dir, 'summary.json')),
        epochsLogged: metrics.split('\n').filter((l) => l.trim() !== '').length,
      };
    });
}
