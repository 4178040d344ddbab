// The fused LSTM and GRU kernels on their own: milliseconds and GFLOP/s of one forward and one
// backward call for the encoder and decoder of each bench workload (GRU cells for the GRU
// workload), on random data. With --compare,
// a second kernel binary runs interleaved with the first in the same process, so a change to
// lstm_kernel.c can be judged by a ratio that a busy machine disturbs less than absolute times.
//
// Usage (after `npx tsc -p tsconfig.test.json --outDir out-x`):
//   node out-x/bench/kernelBench.js [--workloads A,B,C,GRU] [--rounds 5] [--kernel a.wasm] [--compare b.wasm]
// (scripts/build-wasm.sh other.wasm builds a variant of the C source to compare against.)

import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { RecurrentDims, RecurrentFlags } from '../src/core/model/fused/kernelWorkspace';
import { findKernelFile, LstmKernel } from '../src/core/model/fused/lstmKernel';
import { positiveInteger } from './options';
import { findWorkload, type Workload } from './workloads';

interface LayerCase {
  name: string;
  cell: 'lstm' | 'gru';
  dims: RecurrentDims;
  returnSequences: boolean;
  /** The decoder is fed the latent repeated over time (RepeatVector). */
  repeated: boolean;
}

function layersOf(w: Workload): LayerCase[] {
  return [
    { name: `${w.name} encoder`, cell: w.cell ?? 'lstm', dims: { batch: w.batch, steps: w.window, inputs: w.features, units: w.hidden }, returnSequences: false, repeated: false },
    {
      name: `${w.name} decoder`,
      cell: w.cell ?? 'lstm',
      dims: { batch: w.batch, steps: w.window, inputs: w.latent ?? w.hidden, units: w.hidden },
      returnSequences: true,
      repeated: true,
    },
  ];
}

/** Multiply-adds x 2 of the matrix products (the element-wise gate work is not counted). */
function flops(c: LayerCase): { forward: number; backward: number } {
  const { batch: B, steps: T, inputs: D, units: U } = c.dims;
  const G = gateColumns(c);
  const recurrent = 2 * T * B * U * G;
  const inputProjection = c.repeated ? 2 * B * D * G : 2 * T * B * D * G;
  // A decoder fed by RepeatVector returns only the input gradient summed over steps.
  const dx = c.repeated ? 2 * B * G * D : 2 * T * B * G * D;
  return { forward: recurrent + inputProjection, backward: 2 * recurrent + inputProjection + dx };
}

function seededValues(n: number, seed: number, scale: number): Float32Array {
  let a = seed >>> 0;
  const out = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    out[k] = ((a / 4294967296) * 2 - 1) * scale;
  }
  return out;
}

/** Gate columns of the weight matrices: 4U for the LSTM (i, f, c, o), 3U for the GRU (z, r, h). */
function gateColumns(c: LayerCase): number {
  return (c.cell === 'gru' ? 3 : 4) * c.dims.units;
}

function inputsFor(c: LayerCase) {
  const { batch: B, steps: T, inputs: D, units: U } = c.dims;
  const G = gateColumns(c);
  let x = seededValues(B * T * D, 1, 1);
  if (c.repeated) {
    const first = seededValues(B * D, 1, 1);
    x = new Float32Array(B * T * D);
    for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) x.set(first.subarray(b * D, (b + 1) * D), (b * T + t) * D);
  }
  return {
    x,
    kernel: seededValues(D * G, 2, Math.sqrt(6 / (D + G))),
    recurrent: seededValues(U * G, 3, Math.sqrt(1 / U)),
    bias: seededValues(G, 4, 0.1),
    dy: seededValues(c.returnSequences ? B * T * U : B * U, 5, 0.01),
  };
}

interface Timing {
  forwardMs: number;
  backwardMs: number;
}

/** What timing needs of a workspace; LstmWorkspace and GruWorkspace both have it. */
interface Workspace {
  forward(d: RecurrentDims, f: RecurrentFlags, inputs: ReturnType<typeof inputsFor>): { generation: number };
  backward(generation: number, dy: Float32Array): unknown;
}

/** One LSTM and one GRU workspace of a kernel, created when first used. */
class Workspaces {
  private lstm: Workspace | undefined;
  private gru: Workspace | undefined;
  constructor(private readonly kernel: LstmKernel) {}
  for(c: LayerCase): Workspace {
    if (c.cell === 'gru') return (this.gru ??= this.kernel.createGruWorkspace());
    return (this.lstm ??= this.kernel.createWorkspace());
  }
}

function timeLayer(ws: Workspace, c: LayerCase, reps: number): Timing {
  const inputs = inputsFor(c);
  const flags = { returnSequences: c.returnSequences, goBackwards: false, hardSigmoid: false, repeatedInput: c.repeated };
  let forwardMs = 0;
  let backwardMs = 0;
  for (let r = 0; r < reps; r++) {
    let t0 = performance.now();
    const { generation } = ws.forward(c.dims, flags, inputs);
    forwardMs += performance.now() - t0;
    t0 = performance.now();
    ws.backward(generation, inputs.dy);
    backwardMs += performance.now() - t0;
  }
  return { forwardMs: forwardMs / reps, backwardMs: backwardMs / reps };
}

async function main(argv: string[]): Promise<void> {
  const get = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const workloads = (get('--workloads') ?? 'A,B,C').split(',').map(findWorkload);
  const rounds = positiveInteger('--rounds', get('--rounds') ?? '5');
  const mainFile = get('--kernel') ?? findKernelFile();
  if (mainFile === undefined) throw new Error('lstm_kernel.wasm not found');
  const files = [mainFile, ...(get('--compare') !== undefined ? [get('--compare') as string] : [])];
  const kernels = await Promise.all(files.map(async (f) => LstmKernel.fromBytes(readFileSync(f))));
  const workspaces = kernels.map((k) => new Workspaces(k));
  const cases = workloads.flatMap(layersOf);
  // Warm up every code path once, then interleave the binaries round by round.
  for (const c of cases) workspaces.forEach((ws) => timeLayer(ws.for(c), c, 1));
  const sums = cases.map(() => workspaces.map(() => ({ forwardMs: 0, backwardMs: 0 })));
  for (let round = 0; round < rounds; round++) {
    cases.forEach((c, i) =>
      workspaces.forEach((ws, k) => {
        const t = timeLayer(ws.for(c), c, 3);
        sums[i][k].forwardMs += t.forwardMs / rounds;
        sums[i][k].backwardMs += t.backwardMs / rounds;
      }),
    );
  }
  const gf = (f: number, ms: number) => (f / ms / 1e6).toFixed(1);
  cases.forEach((c, i) => {
    const f = flops(c);
    const cells = sums[i].map(
      (t, k) =>
        `${k === 0 ? 'kernel' : 'compare'}: fwd ${t.forwardMs.toFixed(2)} ms (${gf(f.forward, t.forwardMs)} GFLOP/s), bwd ${t.backwardMs.toFixed(2)} ms (${gf(f.backward, t.backwardMs)} GFLOP/s)`,
    );
    const ratio =
      sums[i].length > 1
        ? `  compare/kernel fwd ${(sums[i][1].forwardMs / sums[i][0].forwardMs).toFixed(2)} bwd ${(sums[i][1].backwardMs / sums[i][0].backwardMs).toFixed(2)}`
        : '';
    console.log(`${c.name.padEnd(10)} ${cells.join(' | ')}${ratio}`);
  });
  if (files.length > 1) console.log(`kernel: ${files[0]}\ncompare: ${files[1]}`);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
