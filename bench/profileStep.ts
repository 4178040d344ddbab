// Where one fused training step spends its time, per batch: the kernel's forward and backward
// calls, the copies between tfjs tensors and the kernel heap around them, and the tfjs remainder
// (Dense head, loss, Tile and its gradient, Adam, readback). Numbers for BENCHMARKS.md's notes.
//
// Usage (after `npx tsc -p tsconfig.test.json --outDir out-x`):
//   node out-x/bench/profileStep.js [--workloads A,B,C,GRU] [--batches 40]
// Timers only; for a function-level view run the same under `node --cpu-prof`.

import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/core/model/backend';
import { createOptimizer } from '../src/core/train/optimizer';
import { GruWorkspace } from '../src/core/model/fused/gruKernel';
import type { KernelExports } from '../src/core/model/fused/kernelWorkspace';
import { LstmWorkspace } from '../src/core/model/fused/lstmKernel';
import { buildBenchModel } from './model';
import { positiveInteger } from './options';
import { findWorkload, sumOfSines, WORKLOADS, type Workload } from './workloads';

interface Totals {
  step: number;
  forwardCall: number;
  backwardCall: number;
  forwardKernel: number;
  backwardKernel: number;
}

/** The wasm exports a workspace drives; reached through its private field for timing only. */
type KernelExportsForTiming = Omit<KernelExports, 'adam_update'>;

const totals: Totals = { step: 0, forwardCall: 0, backwardCall: 0, forwardKernel: 0, backwardKernel: 0 };

function timed<T>(key: keyof Totals, fn: () => T): T {
  const started = performance.now();
  try {
    return fn();
  } finally {
    totals[key] += performance.now() - started;
  }
}

/** What both workspace classes have: forward and backward, and the exports they call. */
interface TimedWorkspace {
  forward(...args: never[]): unknown;
  backward(...args: never[]): unknown;
}

/** Wraps the workspace methods (copies + kernel) and, once per exports object, the raw kernel calls. */
function instrumentWorkspaces(): void {
  const wrappers = new WeakMap<object, KernelExportsForTiming>();
  const wrappersSet = new WeakSet<object>();
  const wrapExports = (ws: object) => {
    const holder = ws as { exports: KernelExportsForTiming };
    if (wrappersSet.has(holder.exports)) return;
    let wrapper = wrappers.get(holder.exports);
    if (wrapper === undefined) {
      const exports = holder.exports;
      const bound = (name: 'lstm_forward' | 'lstm_backward' | 'gru_forward' | 'gru_backward') => exports[name].bind(exports);
      const [lf, lb, gf, gb] = [bound('lstm_forward'), bound('lstm_backward'), bound('gru_forward'), bound('gru_backward')];
      // The instance's exports object is frozen, so each workspace gets a wrapper around it.
      wrapper = {
        get memory() {
          return exports.memory;
        },
        lstm_alloc: (bytes: number) => exports.lstm_alloc(bytes),
        lstm_forward: (call: number) => timed('forwardKernel', () => lf(call)),
        lstm_backward: (call: number) => timed('backwardKernel', () => lb(call)),
        gru_forward: (call: number) => timed('forwardKernel', () => gf(call)),
        gru_backward: (call: number) => timed('backwardKernel', () => gb(call)),
      };
      wrappers.set(exports, wrapper);
      wrappersSet.add(wrapper);
    }
    holder.exports = wrapper;
  };
  for (const proto of [LstmWorkspace.prototype, GruWorkspace.prototype] as TimedWorkspace[]) {
    const forward = proto.forward;
    const backward = proto.backward;
    proto.forward = function (this: TimedWorkspace, ...args: never[]) {
      wrapExports(this);
      return timed('forwardCall', () => forward.apply(this, args));
    };
    proto.backward = function (this: TimedWorkspace, ...args: never[]) {
      return timed('backwardCall', () => backward.apply(this, args));
    };
  }
}

async function profile(workload: Workload, batches: number): Promise<void> {
  const bench = buildBenchModel(workload);
  const windows = sumOfSines(workload, workload.batch * 4, 1);
  const per = workload.window * workload.features;
  const xs = [0, 1, 2, 3].map((k) =>
    tf.tensor3d(windows.values.subarray(k * workload.batch * per, (k + 1) * workload.batch * per), [workload.batch, workload.window, workload.features]),
  );
  // The trainer's optimizer, so the bench times what users get.
  const optimizer = createOptimizer('adam', 1e-3);
  const step = (x: tf.Tensor3D) => {
    const loss = optimizer.minimize(() => tf.losses.meanSquaredError(x, bench.model.apply(x) as tf.Tensor) as tf.Scalar, true);
    loss?.dataSync();
    loss?.dispose();
  };
  for (let k = 0; k < 5; k++) step(xs[k % xs.length]);
  for (const key of Object.keys(totals) as Array<keyof Totals>) totals[key] = 0;
  for (let k = 0; k < batches; k++) timed('step', () => step(xs[k % xs.length]));

  const ms = (v: number) => (v / batches).toFixed(2);
  const copiesForward = totals.forwardCall - totals.forwardKernel;
  const copiesBackward = totals.backwardCall - totals.backwardKernel;
  const remainder = totals.step - totals.forwardCall - totals.backwardCall;
  console.log(
    `${workload.name}: ${ms(totals.step)} ms per batch = kernel forward ${ms(totals.forwardKernel)} + kernel backward ${ms(totals.backwardKernel)}` +
      ` + heap copies ${ms(copiesForward + copiesBackward)} + tfjs remainder ${ms(remainder)}` +
      ` (remainder incl. dataSync of inputs, tensors from kernel outputs, Dense, loss, Tile, Adam)`,
  );
  bench.model.dispose();
  tf.dispose(xs);
  optimizer.dispose();
}

async function main(argv: string[]): Promise<void> {
  const get = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const workloads = (
    get('--workloads') ??
    WORKLOADS.filter((w) => w.name !== 'ECG')
      .map((w) => w.name)
      .join(',')
  )
    .split(',')
    .map(findWorkload);
  const batches = positiveInteger('--batches', get('--batches') ?? '40');
  const choice = await initBackend('fused');
  if (choice.backend !== 'fused') throw new Error(`fused backend unavailable: ${choice.reason}`);
  instrumentWorkspaces();
  for (const w of workloads) await profile(w, batches);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
