// tf.train.adam with each variable's update done by one call into the WebAssembly kernel.
//
// Why: tfjs's Adam launches ~14 kernels per variable per step (mul, add, square, div, sqrt,
// assign...), ~110 for an LSTM autoencoder, each with 10-25 us of engine bookkeeping, while the
// arithmetic is ~100k multiply-adds: 3-5 ms per step, a sixth of a fused training step on the
// 14-step workload. Here each variable costs a read of its weights and gradient, one kernel call
// (the same float32 operations in the same order as tfjs's) and one assign.
//
// The moments live in the kernel heap; getWeights/setWeights exchange them under the names
// tfjs's Adam uses, so saved optimizer state moves between the two.

import * as tf from '@tensorflow/tfjs';
import { loadedLstmKernel, type AdamSlot, type LstmKernel } from './lstmKernel';
import { tensorOf, valuesOf } from './tensorIo';

/** A weight or moment by name, as tf.Optimizer's getWeights/setWeights exchange them (tfjs does not export the type). */
type NamedTensor = { name: string; tensor: tf.Tensor };

interface Moments {
  name: string;
  slot: AdamSlot;
}

export class FusedAdamOptimizer extends tf.AdamOptimizer {
  private moments: Array<Moments | undefined> = [];

  constructor(
    private readonly kernel: LstmKernel,
    learningRate: number,
    beta1 = 0.9,
    beta2 = 0.999,
    epsilon?: number,
  ) {
    super(learningRate, beta1, beta2, epsilon);
  }

  override applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const names = Array.isArray(variableGradients) ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
    // Bias correction by beta^t for this step t (1-based), from the iteration count, so that an
    // optimizer restored by setWeights continues exactly where the saved one was.
    const t = this.iterations + 1;
    const step = {
      learningRate: this.learningRate,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      correction1: 1 - Math.pow(this.beta1, t),
      correction2: 1 - Math.pow(this.beta2, t),
    };
    names.forEach((name, i) => {
      const variable = tf.engine().registeredVariables[name];
      const gradient = Array.isArray(variableGradients) ? variableGradients[i].tensor : variableGradients[name];
      if (variable === undefined || gradient == null) return;
      const slot = this.slotFor(i, name, variable.size);
      // Both views are copied into the kernel heap before any tfjs op runs (see tensorIo.ts).
      const updated = slot.update(valuesOf(variable), valuesOf(gradient), step);
      const next = tensorOf(updated, variable.shape);
      variable.assign(next);
      next.dispose();
    });
    this.incrementIterations();
  }

  /** The iteration count, then every first moment, then every second moment, named as tfjs's Adam names them. */
  override async getWeights(): Promise<NamedTensor[]> {
    const present = this.moments.filter((s): s is Moments => s !== undefined);
    const shapeOf = (name: string, size: number) => tf.engine().registeredVariables[name]?.shape ?? [size];
    const named = (suffix: string, pick: (slot: AdamSlot) => Float32Array) =>
      present.map((s) => ({ name: `${s.name}/${suffix}`, tensor: tf.tensor(pick(s.slot).slice(), shapeOf(s.name, s.slot.size)) }));
    return [await this.saveIterations(), ...named('m', (slot) => slot.firstMoment), ...named('v', (slot) => slot.secondMoment)];
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const rest = await this.extractIterations(weightValues);
    const count = rest.length / 2;
    this.moments = rest.slice(0, count).map((first, k) => {
      const name = first.name.replace(/\/m$/, '');
      const slot = this.kernel.createAdamSlot(first.tensor.size);
      slot.firstMoment.set(first.tensor.dataSync());
      slot.secondMoment.set(rest[count + k].tensor.dataSync());
      return { name, slot };
    });
  }

  private slotFor(index: number, name: string, size: number): AdamSlot {
    const current = this.moments[index];
    if (current !== undefined && current.slot.size === size) return current.slot;
    // Slots are never freed (bump heap); a training run creates one per variable.
    const slot = this.kernel.createAdamSlot(size);
    this.moments[index] = { name, slot };
    return slot;
  }
}

/** Adam on the fused kernel when this process has loaded it (the fused backend does), else undefined. */
export function createFusedAdam(learningRate: number): FusedAdamOptimizer | undefined {
  const kernel = loadedLstmKernel();
  return kernel === undefined ? undefined : new FusedAdamOptimizer(kernel, learningRate);
}
