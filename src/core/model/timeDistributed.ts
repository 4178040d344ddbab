// The output layer of every autoencoder: a Dense head applied at each time step. tfjs's
// TimeDistributed runs it through its RNN loop, which unstacks the input into one slice per step;
// on the WebAssembly backend each slice copies the whole [batch, steps, units] tensor out of the
// heap, so a 64-step window costs 64 whole copies per batch (measured: 2.5 s of 3.3 s of scoring
// 6,247 windows). A Dense layer treats every row alike, so folding the steps into the batch
// ([batch * steps, units] -> Dense -> [batch, steps, features]) gives the same values and
// gradients in three kernels. The class serialises as `TimeDistributed`: saved models load with
// plain tf.loadLayersModel, and runs saved with the stock layer restore into this one. Used for
// inference (buildAutoencoder's `inference` option): in training its gradients sum in another
// order than the stock layer's, which changes a seeded run's trajectory.

import * as tf from '@tensorflow/tfjs';

type TimeDistributedArgs = Parameters<typeof tf.layers.timeDistributed>[0];
type StockClass = new (args: TimeDistributedArgs) => tf.layers.Layer;

/** The stock class, taken from an instance because tfjs does not export it by name. */
const StockTimeDistributed = tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 1 }) }).constructor as StockClass;

class StepsAsBatchTimeDistributed extends StockTimeDistributed {
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const [batch, steps, ...rest] = x.shape;
      const inner = (this as unknown as { layer: tf.layers.Layer }).layer;
      const flat = inner.call(tf.reshape(x, [batch * steps, ...rest]), kwargs) as tf.Tensor;
      return tf.reshape(flat, [batch, steps, ...flat.shape.slice(1)]);
    });
  }
}

/** A Dense layer applied at every time step, as tf.layers.timeDistributed({ layer }) but without the per-step loop. */
export function timeDistributedDense(layer: tf.layers.Layer, name: string): tf.layers.Layer {
  return new StepsAsBatchTimeDistributed({ layer, name });
}
