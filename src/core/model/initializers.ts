// Keras-style, seeded initialisation. Seeds make two runs of one config start from the same
// weights; PyTorch's default initialisation stalled near the mean in our measurements
// (see the lstm-speed brief), while glorot-uniform + orthogonal recurrent weights did not.

import * as tf from '@tensorflow/tfjs';

/** tfjs does not export its Initializer class from the package root; this is its public shape. */
export type Initializer = ReturnType<typeof tf.initializers.glorotUniform>;

export interface LayerInitializers {
  kernel: Initializer;
  recurrent: Initializer;
}

export function seededInitializers(seed: number): LayerInitializers {
  return {
    kernel: tf.initializers.glorotUniform({ seed }),
    recurrent: tf.initializers.orthogonal({ seed: seed + 1, gain: 1 }),
  };
}

export function seededDenseKernel(seed: number): Initializer {
  return tf.initializers.glorotUniform({ seed });
}
