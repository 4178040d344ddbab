// The benchmark's autoencoder, in tfjs: the architecture of the lstm-speed brief, which
// bench/pytorch_reference.py builds the same way in torch. The LSTMs (or GRUs) come from
// createRecurrentLayer, so on the fused backend they are the fused layer, as in real training.

import * as tf from '@tensorflow/tfjs';
import type { ResolvedRecurrentLayer } from '../src/core/config/types';
import { seededDenseKernel } from '../src/core/model/initializers';
import { createRecurrentLayer, openForgetGates } from '../src/core/model/recurrent';
import type { Workload } from './workloads';

/** A weight by its role in the architecture, the name both the TSAE side and PyTorch use. */
export interface RoleWeight {
  role: string;
  shape: number[];
  values: Float32Array;
}

export interface BenchModel {
  model: tf.LayersModel;
  /** Layers by role prefix ('encoder', 'latent', 'decoder', 'output'); weights are [kernel, (recurrentKernel,) bias], for LSTM and GRU alike. */
  layers: Map<string, tf.layers.Layer>;
}

const RECURRENT_WEIGHTS = ['kernel', 'recurrentKernel', 'bias'];
const DENSE_WEIGHTS = ['kernel', 'bias'];

/**
 * LSTM (or GRU) encoder -> latent = last hidden state (through a linear Dense when the workload
 * has a latent size) -> repeated over time -> decoder of the same cell returning sequences ->
 * per-step Dense. tanh / sigmoid activations (as PyTorch's), Keras-style seeded initialisation.
 */
export function buildBenchModel(workload: Workload): BenchModel {
  return withoutOrthogonalSizeWarning(() => build(workload));
}

/**
 * tfjs warns that the orthogonal initializer is slow above 2000 elements on every build; the
 * bench builds each model several times and times training only, so the warning is noise here.
 */
function withoutOrthogonalSizeWarning<T>(fn: () => T): T {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].startsWith('Orthogonal initializer is being called')) return;
    warn(...args);
  };
  try {
    return fn();
  } finally {
    console.warn = warn;
  }
}

function build(workload: Workload): BenchModel {
  const recurrent: ResolvedRecurrentLayer = {
    units: workload.hidden,
    activation: 'tanh',
    recurrentActivation: 'sigmoid',
    dropout: 0,
    recurrentDropout: 0,
    bidirectional: false,
  };
  const layers = new Map<string, tf.layers.Layer>();
  const input = tf.input({ shape: [workload.window, workload.features], name: 'window' });
  const cell = workload.cell ?? 'lstm';
  const encoder = createRecurrentLayer(recurrent, { cell, returnSequences: false, name: 'encoder', seed: 11 });
  layers.set('encoder', encoder);
  let latent = encoder.apply(input) as tf.SymbolicTensor;
  if (workload.latent !== undefined) {
    const dense = tf.layers.dense({ units: workload.latent, name: 'latent', kernelInitializer: seededDenseKernel(21) });
    layers.set('latent', dense);
    latent = dense.apply(latent) as tf.SymbolicTensor;
  }
  const repeated = tf.layers.repeatVector({ n: workload.window, name: 'repeat' }).apply(latent) as tf.SymbolicTensor;
  const decoder = createRecurrentLayer(recurrent, { cell, returnSequences: true, name: 'decoder', seed: 31 });
  layers.set('decoder', decoder);
  const decoded = decoder.apply(repeated) as tf.SymbolicTensor;
  // A Dense on the rank-3 sequence applies to the last axis at every step in one matMul.
  // TimeDistributed(Dense) computes the same but unrolls over time in JavaScript (unstack,
  // one Dense per step, stack), which cost 75 % of a fused training step on workload C.
  const head = tf.layers.dense({ units: workload.features, name: 'output', kernelInitializer: seededDenseKernel(41) });
  layers.set('output', head);
  const output = head.apply(decoded) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: output, name: `bench_${workload.name}` });
  openForgetGates(model);
  return { model, layers };
}

function rolesOf(prefix: string): string[] {
  return (prefix === 'encoder' || prefix === 'decoder' ? RECURRENT_WEIGHTS : DENSE_WEIGHTS).map((w) => `${prefix}.${w}`);
}

export function exportWeights(bench: BenchModel): RoleWeight[] {
  const out: RoleWeight[] = [];
  for (const [prefix, layer] of bench.layers) {
    const roles = rolesOf(prefix);
    const weights = layer.getWeights();
    if (weights.length !== roles.length) throw new Error(`layer ${prefix} has ${weights.length} weights, expected ${roles.join(', ')}`);
    weights.forEach((w, i) => out.push({ role: roles[i], shape: w.shape, values: w.dataSync() as Float32Array }));
  }
  return out;
}

export function importWeights(bench: BenchModel, weights: RoleWeight[]): void {
  const byRole = new Map(weights.map((w) => [w.role, w]));
  for (const [prefix, layer] of bench.layers) {
    const tensors = rolesOf(prefix).map((role) => {
      const w = byRole.get(role);
      if (w === undefined) throw new Error(`initial weights lack ${role}`);
      return tf.tensor(w.values, w.shape, 'float32');
    });
    layer.setWeights(tensors);
    tf.dispose(tensors);
  }
}
