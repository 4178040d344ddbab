// A decoder of several recurrent layers whose first is fed the latent vector as its initial
// state (model.bridge: initialState), as in seq2seq encoder-decoders. tfjs's executor hands one
// keyword-arguments object to every layer of a model run on tensors, and a state-fed layer wrote
// its states into it, so the next recurrent layer refused them and training failed after 0
// epochs, on every backend. Here such models train 2 epochs on real data on the fused kernel,
// on stock tfjs layers (wasm) and on cpu, for LSTM and GRU, stateful and bidirectional too; only
// the first decoder layer ever gets a state; the saved model reloads, and the inference build
// eval uses, to the same outputs.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/core/model/backend';
import { buildAutoencoder, disposeBuilt, type BuiltModel } from '../../src/core/model/build';
import { FusedGRU } from '../../src/core/model/fused/fusedGru';
import { FusedLSTM } from '../../src/core/model/fused/fusedLstm';
import { setRecurrentLayerOverride } from '../../src/core/model/recurrent';
import { loadDataset } from '../../src/core/data';
import { trainModel } from '../../src/core/train/train';
import { gatherWindows } from '../../src/core/train/batches';
import { loadModel, restoreWeights, saveModel } from '../../src/core/run/modelIO';
import { resolve, sensorsConfig, tempDir } from './helpers';

type Json = Record<string, unknown>;

/** Records, for each call of `layer` on tensors, whether it was handed an initial state. */
function spyOnStates(layer: tf.layers.Layer): boolean[] {
  const seen: boolean[] = [];
  const call = layer.call.bind(layer);
  layer.call = (inputs, kwargs) => {
    seen.push(kwargs?.['initialState'] != null);
    return call(inputs, kwargs);
  };
  return seen;
}

function maxDifference(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

const BACKENDS = [
  { name: 'fused', fused: true, start: () => initBackend('fused') },
  { name: 'wasm, stock layers', fused: false, start: () => initBackend('wasm') },
  { name: 'cpu', fused: false, start: () => initBackend('cpu') },
] as const;

const MODELS: Array<{ name: string; model: Json; training?: Json }> = [
  { name: 'LSTM, 2-layer decoder', model: { cell: 'lstm', decoder: [{ units: 6 }, { units: 5 }] } },
  { name: 'GRU, 2-layer decoder', model: { cell: 'gru', decoder: [{ units: 6 }, { units: 5 }] } },
  // The state-fed layer is built stateless (tfjs cannot build it stateful); the others carry their state.
  { name: 'stateful GRU, 2-layer decoder', model: { cell: 'gru', stateful: true, decoder: [{ units: 6 }, { units: 5 }] }, training: { shuffle: false, batchSize: 8 } },
  { name: 'LSTM, bidirectional first of 3 decoder layers', model: { cell: 'lstm', decoder: [{ units: 4, bidirectional: true }, { units: 5 }, { units: 4 }] } },
];

for (const backend of BACKENDS) {
  describe(`a state-fed stacked decoder on ${backend.name}`, () => {
    const dir = tempDir('tsae-statefed-');

    for (const variant of MODELS) {
      test(`${variant.name}: trains 2 epochs, only decoder_0 gets the state, reloads and rebuilds for inference to the same outputs`, async () => {
        const choice = await backend.start();
        assert.equal(choice.backend, backend.name.split(',')[0]);
        // initBackend('wasm') keeps the fused layers installed by an earlier initBackend('fused').
        if (!backend.fused) setRecurrentLayerOverride(undefined);
        const config = resolve(
          sensorsConfig({
            name: 'statefed',
            model: { bridge: 'initialState', latent: { size: 3, activation: 'tanh' }, ...variant.model },
            training: { epochs: 2, seed: 11, ...variant.training },
          }),
        );
        const data = await loadDataset(config);
        const shape = { window: config.windowing.length, inputFeatures: data.featureNames.length, outputFeatures: data.targetNames.length, batchSize: config.training.batchSize };
        const built = buildAutoencoder(config, shape);
        let inference: BuiltModel | undefined;
        try {
          const decoders = config.model.decoder.map((_, i) => built.model.getLayer(`decoder_${i}`));
          const fusedClass = config.model.cell === 'gru' ? FusedGRU : FusedLSTM;
          decoders.forEach((l, i) =>
            assert.equal(
              l instanceof fusedClass,
              backend.fused && !config.model.decoder[i].bidirectional && !(config.model.stateful && i > 0),
              `decoder_${i} is ${l.constructor.name}`,
            ),
          );
          const seen = decoders.map(spyOnStates);

          const result = await trainModel(built, config, data, { epochs: 2 });
          assert.equal(result.status, 'completed', result.reason);
          assert.equal(result.history.length, 2);
          assert.ok(
            result.history.every((h) => Number.isFinite(h.loss)),
            `losses ${result.history.map((h) => h.loss).join(', ')}`,
          );
          // The state reaches decoder_0: the bridge that makes it gets gradients, like every decoder layer.
          const norms = result.history[1].gradNorms ?? {};
          for (const layer of ['bridge_h', ...decoders.map((l) => l.name)]) assert.ok((norms[layer] ?? 0) > 0, `gradient norm of ${layer}: ${norms[layer]}`);
          assert.ok(seen[0].length > 0 && seen[0].every(Boolean), 'decoder_0 ran without its initial state');
          seen
            .slice(1)
            .forEach((calls, i) =>
              assert.ok(calls.length > 0 && !calls.some(Boolean), `decoder_${i + 1} was handed a state in ${calls.filter(Boolean).length} of ${calls.length} calls`),
            );

          // The caller's keyword arguments come back as they went in.
          const stateful = config.model.stateful;
          const x = gatherWindows(
            data.validation,
            Array.from({ length: stateful ? config.training.batchSize : 4 }, (_, i) => i),
          );
          const kwargs = { training: true };
          tf.dispose(built.model.apply(x, kwargs) as tf.Tensor);
          assert.deepEqual(kwargs, { training: true });

          const modelDir = path.join(dir, variant.name.replace(/\W+/g, '-'));
          await saveModel(built.model, modelDir);
          const reloaded = await loadModel(modelDir);
          inference = buildAutoencoder(config, shape, { inference: true });
          await restoreWeights(inference.model, modelDir);
          if (stateful) {
            assert.deepEqual(
              decoders.map((l) => (l as unknown as { stateful: boolean }).stateful),
              [false, true],
            );
            for (const m of [built.model, reloaded, inference.model]) m.resetStates();
          }
          const expected = built.model.predict(x) as tf.Tensor;
          const fromFile = reloaded.predict(x) as tf.Tensor;
          const rebuilt = inference.model.predict(x) as tf.Tensor;
          assert.ok(maxDifference(fromFile, expected) < 1e-5, `reloaded model differs by ${maxDifference(fromFile, expected)}`);
          assert.ok(maxDifference(rebuilt, expected) < 1e-5, `inference build differs by ${maxDifference(rebuilt, expected)}`);
          tf.dispose([x, expected, fromFile, rebuilt]);
          reloaded.dispose();
        } finally {
          if (inference) disposeBuilt(inference);
          disposeBuilt(built);
        }
      });
    }
  });
}
