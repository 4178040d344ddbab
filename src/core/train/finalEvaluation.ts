// What a run writes once its model is final: every window scored, thresholds from the training
// windows' errors, the saved reconstructions and latents, the held-out AUC and the comparable
// reconstruction error.

import type { ResolvedConfig } from '../config/types';
import type { Dataset, WindowSetName } from '../data';
import type { InputSpaceError } from '../diagnosis/types';
import type { BuiltModel } from '../model/build';
import type { RunFolder } from '../run/runFolder';
import type { ErrorQuantiles, LatentsFile, ReconstructionsFile, WindowError, WindowReconstruction } from '../run/types';
import { sortWindows } from '../run/windows';
import { evenSample, scoreWindows, windowAt, type WindowScores } from './evaluate';
import { reconstructionError } from './inputSpaceError';
import { latentVectors } from './latentVectors';
import { quantileSorted, rocAuc } from './metrics';
import { referenceKind, referenceSets, type ReferenceSets } from './referenceSets';

/** The cap on sampled windows written to reconstructions.json, and on latent vectors in latents.json. */
const SAVED_WINDOWS = 200;
/** The worst windows of each set saved with their values besides the sample (what "worst first" opens on). */
const SAVED_WORST = 20;
const SAVED_LATENTS = 1000;
const THRESHOLD_QUANTILES = [0, 0.5, 0.75, 0.9, 0.95, 0.975, 0.98, 0.99, 0.995, 0.999, 1];

export interface FinalEvaluation {
  thresholds?: ErrorQuantiles;
  reconstructionError?: number;
  heldOutAuc?: number;
  inputSpaceError?: InputSpaceError;
}

export async function writeFinalEvaluation(folder: RunFolder, built: BuiltModel, config: ResolvedConfig, dataset: Dataset): Promise<FinalEvaluation> {
  const references = referenceSets(dataset);
  const score = (set: WindowSetName) => scoreWindows(built.model, config, dataset[set], references[set]);
  const train = score('train');
  const validation = score('validation');
  const heldOut = score('heldOut');

  // A model whose weights went NaN scores NaN everywhere: such a run gets no thresholds, error or
  // AUC (JSON would turn them into nulls that readers take for numbers).
  const allFinite = (errors: Float64Array) => errors.every(Number.isFinite);
  const thresholds = allFinite(train.errors) && train.errors.length > 0 ? errorQuantiles(train.errors) : undefined;
  if (thresholds) await folder.writeThresholds(thresholds);

  // Every window's error (the ranking), and the values of the SAVED_WORST worst windows of each
  // set plus an even sample of up to SAVED_WINDOWS, half validation and half held-out when both exist.
  const heldOutShare = Math.min(heldOut.indices.length, validation.indices.length > 0 ? SAVED_WINDOWS / 2 : SAVED_WINDOWS);
  const validationShare = Math.min(validation.indices.length, SAVED_WINDOWS - heldOutShare);
  const reconstructions: ReconstructionsFile = {
    features: dataset.targetNames,
    units: 'original',
    windows: [
      ...reconstructionRecords(dataset, 'validation', worstAndSample(validation, validationShare, SAVED_WORST), references),
      ...reconstructionRecords(dataset, 'heldOut', worstAndSample(heldOut, heldOutShare, SAVED_WORST), references),
    ],
    ranking: [...errorRanking(dataset, 'validation', validation), ...errorRanking(dataset, 'heldOut', heldOut)],
  };
  await folder.writeReconstructions(reconstructions);
  await folder.writeLatents(latentsFile(built, config, dataset));

  const result: FinalEvaluation = thresholds ? { thresholds } : {};
  const scorable = allFinite(validation.errors) && allFinite(heldOut.errors);
  if (validation.errors.length > 0 && scorable) result.reconstructionError = mean(validation.errors);
  // Normal windows held back from training (validation) against windows of the held-out labels.
  if (validation.errors.length > 0 && heldOut.errors.length > 0 && scorable) {
    const scores = [...validation.errors, ...heldOut.errors];
    const positives = scores.map((_, i) => i >= validation.errors.length);
    result.heldOutAuc = rocAuc(scores, positives);
  }
  const inputSpace = reconstructionError(built.model, config, dataset, 'input-space');
  if (inputSpace) result.inputSpaceError = inputSpace;
  return result;
}

