// How much memory training a config needs, estimated before anything is allocated, so a size
// that cannot fit is refused with the estimate and the field to blame instead of eating the
// machine's memory or failing deep in tfjs ("Invalid typed array length").
//
// The estimate counts what dominates, in 32-bit floats:
// - parameters (weights), their gradients, the optimizer's state (Adam: two moments per
//   parameter) and early stopping's copy of the best weights;
// - activations kept for backpropagation through time: for every recurrent layer, every time
//   step and every window of a batch, the layer's input, gates, cell and hidden state (about
//   in + 16 x units floats for an LSTM, in + 12 x units for a GRU, per direction), and as much
//   again for their gradients during the backward pass;
// - the windows of the data set, inputs and (seq2seq) targets;
// - the runtime itself (tfjs, the wasm heap's base), a fixed allowance.
// It is an order-of-magnitude guard, not an exact figure: tfjs keeps some more temporaries.

import type { ResolvedConfig } from '../config/types';

export const DEFAULT_MAX_MEMORY_MB = 4096;
const FLOAT_BYTES = 4;
const RUNTIME_BYTES = 150 * 2 ** 20;

export interface MemoryShape {
  inputFeatures: number;
  outputFeatures: number;
  /** Windows held in memory (train + validation + held out); 0 when not known yet. */
  windows?: number;
}

export interface MemoryEstimate {
  parameters: number;
  bytes: {
    weights: number;
    gradients: number;
    optimizer: number;
    activations: number;
    data: number;
    runtime: number;
    total: number;
  };
  /** The config key whose size contributes most (e.g. `model.encoder.0.units`). */
  largest: { configPath: string; parameters: number };
}

interface LayerCount {
  configPath: string;
  parameters: number;
  /** Floats kept per time step per window for the backward pass. */
  activationFloats: number;
  steps: number;
}

function recurrentLayer(cell: 'lstm' | 'gru', input: number, units: number, bidirectional: boolean, steps: number, configPath: string): LayerCount {
  const gates = cell === 'lstm' ? 4 : 3;
  const directions = bidirectional ? 2 : 1;
  const perStep = input + (cell === 'lstm' ? 16 : 12) * units;
  return {
    configPath,
    parameters: directions * gates * (input * units + units * units + units),
    activationFloats: directions * perStep,
    steps,
  };
}

export function estimateTrainingMemory(config: ResolvedConfig, shape: MemoryShape): MemoryEstimate {
  const m = config.model;
  const window = config.windowing.length;
  const layers: LayerCount[] = [];

  let width = shape.inputFeatures;
  m.encoder.forEach((l, i) => {
    layers.push(recurrentLayer(m.cell, width, l.units, l.bidirectional, window, `model.encoder.${i}.units`));
    width = l.units * (l.bidirectional ? 2 : 1);
  });
  const latent = m.latent.size;
  layers.push({ configPath: 'model.latent.size', parameters: width * latent + latent, activationFloats: 0, steps: 0 });

  // What the first decoder layer reads, and for how many steps.
  let decoderInput = latent;
  let decoderSteps = window;
  if (m.bridge === 'initialState') {
    const first = m.decoder[0];
    const states = (m.cell === 'lstm' ? 2 : 1) * (first.bidirectional ? 2 : 1);
    layers.push({ configPath: 'model.bridge', parameters: states * (latent * first.units + first.units) + shape.inputFeatures, activationFloats: 0, steps: 0 });
    decoderInput = 1;
  } else if (m.bridge === 'sequence') {
    decoderInput = 1;
    decoderSteps = latent;
  }
  width = decoderInput;
  m.decoder.forEach((l, i) => {
    layers.push(recurrentLayer(m.cell, width, l.units, l.bidirectional, decoderSteps, `model.decoder.${i}.units`));
    width = l.units * (l.bidirectional ? 2 : 1);
  });
  if (m.bridge === 'sequence') layers.push({ configPath: 'model.bridge', parameters: latent * window + window, activationFloats: 0, steps: 0 });
  layers.push({ configPath: 'model.decoder', parameters: width * shape.outputFeatures + shape.outputFeatures, activationFloats: shape.outputFeatures * 2, steps: window });

  const parameters = layers.reduce((sum, l) => sum + l.parameters, 0);
  const optimizerCopies = { adam: 2, rmsprop: 1, adagrad: 1, sgd: 0 }[config.training.optimizer] + (config.training.earlyStopping ? 1 : 0);
  const batch = config.training.batchSize;
  // Forward activations kept for the backward pass, and as much again for their gradients.
  const activationFloats = layers.reduce((sum, l) => sum + l.activationFloats * l.steps, 0) * batch * 2;
  const targets = config.task.type === 'seq2seq' ? shape.outputFeatures : 0;
  const dataFloats = (shape.windows ?? 0) * window * (shape.inputFeatures + targets);

  const bytes = {
    weights: parameters * FLOAT_BYTES,
    gradients: parameters * FLOAT_BYTES,
    optimizer: parameters * optimizerCopies * FLOAT_BYTES,
    activations: activationFloats * FLOAT_BYTES,
    data: dataFloats * FLOAT_BYTES,
    runtime: RUNTIME_BYTES,
    total: 0,
  };
  bytes.total = bytes.weights + bytes.gradients + bytes.optimizer + bytes.activations + bytes.data + bytes.runtime;
  const largest = layers.reduce((a, b) => (b.parameters > a.parameters ? b : a));
  return { parameters, bytes, largest: { configPath: largest.configPath, parameters: largest.parameters } };
}

