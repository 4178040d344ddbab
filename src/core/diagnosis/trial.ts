// One short training for a diagnosis: the config (with or without a fix) trained for a few epochs
// on a subset of its windows, then judged by the same detectors and the same comparable error as
// a full run. It writes nothing to disk; the worker runs it and posts the outcome.

import type { BackendName, ResolvedConfig } from '../config/types';
import { loadDataset } from '../data';
import { runDetectors } from '../detectors';
import { initBackend } from '../model/backend';
import { buildAutoencoder, disposeBuilt } from '../model/build';
import type { EpochMetrics } from '../run/types';
import { evenSample } from '../train/evaluate';
import { reconstructionError } from '../train/inputSpaceError';
import { ProbeWindows } from '../train/probeWindows';
import { trainModel } from '../train/train';
import { subsetDataset } from './subsetDataset';
import type { TrialOutcome } from './types';

export interface TrialSpec {
  epochs: number;
  /** Training windows used at most (evenly spread); the validation windows are capped alike. */
  maxTrainWindows: number;
  backend?: BackendName;
}

/** Validation windows a trial is judged on at most: enough for the detectors and a stable error. */
const MAX_VALIDATION_WINDOWS = 512;

export async function runTrial(config: ResolvedConfig, spec: TrialSpec, signal?: AbortSignal, onEpoch?: (epoch: number) => void): Promise<TrialOutcome> {
  const started = Date.now();
  const seconds = () => (Date.now() - started) / 1000;
  await initBackend(spec.backend ?? 'auto');
  const full = await loadDataset(config, { signal });
  const dataset = subsetDataset(full, evenSample(full.train.count, spec.maxTrainWindows), evenSample(full.validation.count, MAX_VALIDATION_WINDOWS));
  const built = buildAutoencoder(config, {
    window: config.windowing.length,
    inputFeatures: dataset.featureNames.length,
    outputFeatures: dataset.targetNames.length,
    batchSize: config.training.batchSize,
  });
  try {
    const history: EpochMetrics[] = [];
    const result = await trainModel(built, config, dataset, {
      epochs: spec.epochs,
      signal,
      onEpoch(metrics) {
        history.push(metrics);
        onEpoch?.(metrics.epoch);
      },
    });
    const base = { epochs: history.length, trainWindows: dataset.train.count };
    if (result.status === 'cancelled') return { ...base, nmse: null, symptoms: [], seconds: seconds(), failure: 'cancelled' };
    const probes = new ProbeWindows(built, config, dataset);
    const input = probes.detectorInput(history, true, result.nonFiniteLoss ? { nonFiniteLoss: result.nonFiniteLoss } : {});
    const symptoms = runDetectors(input, () => undefined).map((f) => f.code);
    const error = result.nonFiniteLoss ? undefined : reconstructionError(built.model, config, dataset, 'as-compared');
    return {
      ...base,
      nmse: error?.nmse ?? null,
      symptoms,
      seconds: seconds(),
      ...(error === undefined ? { failure: result.reason ?? "the model's outputs are not finite", diverged: true } : {}),
    };
  } finally {
    disposeBuilt(built);
  }
}
