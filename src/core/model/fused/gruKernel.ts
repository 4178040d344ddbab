// Drives the fused GRU (gru_kernel.c, in the same module as the LSTM: LstmKernel loads it and
// creates these workspaces) on plain Float32Arrays. Weight layout and gates are tf.layers.gru's:
// kernel [D, 3U], recurrentKernel [U, 3U], bias [3U], gates z, r, h, reset applied before the
// candidate's recurrent product (tfjs's only GRU).

import { CellWorkspace, type CellForwardInputs, type CellGradients, type CellSpec, type KernelExports, type RecurrentDims } from './kernelWorkspace';

/** x [B, T, D], kernel [D, 3U], recurrent [U, 3U], bias [3U]; initial state h0 [B, U], zeros when absent. */
export type GruForwardInputs = CellForwardInputs<'h0'>;

/** Views into the kernel's heap (see CellGradients); dh0 is zeros without an initial state. */
export type GruGradients = CellGradients<'dh0'>;

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

const GRU_CELL: CellSpec<BufferName, 'h0', 'dh0'> = {
  gates: 3,
  buffers: { label: 'fused GRU', names: BUFFER_NAMES, floats: bufferFloats },
  states: ['h0'],
  stateGradients: ['dh0'],
  forward: 'gru_forward',
  backward: 'gru_backward',
};

/** One fused GRU layer's workspace (the shared marshalling: CellWorkspace). */
export class GruWorkspace extends CellWorkspace<BufferName, 'h0', 'dh0'> {
  constructor(exports: KernelExports) {
    super(exports, GRU_CELL);
  }
}
