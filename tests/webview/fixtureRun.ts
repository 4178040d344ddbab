// Builds small run folders exactly as src/core/run/types.ts describes them, for tests of the run
// store, live runs and the panels. The signal is a deterministic daily-like sine with a spike, so
// the reconstruction has a clear worst window; latents include a dead (always 0) unit on purpose.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RUN_FILES, type EpochMetrics, type LatentsFile, type ReconstructionsFile, type RunFinding, type RunSummary, type WindowReconstruction } from '../../src/core/run/types';

export interface FixtureOptions {
  name?: string;
  status?: RunSummary['status'];
  startedAt?: string;
  epochs?: number;
  windows?: number;
  steps?: number;
  latentSize?: number;
  /** Latent units that are always exactly 0 (a dead ReLU). */
  deadUnits?: number[];
  findings?: RunFinding[];
  /** Multiplies the reconstruction error (a "better" run after a fix has a smaller factor). */
  errorScale?: number;
}

export interface FixtureRun {
  runDir: string;
  summary: RunSummary;
  metrics: EpochMetrics[];
  reconstructions: ReconstructionsFile;
  latents: LatentsFile;
}

export function makeTempRunsDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'tsae-runs-'));
}

export const RELU_FINDING: RunFinding = {
  code: 'TSAE202',
  severity: 'warning',
  message: '2 of 3 latent units are 0 for every window (dead ReLU).',
  configPath: 'model.latent.activation',
  epoch: 3,
  data: { deadUnits: 2 },
  fix: { title: "Set model.latent.activation to 'tanh'", safety: 'unsafe', changes: [{ path: 'model.latent.activation', value: 'tanh' }] },
};

export function buildRun(o: FixtureOptions = {}): Omit<FixtureRun, 'runDir'> & { name: string } {
  const epochs = o.epochs ?? 6;
  const windowCount = o.windows ?? 12;
  const steps = o.steps ?? 24;
  const latentSize = o.latentSize ?? 3;
  const errorScale = o.errorScale ?? 1;
  const name = o.name ?? 'relu-bottleneck';
  const metrics: EpochMetrics[] = Array.from({ length: epochs }, (_, i) => ({
    epoch: i + 1,
    loss: 0.8 * Math.exp(-0.4 * i) * errorScale,
    valLoss: 0.9 * Math.exp(-0.35 * i) * errorScale,
    lr: 0.001 * Math.pow(0.9, i),
    seconds: 0.5 * (i + 1),
  }));
  const windows: WindowReconstruction[] = Array.from({ length: windowCount }, (_, w) => {
    const start = w * steps;
    const input = Array.from({ length: steps }, (_, t) => [40 + 20 * Math.sin((2 * Math.PI * (start + t)) / 48) + (w === 7 && t === 10 ? 60 : 0)]);
    const output = input.map((row, t) => [row[0] * 0.95 + (w === 7 && t === 10 ? -55 : 0.5)]);
    const stepError = input.map((row, t) => ((row[0] - output[t][0]) / 20) ** 2 * errorScale);
    const error = stepError.reduce((s, e) => s + e, 0) / steps;
    return { index: w, start, label: w === 7 ? 1 : 0, heldOut: w >= windowCount - 2, input, output, error, stepError };
  });
  const dead = new Set(o.deadUnits ?? [1]);
  const latents: LatentsFile = {
    size: latentSize,
    vectors: windows.map((w) => Array.from({ length: latentSize }, (_, u) => (dead.has(u) ? 0 : Math.sin(w.index * (u + 1)) * (u + 1)))),
    indices: windows.map((w) => w.index),
    labels: windows.map((w) => w.label ?? 0),
    sets: windows.map((w) => (w.heldOut ? 'heldOut' : 'validation')),
  };
  const last = metrics[metrics.length - 1];
  const summary: RunSummary = {
    status: o.status ?? 'completed',
    name,
    configFile: '/workspace/examples/pitfalls/02-relu-bottleneck.tsae.yaml',
    startedAt: o.startedAt ?? '2026-01-02T10:00:00.000Z',
    backend: 'cpu',
    backendReason: 'backend: cpu in settings',
    epochs,
    trainLoss: last?.loss ?? null,
    valLoss: last?.valLoss ?? null,
    seconds: last?.seconds ?? 0,
    windows: { train: 40, validation: windowCount - 2, heldOut: 2 },
    parameters: 1234,
    compressionRatio: steps / latentSize,
    reconstructionError: windows.reduce((s, w) => s + w.error, 0) / windowCount,
    findings: o.findings ?? [RELU_FINDING],
  };
  return { name, summary, metrics, reconstructions: { features: ['value'], units: 'original', windows }, latents };
}

/** Writes a run folder `<runsDir>/<folder>` and returns what was written. */
export function writeRun(runsDir: string, folder: string, o: FixtureOptions = {}): FixtureRun {
  const run = buildRun(o);
  const runDir = path.join(runsDir, folder);
  fs.mkdirSync(runDir, { recursive: true });
  fs.writeFileSync(path.join(runDir, RUN_FILES.summary), JSON.stringify(run.summary, null, 2));
  fs.writeFileSync(path.join(runDir, RUN_FILES.metrics), run.metrics.map((m) => JSON.stringify(m)).join('\n') + '\n');
  fs.writeFileSync(path.join(runDir, RUN_FILES.reconstructions), JSON.stringify(run.reconstructions));
  fs.writeFileSync(path.join(runDir, RUN_FILES.latents), JSON.stringify(run.latents));
  return { runDir, summary: run.summary, metrics: run.metrics, reconstructions: run.reconstructions, latents: run.latents };
}
