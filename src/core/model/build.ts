// Builds the autoencoder described by `config.model` as one functional tf.LayersModel
// (window in, window out) plus an encoder model (window in, latent out) sharing its layers.
//
// Layer names are stable (`encoder_0`, `latent`, `decoder_0`, `output`, ...) because the
// per-layer gradient norms in metrics.jsonl and the runtime detectors refer to them.

import * as tf from '@tensorflow/tfjs';
import type { ResolvedConfig, ResolvedRecurrentLayer } from '../config/types';
import { createRecurrentLayer, openForgetGates } from './recurrent';
import { seededDenseKernel, seededInitializers } from './initializers';
import { timeDistributedDense } from './timeDistributed';

export interface ModelShape {
  /** Time steps per window. */
  window: number;
  inputFeatures: number;
  /** Features the decoder emits: the input features, or the target columns for seq2seq. */
  outputFeatures: number;
  /** Needed only by stateful models, whose batch size is part of the graph. */
  batchSize: number;
}

export interface BuiltModel {
  model: tf.LayersModel;
  encoder: tf.LayersModel;
  parameters: number;
  /** Values per window divided by latent units, e.g. 140 x 1 -> 16 gives 8.75. */
  compressionRatio: number;
}

type Sym = tf.SymbolicTensor;

/**
 * Frees the models' weights. Every layer of the encoder is a layer of the autoencoder, and tfjs
 * releases a layer's weights on the first dispose of a model containing it, so disposing the
 * autoencoder frees both (disposing the encoder as well would throw "already disposed").
 */
export function disposeBuilt(built: BuiltModel): void {
  built.model.dispose();
}

export function compressionRatio(window: number, inputFeatures: number, latentSize: number): number {
  return (window * inputFeatures) / latentSize;
}

export interface BuildOptions {
  /** A model only for prediction (scoring): layers that are faster forward but would change training's arithmetic. */
  inference?: boolean;
}

export function buildAutoencoder(config: ResolvedConfig, shape: ModelShape, options: BuildOptions = {}): BuiltModel {
  const m = config.model;
  const seeds = seedSequence(config.training.seed);
  const input = m.stateful
    ? tf.input({ batchShape: [shape.batchSize, shape.window, shape.inputFeatures], name: 'window' })
    : tf.input({ shape: [shape.window, shape.inputFeatures], name: 'window' });

  let x: Sym = input;
  m.encoder.forEach((layer, i) => {
    const last = i === m.encoder.length - 1;
    x = applyRecurrent(layer, config, { name: `encoder_${i}`, returnSequences: !last, seed: seeds() }, x);
  });

  const latent = tf.layers.dense({ units: m.latent.size, activation: m.latent.activation, name: 'latent', kernelInitializer: seededDenseKernel(seeds()) }).apply(x) as Sym;
  const z = m.latent.dropout > 0 ? (tf.layers.dropout({ rate: m.latent.dropout, seed: seeds(), name: 'latent_dropout' }).apply(latent) as Sym) : latent;

  let y: Sym;
  switch (m.bridge) {
    case 'repeat':
      y = decodeRepeated(z, config, shape, seeds);
      break;
    case 'initialState':
      y = decodeFromInitialState(z, input, config, seeds);
      break;
    case 'sequence':
      y = decodeLatentAsTimeAxis(z, config, shape, seeds);
      break;
  }

  const head = tf.layers.dense({ units: shape.outputFeatures, activation: m.outputActivation, kernelInitializer: seededDenseKernel(seeds()) });
  // Inference folds the steps into the batch (same values, no per-step loop); training keeps the
  // stock layer, whose gradients sum in the order every run so far was trained with.
  const output = (options.inference ? timeDistributedDense(head, 'output') : tf.layers.timeDistributed({ layer: head, name: 'output' })).apply(y) as Sym;

  const model = tf.model({ inputs: input, outputs: output, name: 'autoencoder' });
  const encoder = tf.model({ inputs: input, outputs: latent, name: 'encoder' });
  model.layers.forEach(keepKeywordArgumentsToItself);
  openForgetGates(model);
  return {
    model,
    encoder,
    parameters: model.countParams(),
    compressionRatio: compressionRatio(shape.window, shape.inputFeatures, m.latent.size),
  };
}

/** The standard wiring: the latent vector is repeated at every time step of the decoder. */
function decodeRepeated(z: Sym, config: ResolvedConfig, shape: ModelShape, seeds: () => number): Sym {
  let y = tf.layers.repeatVector({ n: shape.window, name: 'repeat' }).apply(z) as Sym;
  config.model.decoder.forEach((layer, i) => {
    y = applyRecurrent(layer, config, { name: `decoder_${i}`, returnSequences: true, seed: seeds() }, y);
  });
  return y;
}

/**
 * The latent vector becomes the first decoder layer's initial state: h0 = tanh(W_h z) (h of an
 * LSTM/GRU lives in (-1, 1)) and, for an LSTM, c0 = W_c z (the cell state is unbounded). The
 * decoder then runs over a zero sequence of window length, so everything it knows about the
 * window comes through the state, as in Sutskever et al.'s encoder-decoder. The zero sequence
 * is produced inside the graph by a frozen zero-kernel Dense on the input, which keeps the
 * model a plain single-input Layers model that saves and reloads without custom layers.
 */
