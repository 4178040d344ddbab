// Drives the fused GRU (gru_kernel.c, in the same module as the LSTM: LstmKernel loads it and
// creates these workspaces) on plain Float32Arrays. Weight layout and gates are tf.layers.gru's:
// kernel [D, 3U], recurrentKernel [U, 3U], bias [3U], gates z, r, h, reset applied before the
// candidate's recurrent product (tfjs's only GRU).

import { CellWorkspace, LAYER_GRADIENT_BUFFERS, LAYER_INPUT_BUFFERS, type CellForwardInputs, type CellGradients, type CellSpec, type KernelExports } from './kernelWorkspace';

/** x [B, T, D], kernel [D, 3U], recurrent [U, 3U], bias [3U]; initial state h0 [B, U], zeros when absent. */
export type GruForwardInputs = CellForwardInputs<'h0'>;

/** Views into the kernel's heap (see CellGradients); dh0 is zeros without an initial state. */
export type GruGradients = CellGradients<'dh0'>;

// Mirrors `GruCall` in gru_kernel.c: its buffer pointers in field order, each with the shape its size follows.
const GRU_BUFFERS = {
  ...LAYER_INPUT_BUFFERS,
  y: 'output',
  hs: 'stateSteps',
  gates: 'gateSteps',
  rh: 'unitSteps',
  proj0: 'batchGates',
  ...LAYER_GRADIENT_BUFFERS,
  dh: 'state',
  drh: 'state',
  dgate_sum: 'batchGates',
} as const;
type BufferName = keyof typeof GRU_BUFFERS;

const GRU_CELL: CellSpec<BufferName, 'h0', 'dh0'> = {
  gates: 3,
  label: 'fused GRU',
  buffers: GRU_BUFFERS,
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
