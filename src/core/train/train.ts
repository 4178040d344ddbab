// The training loop. It is written by hand (variableGrads + applyGradients) instead of
// model.fit so that it can measure gradient norms per layer for the detectors, clip by global
// norm, stop on the first non-finite loss naming the batch, and honour a cancel request within
// one batch (it yields to the event loop between batches so a worker sees the message).

import * as tf from '@tensorflow/tfjs';
import type { ResolvedConfig } from '../config/types';
import type { EpochMetrics } from '../run/types';
import type { DetectorInput } from '../detectors/types';
import { createRng, shuffleInPlace } from '../data/random';
import { trainingTarget } from '../model/targets';
import type { BuiltModel } from '../model/build';
import { batchLoss } from './loss';
import { createOptimizer, learningRateAt, setLearningRate } from './optimizer';
import { forEachBatch, gatherWindows, range, type Windows } from './batches';
import { GradientStatsCollector } from './gradientStats';

export interface TrainingSets {
  train: Windows;
  validation: Windows;
  /** seq2seq: targets aligned with `train` / `validation`; otherwise the inputs are the targets. */
  trainTargets?: Windows;
  validationTargets?: Windows;
}

export interface BatchProgress {
  epoch: number;
  /** 1-based. */
  batch: number;
  batches: number;
  loss: number;
}

export interface TrainOptions {
  /** Overrides `training.epochs`. */
  epochs?: number;
  /** Epochs already trained (a resumed run): training continues with epoch startEpoch + 1. */
  startEpoch?: number;
  signal?: AbortSignal;
  onBatch?(progress: BatchProgress): void;
  /** Awaited after every epoch (artifacts, detectors, events); runs before the next epoch starts. */
  onEpoch?(metrics: EpochMetrics): Promise<void> | void;
}

export type TrainStatus = 'completed' | 'cancelled' | 'failed';

export interface TrainResult {
  status: TrainStatus;
  /** Why training ended early (cancel, non-finite loss, early stopping). */
  reason?: string;
  history: EpochMetrics[];
  nonFiniteLoss?: { epoch: number; batch: number };
  /** Epoch whose weights the model holds after early stopping restored them. */
  restoredEpoch?: number;
  seconds: number;
}

/** What the final detector pass learns from how training ended (one answer for runs and diagnosis trials). */
export function finalPassFacts(result: TrainResult): Pick<DetectorInput, 'nonFiniteLoss' | 'restoredEpoch'> {
  return {
    ...(result.nonFiniteLoss ? { nonFiniteLoss: result.nonFiniteLoss } : {}),
    ...(result.restoredEpoch !== undefined ? { restoredEpoch: result.restoredEpoch } : {}),
  };
}

export function batchesPerEpoch(config: ResolvedConfig, trainCount: number): number {
  const size = config.training.batchSize;
  // Stateful models have a fixed batch size; the short remainder batch is dropped (as Keras requires).
  return config.model.stateful ? Math.floor(trainCount / size) : Math.ceil(trainCount / size);
}

