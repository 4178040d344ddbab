// Anomaly-scoring quality on more than one series: the seeded generated cases (generate.ts), the
// NAB series bundled with the examples (machine_temperature with its four labelled windows,
// art_daily_jumpsup with one, art_daily_small_noise with none) and ECG5000 (normal beats vs the
// rest). Each case is trained once with the CLI (runs are kept in --dir and reused), then scored
// in-process by the core (src/core/scoring/score.ts) and compared with its labels.
//
//   node out/bench/anomaly/quality.js [--dir D] [--cases a,b] [--retrain] [--smoothing L] [--history L] [--threshold RULE]
//
// --smoothing, --history and --threshold override the defaults (and the examples' evaluation settings) for
// every case, e.g. `--smoothing 2 --threshold std:5` for the scoring before mad:8.
//
// Prints one row per case: labelled windows hit, events outside every label, NAB score
// (standard profile, normalised), ROC AUC over windows; ECG5000: AUC only.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { scoreRun, type ScoreOptions } from '../../src/core/scoring/score';
import { parseThresholdRule } from '../../src/core/scoring/threshold';
import { generateSeries, QUALITY_CASES, VALIDATION_CASES, type SeriesSpec } from './generate';

export interface CaseResult {
  name: string;
  hits?: number;
  labelled?: number;
  outside?: number;
  events: number;
  nab?: number;
  auc?: number;
  note?: string;
}

interface Case {
  name: string;
  /** Trains (when no run is kept) and returns the run folder. */
  run(dir: string, retrain: boolean): string;
  /** The data to score and its labels (undefined: the run's own data / config labels). */
  data?: string;
  labels?: string;
}

function repoRoot(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) if (fs.existsSync(path.join(dir, 'examples', 'data'))) return dir;
  return process.cwd();
}
const ROOT = repoRoot();
const CLI = path.join(ROOT, 'dist', 'cli.js');