export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let i = 0;
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024;
    i++;
  }
  return i === 0 ? `${Math.round(value)} bytes` : `${value >= 100 ? Math.round(value) : value.toPrecision(3)} ${units[i]}`;
}

/** One line: the total and what it is made of. */
export function describeEstimate(e: MemoryEstimate, config: ResolvedConfig): string {
  const b = e.bytes;
  const parts = [
    `${e.parameters.toLocaleString('en-US')} parameters: ${formatBytes(b.weights)} weights + ${formatBytes(b.gradients)} gradients + ${formatBytes(b.optimizer)} ${config.training.optimizer} state`,
    `${formatBytes(b.activations)} activations for backpropagation over ${config.windowing.length} steps x batch ${config.training.batchSize}`,
  ];
  if (b.data > 0) parts.push(`${formatBytes(b.data)} data`);
  parts.push(`${formatBytes(b.runtime)} runtime`);
  return `about ${formatBytes(b.total)} (${parts.join(', ')})`;
}

/** Training would not fit under the memory limit; `configPath` is the key to change first. */
export class MemoryLimitError extends Error {
  constructor(
    message: string,
    readonly configPath: string,
  ) {
    super(message);
  }
}

/** Undefined when the estimate fits under `maxMB`; otherwise the refusal, with the estimate and what to change. */
export function memoryRefusal(config: ResolvedConfig, shape: MemoryShape, maxMB: number = DEFAULT_MAX_MEMORY_MB): { message: string; configPath: string } | undefined {
  const e = estimateTrainingMemory(config, shape);
  if (e.bytes.total <= maxMB * 2 ** 20) return undefined;
  const activationsDominate = e.bytes.activations > e.bytes.weights + e.bytes.gradients + e.bytes.optimizer;
  const biggest = activationsDominate
    ? `windowing.length or training.batchSize (activations are ${formatBytes(e.bytes.activations)})`
    : `${e.largest.configPath} (${e.largest.parameters.toLocaleString('en-US')} parameters)`;
  return {
    configPath: activationsDominate ? 'windowing.length' : e.largest.configPath,
    message:
      `training this config needs ${describeEstimate(e, config)}, more than the limit of ${maxMB} MB ` +
      `(setting tsae.training.maxMemoryMB, or tsae train --max-memory MB). Reduce ${biggest}, or raise the limit if the machine has the memory.`,
  };
}