export async function trainModel(built: BuiltModel, config: ResolvedConfig, sets: TrainingSets, options: TrainOptions = {}): Promise<TrainResult> {
  const { model } = built;
  const t = config.training;
  const epochs = options.epochs ?? t.epochs;
  const stateful = config.model.stateful;
  const trainTargets = sets.trainTargets ?? sets.train;
  const batches = batchesPerEpoch(config, sets.train.count);
  if (batches === 0) {
    throw new Error(`training.batchSize: ${t.batchSize} is larger than the ${sets.train.count} training windows of this stateful model`);
  }

  const optimizer = createOptimizer(t.optimizer, t.learningRate);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const layerOfVariable = variableLayers(model);
  const rng = createRng(t.seed);
  const order = range(sets.train.count);
  const history: EpochMetrics[] = [];
  const early = new EarlyStopping(config);
  const started = Date.now();
  const finish = (status: TrainStatus, reason?: string, extra: Partial<TrainResult> = {}): TrainResult => {
    // A finished run keeps its best epoch's weights whether patience ran out or the epochs did
    // (Keras restores only in the first case, keras-team/keras#12511, so a best epoch within the
    // last `patience` epochs was silently lost). A cancelled or failed run keeps what it has.
    const lastEpoch = history[history.length - 1]?.epoch;
    const restoredEpoch = status === 'completed' ? early.restoreBest(model, lastEpoch) : undefined;
    early.dispose();
    optimizer.dispose();
    // The epoch number, not history.length: a resumed run's history holds only the epochs since it resumed.
    const restoredReason = restoredEpoch !== undefined && reason === undefined && lastEpoch !== undefined ? early.keptReason(lastEpoch) : reason;
    return {
      status,
      ...(restoredReason !== undefined ? { reason: restoredReason } : {}),
      history,
      seconds: (Date.now() - started) / 1000,
      ...extra,
      ...(restoredEpoch ? { restoredEpoch } : {}),
    };
  };

  // A resumed run replays the shuffles of the epochs it already trained, so it sees the batches
  // an uninterrupted run would have seen (and the learning-rate schedule goes on by epoch number).
  const startEpoch = options.startEpoch ?? 0;
  if (t.shuffle) for (let e = 1; e <= startEpoch; e++) shuffleInPlace(order, rng);

  try {
    for (let epoch = startEpoch + 1; epoch <= epochs; epoch++) {
      const epochStart = Date.now();
      const lr = learningRateAt(epoch, t.learningRate, t.lrDecay);
      setLearningRate(optimizer, lr);
      if (stateful) model.resetStates();
      if (t.shuffle) shuffleInPlace(order, rng);

      let lossSum = 0;
      const gradients = new GradientStatsCollector();
      for (let b = 0; b < batches; b++) {
        if (options.signal?.aborted) return finish('cancelled', `cancelled at epoch ${epoch}, batch ${b + 1} of ${batches}`);
        const rows = order.slice(b * t.batchSize, (b + 1) * t.batchSize);
        const step = trainStep(model, config, optimizer, variables, gatherWindows(sets.train, rows), gatherWindows(trainTargets, rows), layerOfVariable);
        if (!Number.isFinite(step.loss)) {
          const nonFiniteLoss = { epoch, batch: b + 1 };
          return finish('failed', `loss became ${step.loss} at epoch ${epoch}, batch ${b + 1} of ${batches}; training stopped`, { nonFiniteLoss });
        }
        lossSum += step.loss;
        gradients.add(step.gradNorms);
        options.onBatch?.({ epoch, batch: b + 1, batches, loss: step.loss });
        // Let the event loop deliver a cancel message before the next batch.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }

      const valLoss = validationLoss(model, config, sets.validation, sets.validationTargets ?? sets.validation);
      const metrics: EpochMetrics = {
        epoch,
        loss: lossSum / batches,
        valLoss,
        lr,
        seconds: (Date.now() - epochStart) / 1000,
        ...gradients.summary(),
      };
      history.push(metrics);
      await options.onEpoch?.(metrics);
      if (valLoss !== null && !Number.isFinite(valLoss)) {
        return finish('failed', `validation loss became ${valLoss} at epoch ${epoch}; training stopped`, { nonFiniteLoss: { epoch, batch: batches } });
      }
      const stop = early.update(model, epoch, valLoss ?? metrics.loss);
      if (stop) return finish('completed', stop);
    }
    return finish('completed');
  } catch (err) {
    early.dispose();
    optimizer.dispose();
    throw err;
  }
}

interface StepResult {
  loss: number;
  gradNorms: Record<string, number>;
}

function trainStep(
  model: tf.LayersModel,
  config: ResolvedConfig,
  optimizer: tf.Optimizer,
  variables: tf.Variable[],
  x: tf.Tensor3D,
  y: tf.Tensor3D,
  layerOfVariable: Map<string, string>,
): StepResult {
  const t = config.training;
  const target = trainingTarget(y, config);
  const { value, grads } = tf.variableGrads(() => {
    const output = model.apply(x, { training: true }) as tf.Tensor;
    return batchLoss(output, target, t.loss, t.lossReduction);
  }, variables);
  try {
    // The loss and every layer's gradient norm come back in one read, so measuring every batch
    // costs one small reduction per variable and no extra round trip.
    const names = Object.keys(grads);
    const packed = tf.tidy(() => tf.stack([tf.reshape(value, []), ...names.map((n) => tf.sum(tf.square(grads[n])))]));
    const values = packed.dataSync();
    packed.dispose();
    const loss = values[0];
    const gradNorms = perLayerNorms(names, values.subarray(1), layerOfVariable);
    if (!Number.isFinite(loss)) return { loss, gradNorms };
    tf.tidy(() => optimizer.applyGradients(t.clipNorm > 0 ? clipByGlobalNorm(grads, t.clipNorm) : grads));
    return { loss, gradNorms };
  } finally {
    tf.dispose([x, y, target, value]);
    tf.dispose(Object.values(grads));
  }
}

function clipByGlobalNorm(grads: tf.NamedTensorMap, clipNorm: number): tf.NamedTensorMap {
  const norm = tf.sqrt(tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g)))));
  const scale = tf.minimum(1, tf.div(clipNorm, tf.add(norm, 1e-12)));
  const clipped: tf.NamedTensorMap = {};
  for (const [name, g] of Object.entries(grads)) clipped[name] = tf.mul(g, scale);
  return clipped;
}

