// The benchmark's parts: options, data, the files handed to every trainer, the report, and a
// real (tiny) training run through `node dist/bench.js --child` on each TSAE backend and, when
// Debian's torch is installed, through bench/pytorch_reference.py from the same weights.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { buildBenchModel, exportWeights, importWeights } from '../../bench/model';
import { parseOptions } from '../../bench/options';
import { readPrepared, writePrepared } from '../../bench/prepared';
import { latestJson, MARKER_END, MARKER_START, updateBenchmarksMd } from '../../bench/report';
import { combineRounds, median, roundRatioNotes } from '../../bench/rounds';
import { RESULT_PREFIX, type TrainOutcome } from '../../bench/trainChild';
import { ecgClassOne, sumOfSines, WORKLOADS, type Workload } from '../../bench/workloads';

const ROOT = process.cwd();
const TINY: Workload = { name: 'tiny', description: 'test', window: 12, features: 2, hidden: 8, latent: 4, batch: 8 };

describe('bench options', () => {
  test('defaults: every workload, fused/tensorflow/wasm/cpu, 4 epochs; --quick uses 2', () => {
    const o = parseOptions([]);
    assert.deepEqual(
      o.workloads.map((w) => w.name),
      ['A', 'B', 'C', 'ECG', 'GRU'],
    );
    assert.equal(o.workloads[4].cell, 'gru');
    assert.deepEqual(o.backends, ['fused', 'tensorflow', 'wasm', 'cpu']);
    assert.equal(o.epochs, 4);
    assert.equal(o.rounds, 3);
    assert.equal(parseOptions(['--quick']).epochs, 2);
    assert.equal(parseOptions(['--quick']).rounds, 1);
    assert.equal(parseOptions(['--rounds', '5']).rounds, 5);
  });
  test('lists are parsed, names case-insensitively', () => {
    const o = parseOptions(['--workloads', 'a,ecg', '--backends', 'fused,wasm-stock', '--no-pytorch']);
    assert.deepEqual(
      o.workloads.map((w) => w.name),
      ['A', 'ECG'],
    );
    assert.deepEqual(o.backends, ['fused', 'wasm-stock']);
    assert.equal(o.pytorch, false);
  });
  test('bad options name the option and the value', () => {
    assert.throws(() => parseOptions(['--workloads', 'Z']), /unknown workload "Z"; known: A, B, C, ECG, GRU/);
    assert.throws(() => parseOptions(['--backends', 'gpu']), /unknown backend "gpu"/);
    assert.throws(() => parseOptions(['--epochs', '0']), /--epochs needs a positive integer, got "0"/);
    assert.throws(() => parseOptions(['--epochs']), /option --epochs needs a value/);
    assert.throws(() => parseOptions(['--fast']), /unknown option --fast/);
  });
});