function decodeFromInitialState(z: Sym, input: Sym, config: ResolvedConfig, seeds: () => number): Sym {
  const m = config.model;
  const first = m.decoder[0];
  const directions = first.bidirectional ? ['', '_backward'] : [''];
  const states: Sym[] = [];
  for (const dir of directions) {
    states.push(tf.layers.dense({ units: first.units, activation: 'tanh', name: `bridge_h${dir}`, kernelInitializer: seededDenseKernel(seeds()) }).apply(z) as Sym);
    if (m.cell === 'lstm') {
      states.push(tf.layers.dense({ units: first.units, activation: 'linear', name: `bridge_c${dir}`, kernelInitializer: seededDenseKernel(seeds()) }).apply(z) as Sym);
    }
  }
  let y = tf.layers.dense({ units: 1, useBias: false, kernelInitializer: 'zeros', trainable: false, name: 'decoder_zero_input' }).apply(input) as Sym;
  m.decoder.forEach((layer, i) => {
    y = applyRecurrent(layer, config, { name: `decoder_${i}`, returnSequences: true, seed: seeds() }, y, i === 0 ? states : undefined);
  });
  return y;
}

/**
 * The PITFALL of user report 1, kept on purpose so it can be reproduced and diagnosed: the
 * latent vector is reshaped to `latent.size` time steps of one feature, as if its units were
 * a time axis. The decoder output is then stretched to window length by a Dense layer over the
 * time axis (permute, dense, permute back). Amplitude information is mixed across "time".
 */
function decodeLatentAsTimeAxis(z: Sym, config: ResolvedConfig, shape: ModelShape, seeds: () => number): Sym {
  let y = tf.layers.reshape({ targetShape: [config.model.latent.size, 1], name: 'latent_as_sequence' }).apply(z) as Sym;
  config.model.decoder.forEach((layer, i) => {
    y = applyRecurrent(layer, config, { name: `decoder_${i}`, returnSequences: true, seed: seeds() }, y);
  });
  y = tf.layers.permute({ dims: [2, 1], name: 'time_to_last' }).apply(y) as Sym;
  y = tf.layers.dense({ units: shape.window, name: 'time_stretch', kernelInitializer: seededDenseKernel(seeds()) }).apply(y) as Sym;
  return tf.layers.permute({ dims: [2, 1], name: 'time_to_middle' }).apply(y) as Sym;
}

function applyRecurrent(layer: ResolvedRecurrentLayer, config: ResolvedConfig, opts: { name: string; returnSequences: boolean; seed: number }, x: Sym, initialState?: Sym[]): Sym {
  const rnn = createRecurrentLayer(layer, {
    cell: config.model.cell,
    returnSequences: opts.returnSequences,
    // A layer fed a state starts from it in every batch, so a state it carried over would never
    // be read; and tfjs cannot build one stateful (RNN.build writes the batch size into the
    // temporary input spec RNN.apply sets for the states, and resetStates then reads the restored
    // spec, which lacks it: "Cannot read properties of undefined"). It is built stateless.
    stateful: config.model.stateful && initialState === undefined,
    // A wrapped layer gets a derived name; the wrapper carries the stable one.
    name: layer.bidirectional ? `${opts.name}_inner` : opts.name,
    seed: opts.seed,
  });
  const wrapped = layer.bidirectional ? tf.layers.bidirectional({ layer: rnn as tf.RNN, mergeMode: 'concat', name: opts.name }) : rnn;
  // Initial states go in as extra inputs ([x, h, c]): tfjs records them as inputs of the layer's
  // node, so they are saved and reloaded (the model tests compare outputs after a reload).
  const y = wrapped.apply(initialState !== undefined ? [x, ...initialState] : x) as Sym;
  if (layer.bidirectional) reseedBackwardDirection(wrapped, opts.seed + 3);
  return y;
}

/**
 * tfjs's Bidirectional makes both directions from one layer config, seeded initializers
 * included, so the backward layer would start with the forward one's very weights. Its kernels
 * are drawn again from seeds of their own (the seed sequence steps by 7; a layer uses seed and
 * seed + 1), as every other layer's are.
 */
function reseedBackwardDirection(wrapper: tf.layers.Layer, seed: number): void {
  const backward = (wrapper as unknown as { backwardLayer: tf.layers.Layer }).backwardLayer;
  const init = seededInitializers(seed);
  const [kernel, recurrent, ...rest] = backward.getWeights();
  const fresh = [init.kernel.apply(kernel.shape), init.recurrent.apply(recurrent.shape)];
  backward.setWeights([...fresh, ...rest]);
  tf.dispose(fresh);
}

/**
 * Makes `layer` run on its own copy of the keyword arguments it is applied with.
 *
 * When a model runs on tensors (training's `model.apply(x, { training: true })`), tfjs's executor
 * (tfjs-layers engine/executor `execute`) passes ONE keyword-arguments object to every layer in
 * topological order, and a recurrent layer fed initial states writes them into that object:
 * RNN.apply and Bidirectional.apply set
 * `kwargs.initialState` (and `kwargs.constants`), Bidirectional.call `Object.assign`s each
 * direction's half into it. Every layer applied later then sees those states as its own; a
 * recurrent one throws "When inputs is an array, neither initialState or constants should be
 * provided" (its inputs always come as an array there), or, called directly, would start from
 * another layer's state. So a decoder of two layers whose first is fed the latent state could not
 * train on any backend. With a copy each layer's additions stay its own, and only the layer the
 * graph feeds a state receives one. Prediction (no keyword arguments) was never affected.
 */
function keepKeywordArgumentsToItself(layer: tf.layers.Layer): void {
  const apply = layer.apply.bind(layer);
  layer.apply = (inputs, kwargs) => apply(inputs, kwargs === undefined ? undefined : { ...kwargs });
}

/** Distinct, reproducible seeds for each initializer, derived from the training seed. */
function seedSequence(seed: number): () => number {
  let next = (Math.abs(Math.trunc(seed)) % 1_000_000) * 1000;
  return () => (next += 7);
}