/** L2 norm of each layer's gradients (all its variables together), before clipping, from each variable's sum of squares. */
function perLayerNorms(names: string[], values: ArrayLike<number>, layerOfVariable: Map<string, string>): Record<string, number> {
  const sums: Record<string, number> = {};
  names.forEach((n, i) => {
    const layer = layerOfVariable.get(n) ?? n;
    sums[layer] = (sums[layer] ?? 0) + values[i];
  });
  for (const k of Object.keys(sums)) sums[k] = Math.sqrt(sums[k]);
  return sums;
}

function variableLayers(model: tf.LayersModel): Map<string, string> {
  const map = new Map<string, string>();
  for (const layer of model.layers) for (const w of layer.trainableWeights) map.set((w.read() as tf.Variable).name, layer.name);
  return map;
}

/** Mean of per-batch losses over the validation windows (the same loss and reduction as training), or null without any. */
export function validationLoss(model: tf.LayersModel, config: ResolvedConfig, inputs: Windows, targets: Windows): number | null {
  if (inputs.count === 0) return null;
  const t = config.training;
  const stateful = config.model.stateful;
  if (stateful) model.resetStates();
  let sum = 0;
  let n = 0;
  const indices = range(inputs.count);
  forEachBatch(inputs, indices, t.batchSize, stateful, (x, rows, real) => {
    const loss = tf.tidy(() => {
      let output = model.predictOnBatch(x) as tf.Tensor3D;
      if (real < output.shape[0]) output = output.slice([0, 0, 0], [real, output.shape[1], output.shape[2]]);
      const y = gatherWindows(targets, rows);
      return batchLoss(output, trainingTarget(y, config), t.loss, t.lossReduction);
    });
    sum += loss.dataSync()[0];
    loss.dispose();
    n++;
  });
  if (stateful) model.resetStates();
  return sum / n;
}

/** Patience-based early stopping on the validation loss (training loss without validation). */
class EarlyStopping {
  private best = Number.POSITIVE_INFINITY;
  private bestEpoch = 0;
  private wait = 0;
  private snapshot: tf.Tensor[] | undefined;
  private stopped = false;

  constructor(private readonly config: ResolvedConfig) {}

  /** Returns the reason to stop, or undefined to go on. */
  update(model: tf.LayersModel, epoch: number, monitored: number): string | undefined {
    const es = this.config.training.earlyStopping;
    if (es === undefined) return undefined;
    if (monitored < this.best - es.minDelta) {
      this.best = monitored;
      this.bestEpoch = epoch;
      this.wait = 0;
      this.dispose();
      this.snapshot = model.getWeights().map((w) => w.clone());
      return undefined;
    }
    this.wait++;
    if (this.wait < es.patience) return undefined;
    this.stopped = true;
    return `early stopping at epoch ${epoch}: no improvement over ${this.best.toPrecision(4)} (epoch ${this.bestEpoch}) for ${es.patience} epochs; best weights restored`;
  }

  /**
   * At the end of a completed run, puts the best epoch's weights back when they are not the ones
   * the model holds (patience ran out, or the best epoch came before the last); returns that epoch.
   */
  restoreBest(model: tf.LayersModel, lastEpoch: number | undefined): number | undefined {
    if (this.snapshot === undefined || (!this.stopped && this.bestEpoch === lastEpoch)) return undefined;
    model.setWeights(this.snapshot);
    return this.bestEpoch;
  }

  /** Why the weights changed at the end of a run that used all its epochs (`lastEpoch`, the last one). */
  keptReason(lastEpoch: number): string {
    return `trained all ${lastEpoch} epochs; the weights of epoch ${this.bestEpoch} (best validation loss ${this.best.toPrecision(4)}) were kept`;
  }

  dispose(): void {
    if (this.snapshot) tf.dispose(this.snapshot);
    this.snapshot = undefined;
  }
}
