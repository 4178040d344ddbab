// Tensor data in and out of the kernel heap with as few copies as the tfjs backend allows.
//
// dataSync on the wasm backend copies the tensor out of tfjs's heap into a fresh array, which
// the kernel wrapper then copies again into its own heap; tf.tensor on a heap view is safe on
// wasm (it copies into tfjs's heap at once) but not on cpu, which keeps the array it is given.
// Together these were ~5 % of a fused training step on the 14-step workload.

import * as tf from '@tensorflow/tfjs';

/** The BackendWasm members used here (public in tfjs-backend-wasm, not in its exported types). */
interface WasmHeapBackend {
  dataIdMap: { has(dataId: object): boolean };
  typedArrayFromHeap(t: { dataId: object; shape: number[]; dtype: tf.DataType }): Float32Array;
}

function onWasm(): boolean {
  return tf.getBackend() === 'wasm';
}

/**
 * A float32 tensor's values. On wasm, a view into tfjs's heap: read it before the next tfjs
 * operation, which may grow that heap and detach the view. Elsewhere (or for a tensor still on
 * another backend), dataSync's array; other dtypes are converted.
 */
export function valuesOf(t: tf.Tensor): Float32Array {
  if (t.dtype !== 'float32') return Float32Array.from(t.dataSync());
  const backend = onWasm() ? (tf.backend() as unknown as WasmHeapBackend) : undefined;
  if (backend === undefined || !backend.dataIdMap.has(t.dataId)) return t.dataSync() as Float32Array;
  return backend.typedArrayFromHeap({ dataId: t.dataId, shape: t.shape, dtype: t.dtype });
}

/** A tensor holding a copy of `values`, which may view the kernel heap (copied once on wasm, where tf.tensor copies anyway). */
export function tensorOf(values: Float32Array, shape: number[]): tf.Tensor {
  return tf.tensor(onWasm() ? values : values.slice(), shape, 'float32');
}
