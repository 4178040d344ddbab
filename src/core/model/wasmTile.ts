// A faster Tile for tfjs's wasm backend. RepeatVector tiles the latent over time before the
// decoder, and the stock wasm kernel computes every output element's source index on its own:
// 6 ms for a [32, 1, 100] -> [32, 14, 100] tile, 22-37 ms on the 140- and 206-step workloads
// (15-25 % of a fused training step). Tiling is block copies: copy each innermost row once,
// then replicate whole blocks with copyWithin (memmove), from the innermost axis outwards.

import type * as tf from '@tensorflow/tfjs';
import { overrideWasmKernel, restoreWasmKernel, type KernelFunc, type KernelParams, type TensorInfo } from './wasmKernelOverride';

type HeapArray = Float32Array | Int32Array | Uint8Array;

/** The parts of tfjs-backend-wasm's BackendWasm this kernel uses (public methods, untyped in tfjs's exports). */
interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): HeapArray;
}

const TILE = 'Tile';

/**
 * Writes `src` (of `shape`) tiled `reps` times per axis into `dst`, the layout tf.tile produces:
 * along each axis the copies follow one another (out[k] = in[k mod n]).
 */
export function tileInto(src: HeapArray, shape: number[], reps: number[], dst: HeapArray): void {
  const rank = shape.length;
  if (rank === 0) {
    dst.set(src);
    return;
  }
  const inStride = new Array<number>(rank);
  const outStride = new Array<number>(rank);
  inStride[rank - 1] = 1;
  outStride[rank - 1] = 1;
  for (let axis = rank - 2; axis >= 0; axis--) {
    inStride[axis] = inStride[axis + 1] * shape[axis + 1];
    outStride[axis] = outStride[axis + 1] * shape[axis + 1] * reps[axis + 1];
  }
  const fill = (axis: number, inOffset: number, outOffset: number): void => {
    const n = shape[axis];
    if (axis === rank - 1) {
      dst.set(src.subarray(inOffset, inOffset + n), outOffset);
    } else {
      for (let j = 0; j < n; j++) fill(axis + 1, inOffset + j * inStride[axis], outOffset + j * outStride[axis]);
    }
    // This axis's first copy is complete (inner axes included): replicate it as one block.
    const block = n * outStride[axis];
    for (let r = 1; r < reps[axis]; r++) dst.copyWithin(outOffset + r * block, outOffset, outOffset + block);
  };
  fill(0, 0, 0);
}

/**
 * Replaces the wasm backend's Tile with block copies. Safe to call any number of times; returns
 * false (and changes nothing) when the wasm backend's kernels are not registered.
 */
export function installCopyingTile(): boolean {
  return overrideWasmKernel(
    TILE,
    (stockFunc) =>
      ((params: KernelParams) => {
        const x = params.inputs['x'] as TensorInfo;
        // Strings live outside the heap; the stock kernel handles them.
        if (x.dtype === 'string') return stockFunc(params);
        const reps = (params.attrs as unknown as { reps: number[] }).reps;
        const backend = params.backend as unknown as WasmHeapBackend;
        const out = backend.makeOutput(
          x.shape.map((n, axis) => n * reps[axis]),
          x.dtype,
        );
        // Views only after makeOutput: its allocation may grow the heap and detach older views.
        tileInto(backend.typedArrayFromHeap(x), x.shape, reps, backend.typedArrayFromHeap(out));
        return out;
      }) as KernelFunc,
  );
}

/** Puts the stock kernel back (tests compare against it). */
export function uninstallCopyingTile(): void {
  restoreWasmKernel(TILE);
}
