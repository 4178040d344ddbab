// One TSAE backend training one prepared workload, in a process of its own (so its peak RSS is
// its own). The loop is the plainest training step there is: Adam 1e-3 on MSE, batches in a
// fixed order, the loss read back after every batch (as the trainer does for its charts).

import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/core/model/backend';
import { createOptimizer } from '../src/core/train/optimizer';
import { fusedFallbacks } from '../src/core/model/fused';
import { FusedGRU } from '../src/core/model/fused/fusedGru';
import { FusedLSTM } from '../src/core/model/fused/fusedLstm';
import { uninstallTransposeFirstMatMul } from '../src/core/model/wasmMatMul';
import { TRAINING_BACKENDS, type TrainingBackend } from '../src/core/types';
import { buildBenchModel, importWeights } from './model';
import { readPrepared } from './prepared';

/** `wasm-stock` is wasm with tfjs's own BatchMatMul, to show what the transpose-first kernel buys. */
export type BenchBackend = TrainingBackend | 'wasm-stock';
export const BENCH_BACKENDS: BenchBackend[] = [...TRAINING_BACKENDS, 'wasm-stock'];

/** Full epochs (seconds per epoch = mean of epochs 2..N), or the first batches of one epoch, extrapolated. */
export type Measurement = { kind: 'epochs'; epochs: number } | { kind: 'batches'; batches: number };

export interface TrainOutcome {
  workload: string;
  /** A TSAE backend, or `pytorch` for the reference (bench/pytorch_reference.py prints the same shape). */
  backend: BenchBackend | 'pytorch';
  /** Set when the backend could not be used; nothing else is measured then. */
  unavailable?: string;
  backendReason?: string;
  fusedLayers?: number;
  fallbacks?: string[];
  secondsPerEpoch?: number;
  /** Each round's seconds per epoch when secondsPerEpoch is their median (bench/rounds.ts). */
  roundSecondsPerEpoch?: number[];
  /** How secondsPerEpoch was obtained, e.g. "mean of epochs 2-4" or "extrapolated from batches 2-5 of 16". */
  measuredAs?: string;
  epochSeconds?: number[];
  /** Mean training loss of each epoch (batch losses weighted by batch size). */
  epochLosses?: number[];
  /** Losses of the first batches, to check both frameworks train the same model. */
  firstBatchLosses?: number[];
  secondsToTargetMse?: number | null;
  peakRssMb: number;
  buildSeconds?: number;
}

export const RESULT_PREFIX = 'TSAE_BENCH_RESULT ';

export async function runTrainChild(dir: string, backend: BenchBackend, measurement: Measurement, targetMse: number): Promise<TrainOutcome> {
  const prepared = readPrepared(dir);
  const { workload } = prepared.manifest;
  const base = { workload: workload.name, backend };
  const choice = await initBackend(backend === 'wasm-stock' ? 'wasm' : backend);
  const wanted = backend === 'wasm-stock' ? 'wasm' : backend;
  // The bench does not time the cpu stand-in under another backend's name: the row is skipped.
  if (choice.backend !== wanted) return { ...base, unavailable: choice.requestedUnavailable ?? choice.reason, peakRssMb: peakRssMb() };
  if (backend === 'wasm-stock') uninstallTransposeFirstMatMul();

  const built = performance.now();
  const bench = buildBenchModel(workload);
  importWeights(bench, prepared.weights);
  const buildSeconds = (performance.now() - built) / 1000;
  const fusedLayers = bench.model.layers.filter((l) => l instanceof FusedLSTM || l instanceof FusedGRU).length;

  const { window, features } = workload;
  const perWindow = window * features;
  const batches: tf.Tensor3D[] = [];
  for (let start = 0; start < prepared.windows.count; start += workload.batch) {
    const end = Math.min(start + workload.batch, prepared.windows.count);
    batches.push(tf.tensor3d(prepared.windows.values.subarray(start * perWindow, end * perWindow), [end - start, window, features]));
  }

  // The trainer's optimizer, so the bench times what users get.
  const optimizer = createOptimizer('adam', 1e-3);
  const step = (x: tf.Tensor3D): number => {
    const loss = optimizer.minimize(() => tf.losses.meanSquaredError(x, bench.model.apply(x) as tf.Tensor) as tf.Scalar, true);
    if (loss === null) throw new Error('optimizer returned no loss');
    const value = loss.dataSync()[0];
    loss.dispose();
    return value;
  };

  const firstBatchLosses: number[] = [];
  const epochSeconds: number[] = [];
  const epochLosses: number[] = [];
  let secondsToTargetMse: number | null = null;
  let measuredAs: string;
  let secondsPerEpoch: number;

  if (measurement.kind === 'epochs') {
    let elapsed = 0;
    for (let epoch = 0; epoch < measurement.epochs; epoch++) {
      const started = performance.now();
      let weighted = 0;
      for (const x of batches) {
        const loss = step(x);
        if (firstBatchLosses.length < 5) firstBatchLosses.push(loss);
        weighted += loss * x.shape[0];
      }
      const seconds = (performance.now() - started) / 1000;
      elapsed += seconds;
      epochSeconds.push(seconds);
      epochLosses.push(weighted / prepared.windows.count);
      if (secondsToTargetMse === null && epochLosses[epoch] <= targetMse) secondsToTargetMse = elapsed;
      progress(`${workload.name}/${backend}: epoch ${epoch + 1} ${seconds.toFixed(2)} s, loss ${epochLosses[epoch].toFixed(4)}`);
    }
    const timed = epochSeconds.length > 1 ? epochSeconds.slice(1) : epochSeconds;
    secondsPerEpoch = mean(timed);
    measuredAs = epochSeconds.length > 1 ? `mean of epochs 2-${epochSeconds.length}` : 'epoch 1 only (includes warm-up)';
  } else {
    // Batch 1 warms up (kernel setup, first allocation); batches 2..K+1 are timed.
    const timedBatches = Math.min(measurement.batches, batches.length - 1);
    if (timedBatches < 1) throw new Error(`workload ${workload.name} has ${batches.length} batches; need 2 to time a capped run`);
    firstBatchLosses.push(step(batches[0]));
    const started = performance.now();
    for (let b = 1; b <= timedBatches; b++) {
      const loss = step(batches[b]);
      if (firstBatchLosses.length < 5) firstBatchLosses.push(loss);
    }
    const perBatch = (performance.now() - started) / 1000 / timedBatches;
    secondsPerEpoch = perBatch * batches.length;
    measuredAs = `extrapolated from batches 2-${timedBatches + 1} of ${batches.length}`;
    progress(`${workload.name}/${backend}: ${perBatch.toFixed(2)} s per batch, ${measuredAs}`);
  }

  return {
    ...base,
    backendReason: choice.reason,
    fusedLayers,
    fallbacks: backend === 'fused' ? fusedFallbacks() : [],
    secondsPerEpoch,
    measuredAs,
    epochSeconds,
    epochLosses,
    firstBatchLosses,
    secondsToTargetMse: measurement.kind === 'epochs' ? secondsToTargetMse : undefined,
    peakRssMb: peakRssMb(),
    buildSeconds,
  };
}

/** Peak resident set of this process (VmHWM), in MiB. */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function progress(line: string): void {
  process.stderr.write(`  ${line}\n`);
}