/** Trains `configFile` into `runsDir` with the CLI unless a finished run is already there. */
function trained(configFile: string, runsDir: string, retrain: boolean): string {
  const existing = fs.existsSync(runsDir) ? fs.readdirSync(runsDir).filter((d) => fs.existsSync(path.join(runsDir, d, 'thresholds.json'))) : [];
  if (existing.length > 0 && !retrain) return path.join(runsDir, existing.sort().pop()!);
  const out = spawnSync(process.execPath, [CLI, 'train', configFile, '--json', '--out', runsDir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (out.status !== 0) throw new Error(`training ${configFile} failed: ${out.stderr.slice(-800)}`);
  return (JSON.parse(out.stdout.trim().split('\n').pop()!) as { runDir: string }).runDir;
}

function generatedCase(spec: SeriesSpec): Case {
  const c: Case = {
    name: spec.name,
    run(dir, retrain) {
      const caseDir = path.join(dir, spec.name);
      fs.mkdirSync(caseDir, { recursive: true });
      const g = generateSeries(spec);
      const data = path.join(caseDir, 'series.csv');
      fs.writeFileSync(data, g.csv);
      fs.writeFileSync(path.join(caseDir, 'labels.json'), JSON.stringify(g.labels));
      const config = [
        `name: ${spec.name}`,
        'data:',
        `  path: ${JSON.stringify(data)}`,
        '  timestamp: timestamp',
        `  columns: [${g.channels.join(', ')}]`,
        `  maxRows: ${g.spec.trainRows}`,
        'windowing:',
        '  length: 64',
        '  stride: 4',
        'preprocessing:',
        '  scaling: standard',
        'split:',
        '  validation: 0.2',
        'model:',
        '  encoder:',
        '    - units: 32',
        '  latent:',
        '    size: 16',
        '    activation: linear',
        '  decoder:',
        '    - units: 32',
        'training:',
        '  epochs: 40',
        '  batchSize: 32',
        '  learningRate: 0.002',
        '  seed: 7',
        '  earlyStopping:',
        '    patience: 5',
      ].join('\n');
      const configFile = path.join(caseDir, 'config.tsae.yaml');
      fs.writeFileSync(configFile, config + '\n');
      c.data = data;
      c.labels = path.join(caseDir, 'labels.json');
      return trained(configFile, path.join(caseDir, 'runs'), retrain);
    },
  };
  return c;
}

/** An example config trained as shipped (paths resolved from examples/), scored on `data` with `labels`. */
function exampleCase(name: string, example: string, data?: string, labels?: string): Case {
  return {
    name,
    data: data && path.join(ROOT, 'examples', 'data', data),
    labels: labels && path.join(ROOT, 'examples', 'data', labels),
    run: (dir, retrain) => trained(path.join(ROOT, 'examples', example), path.join(dir, name.replace(/[^a-z0-9]+/gi, '-'), 'runs'), retrain),
  };
}

export const CASES: Case[] = [
  ...QUALITY_CASES.map(generatedCase),
  ...VALIDATION_CASES.map(generatedCase),
  exampleCase('nab machine_temperature', 'nab-machine-temperature.tsae.yaml'),
  exampleCase('nab art_daily_jumpsup', 'nab-art-daily.tsae.json', 'art_daily_jumpsup.csv', 'combined_windows.json'),
  // The clean series the art-daily example trains on: no anomaly, so every event is a false one.
  { ...exampleCase('nab art_daily_small_noise', 'nab-art-daily.tsae.json', 'art_daily_small_noise.csv'), labels: undefined },
  exampleCase('ecg5000', 'ecg5000.tsae.yaml'),
];
// The last two share the art-daily run.
CASES[CASES.length - 2].run = CASES[CASES.length - 3].run;

export async function scoreCase(c: Case, runDir: string, options: ScoreOptions = {}): Promise<CaseResult> {
  const result = await scoreRun(runDir, c.data, { ...(c.labels ? { labels: c.labels } : {}), ...options });
  const m = result.scores.metrics;
  return {
    name: c.name,
    events: result.scores.events.length,
    ...(m?.events ? { hits: m.events.hits, labelled: m.events.labelled, outside: m.events.eventsOutside } : {}),
    ...(m?.nab ? { nab: m.nab.normalized } : {}),
    ...(m?.auc !== undefined ? { auc: m.auc } : {}),
  };
}

export function formatRow(r: CaseResult): string {
  const f = (x: number | undefined, d = 1) => (x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(d));
  const hits = r.labelled !== undefined ? `${r.hits}/${r.labelled}` : '-';
  return `| ${r.name.padEnd(26)} | ${hits.padStart(5)} | ${String(r.outside ?? (r.labelled === undefined && r.auc === undefined ? r.events : '-')).padStart(7)} | ${f(r.nab).padStart(6)} | ${f(r.auc, 3).padStart(6)} |${r.note ? ` ${r.note}` : ''}`;
}

export const HEADER = '| case                       |  hits | outside |    NAB |    AUC |\n|---|---|---|---|---|';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const arg = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const dir = path.resolve(arg('--dir') ?? path.join(ROOT, '.tsae', 'anomaly-quality'));
  const only = arg('--cases')?.split(',');
  const retrain = argv.includes('--retrain');
  const smoothing = arg('--smoothing');
  const threshold = arg('--threshold');
  const history = arg('--history');
  const options: ScoreOptions = {
    ...(smoothing !== undefined ? { smoothing: Number(smoothing) } : {}),
    ...(history !== undefined ? { history: Number(history) } : {}),
  };
  if (threshold !== undefined) {
    const rule = parseThresholdRule(threshold);
    if ('error' in rule) throw new Error(`--threshold: ${rule.error}`);
    options.threshold = rule;
  }
  const cases = CASES.filter((c) => !only || only.some((o) => c.name.includes(o)));
  console.log(HEADER);
  for (const c of cases) {
    const started = performance.now();
    try {
      const runDir = c.run(dir, retrain);
      const r = await scoreCase(c, runDir, options);
      r.note = `${((performance.now() - started) / 1000).toFixed(0)} s`;
      console.log(formatRow(r));
    } catch (err) {
      console.log(`| ${c.name} | failed: ${(err as Error).message.split('\n')[0]} |`);
    }
  }
}

if (require.main === module) void main();
