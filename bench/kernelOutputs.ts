// Compares two builds of the fused kernels bit for bit: both run forward and backward on the same
// random inputs for both cells, every combination of the call flags (returnSequences,
// goBackwards, hardSigmoid, a repeated input, an initial state) and a spread of shapes (units
// below, at and above the 4 SIMD lanes and ragged, steps from 1 to 140, rows crossing the
// kernel's 128-row chunk), and every output buffer (y and each gradient) must have the same
// bytes. For changes to the C that must not change results (a refactor, a compiler flag): the
// rebuilt binary may differ in bytes while computing the same floats.
//
// Usage (after `npx tsc -p tsconfig.test.json --outDir out-x`):
//   node out-x/bench/kernelOutputs.js other.wasm [--kernel a.wasm]
// (scripts/build-wasm.sh other.wasm builds the C source as it is now; the default --kernel is
// the committed src/core/model/fused/lstm_kernel.wasm.) Exits 1 when any buffer differs.

import { readFileSync } from 'node:fs';
import type { CellForwardInputs, RecurrentDims, RecurrentFlags } from '../src/core/model/fused/kernelWorkspace';
import { findKernelFile, LstmKernel } from '../src/core/model/fused/lstmKernel';

/** What the comparison drives of a workspace (LstmWorkspace and GruWorkspace have it). */
export interface ComparedWorkspace {
  forward(d: RecurrentDims, f: RecurrentFlags, inputs: CellForwardInputs<'h0' | 'c0'>): { y: Float32Array; generation: number };
  backward(generation: number, dy: Float32Array): Record<string, Float32Array>;
}

export interface ComparedKernel {
  createWorkspace(): ComparedWorkspace;
  createGruWorkspace(): ComparedWorkspace;
}

/** [batch, steps, inputs, units]. */
export const DEFAULT_SHAPES: ReadonlyArray<readonly [number, number, number, number]> = [
  [1, 1, 1, 1],
  [3, 7, 5, 6],
  [2, 9, 1, 5],
  [5, 4, 3, 8],
  [4, 6, 2, 3],
  [2, 2, 4, 4],
  [3, 5, 3, 9],
  [6, 16, 3, 12],
  [5, 30, 2, 7],
  [8, 40, 3, 13],
  [2, 140, 1, 32],
];

export interface OutputComparison {
  configurations: number;
  /** Output floats compared per binary. */
  floats: number;
  /** One line per differing buffer: the configuration and the buffer's name. */
  differing: string[];
}

/** A deterministic generator, so both binaries and every rerun see the same inputs. */
function values(n: number, scale: number, state: { seed: number }): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    state.seed = (state.seed * 1103515245 + 12345) % 2147483648;
    out[i] = ((state.seed / 2147483648) * 2 - 1) * scale;
  }
  return out;
}

function sameBytes(a: Float32Array, b: Float32Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

export function compareKernelOutputs(a: ComparedKernel, b: ComparedKernel, shapes: ReadonlyArray<readonly [number, number, number, number]> = DEFAULT_SHAPES): OutputComparison {
  const workspaces = [a, b].map((k) => ({ lstm: k.createWorkspace(), gru: k.createGruWorkspace() }));
  const result: OutputComparison = { configurations: 0, floats: 0, differing: [] };
  const rng = { seed: 12345 };
  const booleans = [false, true];
  for (const cell of ['lstm', 'gru'] as const) {
    const gates = cell === 'lstm' ? 4 : 3;
    const states = cell === 'lstm' ? (['h0', 'c0'] as const) : (['h0'] as const);
    for (const [B, T, D, U] of shapes)
      for (const returnSequences of booleans)
        for (const goBackwards of booleans)
          for (const hardSigmoid of booleans)
            for (const repeatedInput of booleans)
              for (const initialState of booleans) {
                const G = gates * U;
                const x = values(B * T * D, 1, rng);
                // A repeated input: every step of a row is that row's first step.
                if (repeatedInput) for (let i = 0; i < B; i++) for (let t = 1; t < T; t++) x.set(x.subarray(i * T * D, i * T * D + D), (i * T + t) * D);
                const inputs: CellForwardInputs<'h0' | 'c0'> = { x, kernel: values(D * G, 0.5, rng), recurrent: values(U * G, 0.5, rng), bias: values(G, 0.3, rng) };
                if (initialState) for (const name of states) inputs[name] = values(B * U, 0.5, rng);
                const dy = values(returnSequences ? B * T * U : B * U, 1, rng);
                const dims = { batch: B, steps: T, inputs: D, units: U };
                const flags = { returnSequences, goBackwards, hardSigmoid, repeatedInput };
                // Copies: the views are only valid until the next kernel call.
                const outputs = workspaces.map((w) => {
                  const forward = w[cell].forward(dims, flags, inputs);
                  const y = forward.y.slice();
                  const grads = w[cell].backward(forward.generation, dy);
                  return new Map([['y', y], ...Object.keys(grads).map((name): [string, Float32Array] => [name, grads[name].slice()])]);
                });
                result.configurations++;
                const label = `${cell} B${B} T${T} D${D} U${U} ${JSON.stringify({ ...flags, initialState })}`;
                for (const [name, values0] of outputs[0]) {
                  result.floats += values0.length;
                  const values1 = outputs[1].get(name);
                  if (values1 === undefined || !sameBytes(values0, values1)) result.differing.push(`${label}: ${name}`);
                }
              }
  }
  return result;
}

async function main(argv: string[]): Promise<number> {
  const other = argv.find((arg, i) => !arg.startsWith('--') && argv[i - 1] !== '--kernel');
  const i = argv.indexOf('--kernel');
  const mainFile = i >= 0 ? argv[i + 1] : findKernelFile();
  if (other === undefined || mainFile === undefined) {
    process.stderr.write('usage: kernelOutputs other.wasm [--kernel a.wasm] (lstm_kernel.wasm not found or no binary to compare)\n');
    return 2;
  }
  const [a, b] = await Promise.all([mainFile, other].map(async (f) => LstmKernel.fromBytes(readFileSync(f))));
  const r = compareKernelOutputs(a, b);
  process.stdout.write(`${mainFile} vs ${other}: ${r.configurations} configurations, ${r.floats} output floats each, ${r.differing.length} buffers differ\n`);
  for (const line of r.differing.slice(0, 20)) process.stdout.write(`  ${line}\n`);
  return r.differing.length === 0 ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(2);
    },
  );
}
