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
    kernel: tidied(tf.initializers.glorotUniform({ seed })),
    recurrent: tidied(tf.initializers.orthogonal({ seed: seed + 1, gain: 1 })),
  };
}

export function seededDenseKernel(seed: number): Initializer {
  return tidied(tf.initializers.glorotUniform({ seed }));
}

/**
 * tfjs's Orthogonal initializer leaves four intermediate tensors behind per call (its QR
 * decomposition runs outside a tidy), so every model build leaked. This runs `apply` in a tidy.
 * The wrapper inherits everything else from the original (class name, config), so layers
 * serialise exactly as with the stock initializer and reload without custom classes.
 */
function tidied(init: Initializer): Initializer {
  const wrapped = Object.create(init) as Initializer;
  wrapped.apply = (shape, dtype) => tf.tidy(() => init.apply(shape, dtype));
  return wrapped;
}
