// Scoring a long series end to end, what "TSAE: Score Data with Run..." and `tsae eval --save`
// do: a 100,000-row CSV with timestamps (a synthetic daily pattern with noise, 5-minute steps,
// the shape of NAB's series) scored with a run of the nab-machine-temperature example's model
// (windows of 64, LSTM 32 -> 16 -> 32), trained for one epoch on its first rows. The target row
// cuts windows every 16 steps (6,247 windows); the example itself scores every step (stride 1,
// 16 times the forward passes), measured beside it for information.
// Timed as the user waits for it: a `tsae eval RUN DATA --save --json` process, from spawn to
// exit (process start, tfjs, reading the file, every window's forward pass, events, scores.json).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export const SCORING_ROWS = 100_000;

export interface ScoringResult {
  rows: number;
  stride: number;
  windows: number;
  events: number;
  /** Wall clock of the eval process, seconds. */
  seconds: number;
  /** The eval's own split: reading and windowing, forward passes, events and metrics. */
  timings: { load: number; score: number; evaluate: number; processCpu: number };
  backend: string;
}

/** Deterministic rows: a daily plateau (8 a.m. to 5 p.m.) plus noise from a small LCG. */
function syntheticSeries(rows: number): string {
  let seed = 12345;
  const noise = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648 - 0.5;
  };
  const start = Date.UTC(2014, 0, 1);
  const lines = ['timestamp,value'];
  for (let i = 0; i < rows; i++) {
    const stamp = new Date(start + i * 300_000).toISOString().slice(0, 19).replace('T', ' ');
    const hour = (i % 288) / 12;
    lines.push(`${stamp},${(20 + (hour >= 8 && hour < 17 ? 60 : 0) + 4 * noise()).toFixed(3)}`);
  }
  return lines.join('\n') + '\n';
}

export function benchScoring(root: string, rows = SCORING_ROWS, stride = 16): ScoringResult {
  const dir = mkdtempSync(join(tmpdir(), 'tsae-bench-scoring-'));
  try {
    const data = join(dir, 'series.csv');
    writeFileSync(data, syntheticSeries(rows));
    const example = readFileSync(join(root, 'examples', 'nab-machine-temperature.tsae.yaml'), 'utf8');
    // Same model and windows; the synthetic file, its first 4000 rows for the one training epoch.
    const config = example
      .replace(/^ {2}path: .*$/m, `  path: ${JSON.stringify(data)}`)
      .replace(/^ {2}maxRows: \d+$/m, '  maxRows: 4000')
      .replace(/^ {2}stride: \d+$/m, `  stride: ${stride}`)
      .replace(/^evaluation:[\s\S]*$/m, '');
    const configFile = join(dir, 'bench.tsae.yaml');
    writeFileSync(configFile, config);
    const cli = join(root, 'dist', 'cli.js');
    const trained = spawnSync(process.execPath, [cli, 'train', configFile, '--epochs', '1', '--json', '--out', join(dir, 'runs')], { encoding: 'utf8' });
    if (trained.status !== 0) throw new Error(`training the scoring run failed: ${trained.stderr.slice(-500)}`);
    const runDir = (JSON.parse(trained.stdout.trim().split('\n').pop()!) as { runDir: string }).runDir;
    const started = performance.now();
    const scored = spawnSync(process.execPath, [cli, 'eval', runDir, data, '--save', '--json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const seconds = (performance.now() - started) / 1000;
    if (scored.status !== 0) throw new Error(`tsae eval failed: ${scored.stderr.slice(-500)}`);
    const report = JSON.parse(scored.stdout) as { count: number; events: unknown[]; timings: ScoringResult['timings']; backend: string };
    return { rows, stride, windows: report.count, events: report.events.length, seconds, timings: report.timings, backend: report.backend };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatScoring(r: ScoringResult): string {
  const t = r.timings;
  return (
    `scoring ${r.rows} rows end to end (tsae eval --save, nab-machine-temperature model, ${r.windows} windows at stride ${r.stride}, ${r.backend}): ${r.seconds.toFixed(1)} s ` +
    `(read and window ${t.load.toFixed(1)} s, forward passes ${t.score.toFixed(1)} s, events ${t.evaluate.toFixed(2)} s; CPU time of the eval process ${t.processCpu.toFixed(1)} s${r.stride === 16 ? '; target < 10 s' : ''})`
  );
}

// `node dist/bench.js --scoring` runs only this row.
export function scoringOnly(root: string): void {
  console.log(formatScoring(benchScoring(root)));
  console.log(formatScoring(benchScoring(root, SCORING_ROWS, 1)));
}
