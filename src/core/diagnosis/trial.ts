// One short training for a diagnosis: the config (with or without a fix) trained for a few epochs
// on a subset of its windows, then judged by the same detectors and the same comparable error as
// a full run. It writes nothing to disk; the worker runs it and posts the outcome. A worker runs
// several trials of one diagnosis, so it keeps the data of the last one (TrialDataCache): a fix
// to the model or the training reads the same windows as the control.

import * as fs from 'node:fs';
import type { BackendName, ResolvedConfig } from '../config/types';
import { loadDataset, type Dataset } from '../data';
import { runDetectors } from '../detectors';
import { initBackend } from '../model/backend';
import { buildAutoencoder, disposeBuilt } from '../model/build';
import type { EpochMetrics } from '../run/types';
import { evenSample } from '../train/evaluate';
import { reconstructionError } from '../train/inputSpaceError';
import { ProbeWindows } from '../train/probeWindows';
import { finalPassFacts, trainModel } from '../train/train';
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

/**
 * The full dataset of the last trial, reused by the next one when everything that shapes the
 * windows is the same: the data file (its path, size and modification time) and the config's
 * data, windowing, preprocessing, split and task sections as resolved. One entry only: a trial
 * worker serves one diagnosis, whose trials differ from the control in one key.
 */
export class TrialDataCache {
  private key: string | undefined;
  private dataset: Dataset | undefined;

  /** The dataset for `config` and whether it came from the cache. */
  async load(config: ResolvedConfig, signal?: AbortSignal): Promise<{ dataset: Dataset; cached: boolean }> {
    const key = datasetKey(config);
    if (key !== undefined && key === this.key && this.dataset) return { dataset: this.dataset, cached: true };
    this.key = undefined;
    this.dataset = undefined;
    const dataset = await loadDataset(config, { signal });
    if (key !== undefined) {
      this.key = key;
      this.dataset = dataset;
    }
    return { dataset, cached: false };
  }
}

function datasetKey(config: ResolvedConfig): string | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(config.dataFile);
  } catch {
    // loadDataset reports the unreadable file with its location; nothing to cache.
    return undefined;
  }
  const { data, windowing, preprocessing, split, task } = config;
  return JSON.stringify([config.dataFile, stat.size, stat.mtimeMs, data, windowing, preprocessing, split, task]);
}

/**
 * Which windows a trial trains and is judged on: evenly spread over the series, so that a subset
 * sees every part of it; for a stateful model a contiguous block, because its state carries from
 * each batch to the next in window order and an even spread would put gaps between the windows
 * the run trained next to each other (the trial would not train what the run trained).
 */
export function trialWindows(config: Pick<ResolvedConfig, 'model'>): (count: number, max: number) => number[] {
  if (!config.model.stateful) return evenSample;
  return (count, max) => Array.from({ length: Math.min(count, max) }, (_, i) => i);
}

export async function runTrial(
  config: ResolvedConfig,
  spec: TrialSpec,
  signal?: AbortSignal,
  onEpoch?: (epoch: number) => void,
  cache: TrialDataCache = new TrialDataCache(),
): Promise<TrialOutcome> {
  const started = Date.now();
  const seconds = () => (Date.now() - started) / 1000;
  await initBackend(spec.backend ?? 'auto');
  const backendSeconds = seconds();
  const loading = Date.now();
  const { dataset: full, cached } = await cache.load(config, signal);
  const overheadSeconds = backendSeconds + (cached ? 0 : (Date.now() - loading) / 1000);
  const pick = trialWindows(config);
  const dataset = subsetDataset(full, pick(full.train.count, spec.maxTrainWindows), pick(full.validation.count, MAX_VALIDATION_WINDOWS));
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
    const base = { epochs: history.length, trainWindows: dataset.train.count, overheadSeconds };
    if (result.status === 'cancelled') return { ...base, nmse: null, symptoms: [], seconds: seconds(), failure: 'cancelled' };
    const probes = new ProbeWindows(built, config, dataset);
    const input = probes.detectorInput(history, true, finalPassFacts(result));
    const findings = runDetectors(input, () => undefined);
    const symptoms = findings.map((f) => f.code);
    // The detectors' own severity policy: information when nothing but "train longer" is suspected and the loss is still falling.
    const generic = findings.filter((f) => f.severity === 'info' || f.severity === 'hint').map((f) => f.code);
    const error = result.nonFiniteLoss ? undefined : reconstructionError(built.model, config, dataset, 'as-compared');
    return {
      ...base,
      nmse: error?.nmse ?? null,
      symptoms,
      ...(generic.length > 0 ? { generic } : {}),
      seconds: seconds(),
      ...(error === undefined ? { failure: result.reason ?? "the model's outputs are not finite", diverged: true } : {}),
    };
  } finally {
    disposeBuilt(built);
  }
}