describe('bench data', () => {
  test('sum-of-sines windows are seeded, standardised and overlapping', () => {
    const a = sumOfSines(WORKLOADS[0], 64, 7);
    const b = sumOfSines(WORKLOADS[0], 64, 7);
    const c = sumOfSines(WORKLOADS[0], 64, 8);
    assert.deepEqual(a.values, b.values);
    assert.notDeepEqual(a.values, c.values);
    assert.equal(a.values.length, 64 * 206);
    const mean = a.values.reduce((s, v) => s + v, 0) / a.values.length;
    const variance = a.values.reduce((s, v) => s + (v - mean) ** 2, 0) / a.values.length;
    assert.ok(Math.abs(mean) < 1e-4 && Math.abs(variance - 1) < 1e-3, `mean ${mean}, variance ${variance}`);
    // Window 1 starts a quarter window (51 steps) later on the same signal: up to the noise, its start is window 0's step 51.
    let diff = 0;
    for (let t = 0; t < 100; t++) diff += Math.abs(a.values[206 + t] - a.values[51 + t]);
    assert.ok(diff / 100 < 0.3, `mean difference ${diff / 100}`);
  });
  test('ECG5000 class 1 rows: 140 values each', () => {
    const ecg = ecgClassOne(join(ROOT, 'examples', 'data', 'ECG5000_TRAIN.txt'));
    assert.ok(ecg.count > 100 && ecg.count < 500, `count ${ecg.count}`);
    assert.equal(ecg.values.length, ecg.count * 140);
  });
  test('a malformed ECG line is named by file and line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsae-bench-test-'));
    try {
      const file = join(dir, 'bad.txt');
      const good = ['1', ...Array(140).fill('0.5')].join(' ');
      writeFileSync(file, `${good}\n1 0.5 abc\n`);
      assert.throws(() => ecgClassOne(file), new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: expected a class label and 140 numbers, got 3 fields`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('bench report', () => {
  const outcome = (backend: TrainOutcome['backend'], secondsPerEpoch: number): TrainOutcome => ({
    workload: 'A',
    backend,
    secondsPerEpoch,
    peakRssMb: 100,
    secondsToTargetMse: null,
    measuredAs: 'mean of epochs 2-4',
  });
  test('latest.json has exactly the agreed fields and ratios to PyTorch', () => {
    const json = latestJson([outcome('fused', 1), { workload: 'A', backend: 'tensorflow', unavailable: 'tfjs-node not installed', peakRssMb: 0 }], [outcome('pytorch', 4)]);
    assert.deepEqual(json, {
      runs: [{ workload: 'A', backend: 'fused', secondsPerEpoch: 1, ratioToPytorch: 0.25, peakRssMb: 100, secondsToTargetMse: null }],
      pytorch: [{ workload: 'A', secondsPerEpoch: 4, peakRssMb: 100, secondsToTargetMse: null }],
    });
    assert.equal(latestJson([outcome('wasm', 2)], []).runs[0].ratioToPytorch, null);
  });
  test('BENCHMARKS.md keeps the text outside the markers', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsae-bench-test-'));
    try {
      const file = join(dir, 'BENCHMARKS.md');
      updateBenchmarksMd(file, `${MARKER_START}\nfirst\n${MARKER_END}`, '# Title\n');
      writeFileSync(file, readFileSync(file, 'utf8') + '\nnotes kept\n');
      updateBenchmarksMd(file, `${MARKER_START}\nsecond\n${MARKER_END}`, '# Title\n');
      const text = readFileSync(file, 'utf8');
      assert.match(text, /^# Title\n/);
      assert.match(text, /second/);
      assert.doesNotMatch(text, /first/);
      assert.match(text, /notes kept/);
      assert.equal(text.split(MARKER_START).length, 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('bench rounds', () => {
  const round = (backend: TrainOutcome['backend'], secondsPerEpoch: number, peakRssMb: number, secondsToTargetMse: number | null): TrainOutcome => ({
    workload: 'B',
    backend,
    secondsPerEpoch,
    peakRssMb,
    secondsToTargetMse,
    measuredAs: 'mean of epochs 2-4',
  });
  test('median of odd and even counts', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.throws(() => median([]), /median of no values/);
  });
  test('rounds combine to median speed, highest RSS, and say so', () => {
    const combined = combineRounds([round('fused', 0.2, 120, 1.5), round('fused', 0.3, 130, null), round('fused', 0.1, 110, 1.0)]);
    assert.equal(combined.secondsPerEpoch, 0.2);
    assert.deepEqual(combined.roundSecondsPerEpoch, [0.2, 0.3, 0.1]);
    assert.equal(combined.peakRssMb, 130);
    // A round that missed the target counts as the slowest: median of 1.0, 1.5, never.
    assert.equal(combined.secondsToTargetMse, 1.5);
    assert.equal(combined.measuredAs, 'mean of epochs 2-4, median of 3 rounds');
    assert.equal(combineRounds([round('fused', 1, 1, null), round('fused', 1, 1, null)]).secondsToTargetMse, null);
    const single = round('fused', 0.5, 100, null);
    assert.equal(combineRounds([single]), single);
  });
  test('an unavailable round makes the runner unavailable', () => {
    const down: TrainOutcome = { workload: 'B', backend: 'fused', unavailable: 'crashed', peakRssMb: 0 };
    assert.equal(combineRounds([round('fused', 0.2, 1, null), down]).unavailable, 'crashed');
  });
  test('per-round ratios pair round k with round k', () => {
    const fused = combineRounds([round('fused', 0.2, 1, null), round('fused', 0.3, 1, null)]);
    const torch = combineRounds([round('pytorch', 0.25, 1, null), round('pytorch', 0.2, 1, null)]);
    assert.deepEqual(roundRatioNotes([fused], [torch]), ["B fused: per-round ratio to PyTorch 0.80x, 1.50x (range 0.80-1.50x; the table's ratio is of the medians)"]);
    assert.deepEqual(roundRatioNotes([round('wasm', 1, 1, null)], [torch]), []);
  });
});

describe('bench trainers on a tiny workload', () => {
  let dir: string;
  before(async () => {
    tf.enableProdMode();
    await tf.setBackend('cpu');
    dir = mkdtempSync(join(tmpdir(), 'tsae-bench-test-'));
    const bench = buildBenchModel(TINY);
    writePrepared(dir, TINY, sumOfSines(TINY, 32, 3), exportWeights(bench));
    bench.model.dispose();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('the prepared files round-trip the weights exactly', () => {
    const prepared = readPrepared(dir);
    const bench = buildBenchModel(TINY);
    importWeights(bench, prepared.weights);
    const again = exportWeights(bench);
    assert.deepEqual(
      again.map((w) => w.role),
      [
        'encoder.kernel',
        'encoder.recurrentKernel',
        'encoder.bias',
        'latent.kernel',
        'latent.bias',
        'decoder.kernel',
        'decoder.recurrentKernel',
        'decoder.bias',
        'output.kernel',
        'output.bias',
      ],
    );
    again.forEach((w, i) => assert.deepEqual(w.values, prepared.weights[i].values));
    // The forget-gate bias starts at 1 (Keras's unit_forget_bias), the others at 0.
    const bias = again.find((w) => w.role === 'encoder.bias')!.values;
    assert.deepEqual([...bias.slice(0, 8)], Array(8).fill(0));
    assert.deepEqual([...bias.slice(8, 16)], Array(8).fill(1));
    bench.model.dispose();
  });

  function child(command: string, args: string[]): TrainOutcome {
    const run = spawnSync(command, args, { encoding: 'utf8', timeout: 120_000 });
    const line = run.stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
    assert.ok(line, `no result from ${command} ${args.join(' ')}: ${run.stderr}`);
    return JSON.parse(line.slice(RESULT_PREFIX.length)) as TrainOutcome;
  }
  const bundle = join(ROOT, 'dist', 'bench.js');
  const tsae = (backend: string, extra: string[]) => child(process.execPath, [bundle, '--child', '--dir', dir, '--backend', backend, '--target-mse', '0.9', ...extra]);

  let fused: TrainOutcome;
  test('fused, wasm and cpu train the same model from the same weights', () => {
    assert.ok(existsSync(bundle), `${bundle} is missing: run \`node esbuild.mjs\` first`);
    fused = tsae('fused', ['--epochs', '3']);
    const wasm = tsae('wasm', ['--epochs', '2']);
    const cpu = tsae('cpu', ['--batches', '2']);
    assert.equal(fused.unavailable, undefined, fused.unavailable);
    assert.equal(fused.fusedLayers, 2, 'both LSTMs should run on the fused kernel');
    assert.equal(wasm.fusedLayers, 0);
    assert.equal(fused.epochSeconds?.length, 3);
    assert.match(fused.measuredAs ?? '', /mean of epochs 2-3/);
    assert.match(cpu.measuredAs ?? '', /extrapolated from batches 2-3 of 4/);
    assert.equal(cpu.secondsToTargetMse, undefined);
    for (const r of [fused, wasm, cpu]) {
      assert.ok(r.secondsPerEpoch! > 0 && r.peakRssMb > 20, `${r.backend}: ${r.secondsPerEpoch} s, ${r.peakRssMb} MB`);
      // Same weights, same batches, same optimizer: the first three batch losses agree.
      r.firstBatchLosses!.slice(0, 3).forEach((loss, i) => {
        const reference = fused.firstBatchLosses![i];
        assert.ok(Math.abs(loss - reference) <= 1e-4 * reference, `${r.backend} batch ${i + 1}: ${loss} vs fused ${reference}`);
      });
    }
    assert.ok(fused.epochLosses![2] < fused.epochLosses![0], `loss did not fall: ${fused.epochLosses}`);
  });

  test('an unavailable backend is reported, not crashed on', () => {
    const r = tsae('tensorflow', ['--epochs', '1']);
    assert.equal(r.unavailable, 'tfjs-node not installed');
    assert.equal(r.secondsPerEpoch, undefined);
  });

  const torch = spawnSync('/usr/bin/python3', ['-c', 'import torch, numpy'], { encoding: 'utf8' });
  const torchMissing = torch.status === 0 ? false : 'Debian python3-torch is not installed (/usr/bin/python3 cannot import torch)';
  test("PyTorch loads the same initial weights: its losses match the fused layer's", { skip: torchMissing }, () => {
    assert.ok(fused, 'the fused run above must have run first');
    const p = child('/usr/bin/python3', [join(ROOT, 'bench', 'pytorch_reference.py'), '--dir', dir, '--epochs', '3', '--target-mse', '0.9']);
    assert.equal(p.backend, 'pytorch');
    // Identical weights give identical first losses. One Adam step later they still agree to
    // ~1e-5; over epochs, summation order and Adam's epsilon placement let them drift (~5e-4 measured).
    const [first, second] = p.firstBatchLosses!;
    assert.ok(Math.abs(first - fused.firstBatchLosses![0]) <= 1e-5 * first, `batch 1: PyTorch ${first} vs fused ${fused.firstBatchLosses![0]}`);
    assert.ok(Math.abs(second - fused.firstBatchLosses![1]) <= 1e-4 * second, `batch 2: PyTorch ${second} vs fused ${fused.firstBatchLosses![1]}`);
    p.epochLosses!.forEach((loss, i) => {
      const reference = fused.epochLosses![i];
      assert.ok(Math.abs(loss - reference) <= 5e-3 * reference, `epoch ${i + 1}: PyTorch ${loss} vs fused ${reference}`);
    });
  });
});