/** Windows of `set` as reconstructions.json (and the live dashboard) record them, in original units. */
export function reconstructionRecords(dataset: Dataset, set: WindowSetName, scores: WindowScores, references: ReferenceSets): WindowReconstruction[] {
  const which = referenceKind(dataset);
  const ref = references[set];
  const labels = dataset[set].labels;
  return scores.indices.map((w, i) => ({
    index: w,
    start: dataset[set].starts[w],
    ...(dataset[set].timestamps ? { timestamp: dataset[set].timestamps[w] } : {}),
    ...(labels ? { label: labels[w] } : {}),
    ...(set === 'heldOut' ? { heldOut: true } : {}),
    input: dataset.toOriginal(set, w, windowAt(ref.values, w, ref.length, ref.features), which),
    output: dataset.toOriginal(set, w, windowAt(scores.outputs, i, scores.length, scores.features), which),
    error: scores.errors[i],
    stepError: Array.from(scores.stepErrors.subarray(i * scores.length, (i + 1) * scores.length)),
  }));
}

/** Every scored window of `set` as an entry of the ranking: where it is and its error, no values. */
export function errorRanking(dataset: Dataset, set: WindowSetName, scores: WindowScores): WindowError[] {
  const windows = dataset[set];
  return scores.indices.map((w, i) => ({
    index: w,
    start: windows.starts[w],
    ...(windows.timestamps ? { timestamp: windows.timestamps[w] } : {}),
    ...(windows.labels ? { label: windows.labels[w] } : {}),
    ...(set === 'heldOut' ? { heldOut: true } : {}),
    error: scores.errors[i],
  }));
}

/** The `worst` worst windows of `scores` and an even sample of `sample` of them (no window twice), in window order. */
export function worstAndSample(scores: WindowScores, sample: number, worst: number): WindowScores {
  const positions = new Set(evenSample(scores.indices.length, sample));
  const ranked = sortWindows(
    Array.from(scores.errors, (error, p) => ({ index: p, error })),
    'error-desc',
  );
  for (const { index } of ranked.slice(0, Math.min(worst, ranked.length))) positions.add(index);
  return subsetScores(
    scores,
    [...positions].sort((a, b) => a - b),
  );
}

function latentsFile(built: BuiltModel, config: ResolvedConfig, dataset: Dataset): LatentsFile {
  const valIdx = evenSample(dataset.validation.count, SAVED_LATENTS / 2);
  const heldIdx = evenSample(dataset.heldOut.count, SAVED_LATENTS / 2);
  const valLabels = dataset.validation.labels;
  const heldLabels = dataset.heldOut.labels;
  return {
    size: config.model.latent.size,
    vectors: [...latentVectors(built, config, dataset.validation, valIdx), ...latentVectors(built, config, dataset.heldOut, heldIdx)],
    indices: [...valIdx, ...heldIdx],
    sets: [...valIdx.map(() => 'validation' as const), ...heldIdx.map(() => 'heldOut' as const)],
    ...(valLabels || heldLabels ? { labels: [...valIdx.map((i) => valLabels?.[i] ?? ''), ...heldIdx.map((i) => heldLabels?.[i] ?? '')] } : {}),
  };
}

export function errorQuantiles(errors: ArrayLike<number>): ErrorQuantiles {
  const sorted = Float64Array.from(errors).sort();
  const quantiles: Record<string, number> = {};
  for (const q of THRESHOLD_QUANTILES) quantiles[String(q)] = quantileSorted(sorted, q);
  return { windows: sorted.length, quantiles, ...meanAndStd(sorted) };
}

/** Mean and (population) standard deviation, two passes: the training thresholds' and scoring's one definition. */
export function meanAndStd(values: ArrayLike<number>): { mean: number; std: number } {
  const m = mean(values);
  let squares = 0;
  for (let i = 0; i < values.length; i++) squares += (values[i] - m) * (values[i] - m);
  return { mean: m, std: Math.sqrt(squares / values.length) };
}

export function subsetScores(scores: WindowScores, positions: number[]): WindowScores {
  const { length, features } = scores;
  const size = length * features;
  const outputs = new Float32Array(positions.length * size);
  const stepErrors = new Float64Array(positions.length * length);
  positions.forEach((p, i) => {
    outputs.set(scores.outputs.subarray(p * size, (p + 1) * size), i * size);
    stepErrors.set(scores.stepErrors.subarray(p * length, (p + 1) * length), i * length);
  });
  return { indices: positions.map((p) => scores.indices[p]), errors: Float64Array.from(positions, (p) => scores.errors[p]), stepErrors, outputs, length, features };
}

function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum / values.length;
}
