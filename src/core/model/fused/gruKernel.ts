// Drives the fused GRU (gru_kernel.c, in the same module as the LSTM: LstmKernel loads it and
// creates these workspaces) on plain Float32Arrays. Weight layout and gates are tf.layers.gru's:
// kernel [D, 3U], recurrentKernel [U, 3U], bias [3U], gates z, r, h, reset applied before the
// candidate's recurrent product (tfjs's only GRU).

import { flagBits, HeapBlock, type CellBuffers, type KernelExports, type RecurrentDims, type RecurrentFlags } from './kernelWorkspace';

export interface GruForwardInputs {
  x: Float32Array; // [B, T, D]
  kernel: Float32Array; // [D, 3U]
  recurrent: Float32Array; // [U, 3U]
  bias: Float32Array; // [3U]
  /** Initial state [B, U]; zeros when absent. */
  h0?: Float32Array;
}

/**
 * Views into the kernel's heap: valid only until the next kernel call on any workspace. dh0 is
 * zeros when the forward call had no initial state (nothing to differentiate).
 */
export interface GruGradients {
  dx: Float32Array;
  dkernel: Float32Array;
  drecurrent: Float32Array;
  dbias: Float32Array;
  dh0: Float32Array;
}

// Mirrors `GruCall` in gru_kernel.c.
const BUFFER_NAMES = [
  'x',
  'kernel',
  'recurrent',
  'bias',
  'h0',
  'y',
  'hs',
  'gates',
  'rh',
  'proj0',
  'dy',
  'dx',
  'dkernel',
  'drecurrent',
  'dbias',
  'dh0',
  'dh',
  'drh',
  'dgate_sum',
] as const;
type BufferName = (typeof BUFFER_NAMES)[number];

function bufferFloats(name: BufferName, d: RecurrentDims, returnSequences: boolean): number {
  const { batch: B, steps: T, inputs: D, units: U } = d;
  const G = 3 * U;
  switch (name) {
    case 'x':
    case 'dx':
      return B * T * D;
    case 'kernel':
    case 'dkernel':
      return D * G;
    case 'recurrent':
    case 'drecurrent':
      return U * G;
    case 'bias':
    case 'dbias':
      return G;
    case 'h0':
    case 'dh0':
    case 'dh':
    case 'drh':
      return B * U;
    case 'y':
    case 'dy':
      return returnSequences ? B * T * U : B * U;
    case 'hs':
      return (T + 1) * B * U;
    case 'gates':
      return T * B * G;
    case 'rh':
      return T * B * U;
    case 'proj0':
    case 'dgate_sum':
      return B * G;
  }
}

const GRU_BUFFERS: CellBuffers<BufferName> = { label: 'fused GRU', names: BUFFER_NAMES, floats: bufferFloats };

/**
 * One GRU layer's buffers in the kernel heap, reused by every call. Backward uses what the last
 * forward saved, so it must follow that forward with no other forward on this workspace in
 * between; `generation` catches violations (e.g. a layer applied twice in one training step).
 */
export class GruWorkspace {
  private readonly block: HeapBlock<BufferName>;

  constructor(private readonly exports: KernelExports) {
    this.block = new HeapBlock(exports, GRU_BUFFERS);
  }

  /** Runs the layer forward; returns its output (a heap view) and the generation for backward. */
  forward(d: RecurrentDims, f: RecurrentFlags, inputs: GruForwardInputs): { y: Float32Array; generation: number } {
    const block = this.block;
    block.prepare(d, flagBits(f, inputs.h0 === undefined));
    block.put('x', inputs.x);
    block.put('kernel', inputs.kernel);
    block.put('recurrent', inputs.recurrent);
    block.put('bias', inputs.bias);
    block.put('h0', inputs.h0);
    this.exports.gru_forward(block.call);
    return { y: block.view('y'), generation: block.forwarded() };
  }

  /** True when the last forward found the same input at every step (a repeated latent). */
  get lastInputRepeated(): boolean {
    return this.block.repeated;
  }

  backward(generation: number, dy: Float32Array): GruGradients {
    const block = this.block;
    block.checkBackward(generation);
    block.put('dy', dy);
    this.exports.gru_backward(block.call);
    return {
      dx: block.view('dx'),
      dkernel: block.view('dkernel'),
      drecurrent: block.view('drecurrent'),
      dbias: block.view('dbias'),
      dh0: block.view('dh0'),
    };
  }
}