describe('bench GRU workload', () => {
  const TINY_GRU: Workload = { name: 'tiny-gru', description: 'test', window: 6, features: 2, hidden: 8, latent: 4, batch: 8, cell: 'gru' };
  // One step per window: from a zero state, tfjs's reset-before GRU and PyTorch's reset-after
  // nn.GRU (with b_hn = 0) compute the same function, so PyTorch's first loss checks the gate
  // reordering of the weight transfer exactly. Longer windows differ by design (a speed
  // reference). (The stock tfjs layers cannot take one step: their gradient stacks a single
  // step and throws, so only the fused run is compared here.)
  const ONE_STEP_GRU: Workload = { ...TINY_GRU, name: 'one-step-gru', window: 1 };
  let root: string;
  const dirOf = (w: Workload) => join(root, w.name);
  before(async () => {
    tf.enableProdMode();
    await tf.setBackend('cpu');
    root = mkdtempSync(join(tmpdir(), 'tsae-bench-test-'));
    for (const w of [TINY_GRU, ONE_STEP_GRU]) {
      const bench = buildBenchModel(w);
      writePrepared(dirOf(w), w, sumOfSines(w, 32, 3), exportWeights(bench));
      assert.equal(bench.model.layers.find((l) => l.name === 'decoder')?.getClassName(), 'GRU');
      bench.model.dispose();
    }
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  function child(command: string, args: string[]): TrainOutcome {
    const run = spawnSync(command, args, { encoding: 'utf8', timeout: 120_000 });
    const line = run.stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
    assert.ok(line, `no result from ${command} ${args.join(' ')}: ${run.stderr}`);
    return JSON.parse(line.slice(RESULT_PREFIX.length)) as TrainOutcome;
  }
  const bundle = join(ROOT, 'dist', 'bench.js');
  const tsae = (w: Workload, backend: string) => child(process.execPath, [bundle, '--child', '--dir', dirOf(w), '--backend', backend, '--target-mse', '0.9', '--epochs', '2']);

  test('fused and wasm train the same GRU model, the fused one on the kernel', () => {
    assert.ok(existsSync(bundle), `${bundle} is missing: run \`node esbuild.mjs\` first`);
    const fused = tsae(TINY_GRU, 'fused');
    const wasm = tsae(TINY_GRU, 'wasm');
    assert.equal(fused.unavailable, undefined, fused.unavailable);
    assert.equal(fused.fusedLayers, 2, 'both GRUs should run on the fused kernel');
    assert.deepEqual(fused.fallbacks, []);
    assert.equal(wasm.fusedLayers, 0);
    wasm.firstBatchLosses!.slice(0, 3).forEach((loss, i) => {
      const reference = fused.firstBatchLosses![i];
      assert.ok(Math.abs(loss - reference) <= 1e-4 * reference, `wasm batch ${i + 1}: ${loss} vs fused ${reference}`);
    });
  });

  const torch = spawnSync('/usr/bin/python3', ['-c', 'import torch, numpy'], { encoding: 'utf8' });
  const torchMissing = torch.status === 0 ? false : 'Debian python3-torch is not installed (/usr/bin/python3 cannot import torch)';
  test("PyTorch's nn.GRU gets the same initial weights in its gate order", { skip: torchMissing }, () => {
    const fused = tsae(ONE_STEP_GRU, 'fused');
    const p = child('/usr/bin/python3', [join(ROOT, 'bench', 'pytorch_reference.py'), '--dir', dirOf(ONE_STEP_GRU), '--epochs', '2', '--target-mse', '0.9']);
    assert.match(p.measuredAs ?? '', /reset-after/);
    const first = p.firstBatchLosses![0];
    assert.ok(Math.abs(first - fused.firstBatchLosses![0]) <= 1e-5 * first, `batch 1: PyTorch ${first} vs fused ${fused.firstBatchLosses![0]}`);
  });
});
