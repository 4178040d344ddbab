// `npm run bench`: TSAE training speed against a PyTorch CPU reference, in one run.
//
// The parent writes each workload's windows and initial weights to a temporary folder, then
// trains every runner on them in a process of its own (so each peak RSS is that runner's):
// `node dist/bench.js --child ...` per TSAE backend and /usr/bin/python3
// bench/pytorch_reference.py for PyTorch. It prints a table with ratios to PyTorch, writes
// bench/results/latest.json and the results section of BENCHMARKS.md, and measures lint latency.
// Speed is reported, never judged: the exit code is 0 whatever the figures.
//
// Options: --quick (short runs; writes bench/results/quick.json only), --workloads A,B,C,ECG,GRU,
// --backends fused,tensorflow,wasm,cpu (also wasm-stock: wasm with tfjs's own BatchMatMul),
// --epochs N, --rounds N (interleaved PyTorch/fused rounds, default 3; 1 with --quick),
// --target-mse X, --no-pytorch, --no-lint. `--scoring` runs only the scoring row (bench/scoring.ts).

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/core/model/backend';
import { benchDataLoad, formatDataLoad } from './data-load';
import { benchLintLatency, formatLintLatency } from './lint-latency';
import { benchPythonLintLatency } from './python-lint-latency';
import { benchScoring, formatScoring, scoringOnly } from './scoring';
import { repoRoot } from './lspStdioClient';
import { buildBenchModel, exportWeights } from './model';
import { writePrepared } from './prepared';
import { consoleTable, latestJson, resultsSection, updateBenchmarksMd, writeAtomically, type BenchContext } from './report';
import { RESULT_PREFIX, runTrainChild, type BenchBackend, type Measurement, type TrainOutcome } from './trainChild';
import { combineRounds, roundRatioNotes } from './rounds';
import { parseBackend, parseOptions, positiveInteger, positiveNumber, type Options } from './options';
import { windowsFor, WORKLOADS, type Workload } from './workloads';

const PYTHON = '/usr/bin/python3';
/**
 * How each backend is timed. The pure-JS cpu backend is 40-100x slower than PyTorch, so it
 * trains a few batches and is extrapolated (labelled so in every output); plain wasm gets at
 * most three full epochs, a few batches in --quick.
 */
function measurementFor(backend: BenchBackend, options: Options): Measurement {
  if (backend === 'cpu') return { kind: 'batches', batches: options.quick ? 2 : 3 };
  if (backend === 'wasm' || backend === 'wasm-stock') {
    // 9-16x slower than PyTorch: three epochs (two timed) keep the full run within ~15 minutes.
    return options.quick ? { kind: 'batches', batches: 3 } : { kind: 'epochs', epochs: Math.min(3, options.epochs) };
  }
  return { kind: 'epochs', epochs: options.epochs };
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === '--child') return childMain(argv.slice(1));
  if (argv[0] === '--scoring') return scoringOnly(repoRoot());
  const options = parseOptions(argv);
  const root = repoRoot();
  const work = mkdtempSync(join(tmpdir(), 'tsae-bench-'));
  const loadAtStart = loadavg()[0];
  const notes: string[] = [];
  try {
    const torch = options.pytorch ? pytorchStatus() : { ok: false, reason: 'skipped (--no-pytorch)' };
    if (!torch.ok) notes.push(`PyTorch reference not run: ${torch.reason}`);
    console.log(
      `TSAE bench: ${options.quick ? 'quick' : 'full'} run, workloads ${options.workloads.map((w) => w.name).join(', ')}, backends ${options.backends.join(', ')}; load ${loadAtStart.toFixed(1)} on ${cpus().length} cores`,
    );

    // Initial weights come from one tfjs build (plain wasm, no fused override) and are loaded by every runner.
    await initBackend('wasm');
    const runs: TrainOutcome[] = [];
    const pytorch: TrainOutcome[] = [];
    for (const workload of options.workloads) {
      const dir = join(work, workload.name);
      const bench = buildBenchModel(workload);
      writePrepared(dir, workload, windowsFor(workload, root), exportWeights(bench));
      bench.model.dispose();
      console.log(`\nworkload ${workload.name}: ${workload.description}`);
      // PyTorch and fused alternate round by round; the slower backends run once.
      const torchRounds: TrainOutcome[] = [];
      const fusedRounds: TrainOutcome[] = [];
      const withFused = options.backends.includes('fused');
      for (let round = 0; round < options.rounds; round++) {
        if (torch.ok) torchRounds.push(await runPytorch(root, dir, workload, options));
        if (withFused) fusedRounds.push(await runTsaeChild(dir, workload, 'fused', options));
      }
      if (torch.ok) pytorch.push(combineRounds(torchRounds));
      for (const backend of options.backends) runs.push(backend === 'fused' ? combineRounds(fusedRounds) : await runTsaeChild(dir, workload, backend, options));
    }

    for (const r of [...pytorch, ...runs]) {
      if (r.unavailable !== undefined) notes.push(`${r.workload} ${r.backend}: not run: ${r.unavailable}`);
      for (const f of r.fallbacks ?? []) notes.push(`${r.workload} ${r.backend}: fell back to tfjs for ${f}`);
    }
    notes.push(...roundRatioNotes(runs, pytorch));
    notes.push(...lossAgreement(runs, pytorch));

    try {
      notes.push(formatDataLoad(await benchDataLoad(root)));
    } catch (err) {
      notes.push(`data load not measured: ${(err as Error).message}`);
    }
    try {
      notes.push(formatScoring(benchScoring(root)));
    } catch (err) {
      notes.push(`scoring not measured: ${(err as Error).message}`);
    }
    if (options.lint) {
      try {
        const lint = await benchLintLatency();
        notes.push(formatLintLatency(lint));
      } catch (err) {
        notes.push(`lint latency not measured: ${(err as Error).message}`);
      }
      try {
        notes.push(`Python ${formatLintLatency(await benchPythonLintLatency())}`);
      } catch (err) {
        notes.push(`Python lint latency not measured: ${(err as Error).message}`);
      }
    }

    console.log(`\n${consoleTable(runs, pytorch, options.targetMse)}\n`);
    for (const n of notes) console.log(`- ${n}`);

    const json = `${JSON.stringify(latestJson(runs, pytorch), null, 2)}\n`;
    if (options.quick) {
      writeAtomically(join(root, 'bench', 'results', 'quick.json'), json);
      console.log('\n--quick: wrote bench/results/quick.json; latest.json and BENCHMARKS.md are left as they were');
    } else {
      writeAtomically(join(root, 'bench', 'results', 'latest.json'), json);
      const ctx: BenchContext = {
        date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        machine: machineLine(loadAtStart),
        versions: versionsLine(root, torch.ok),
        targetMse: options.targetMse,
        mode: `${options.epochs} epochs per runner; PyTorch and fused: median of ${options.rounds} interleaved rounds; wasm at most 3 epochs; cpu extrapolated from a few batches`,
        workloads: options.workloads,
        notes,
      };
      updateBenchmarksMd(join(root, 'BENCHMARKS.md'), resultsSection(runs, pytorch, ctx), BENCHMARKS_PREAMBLE);
      console.log('\nwrote bench/results/latest.json and BENCHMARKS.md');
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function childMain(argv: string[]): Promise<void> {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const dir = get('--dir');
  const backend = get('--backend');
  const target = get('--target-mse');
  if (dir === undefined || backend === undefined || target === undefined) throw new Error('child needs --dir, --backend and --target-mse');
  const batches = get('--batches');
  const measurement: Measurement =
    batches !== undefined ? { kind: 'batches', batches: positiveInteger('--batches', batches) } : { kind: 'epochs', epochs: positiveInteger('--epochs', get('--epochs') ?? '') };
  const outcome = await runTrainChild(dir, parseBackend(backend), measurement, positiveNumber('--target-mse', target));
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(outcome)}\n`);
}

function runTsaeChild(dir: string, workload: Workload, backend: BenchBackend, options: Options): Promise<TrainOutcome> {
  const m = measurementFor(backend, options);
  const args = [process.argv[1], '--child', '--dir', dir, '--backend', backend, '--target-mse', String(options.targetMse)];
  args.push(...(m.kind === 'epochs' ? ['--epochs', String(m.epochs)] : ['--batches', String(m.batches)]));
  return runChild(process.execPath, args, workload, backend);
}

function runPytorch(root: string, dir: string, workload: Workload, options: Options): Promise<TrainOutcome> {
  const script = join(root, 'bench', 'pytorch_reference.py');
  return runChild(PYTHON, [script, '--dir', dir, '--epochs', String(options.epochs), '--target-mse', String(options.targetMse)], workload, 'pytorch');
}

/** Runs a trainer, passing its progress through, and reads its result line; a crash becomes an "unavailable" outcome. */
function runChild(command: string, args: string[], workload: Workload, backend: TrainOutcome['backend']): Promise<TrainOutcome> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      process.stderr.write(chunk);
    });
    const failed = (why: string): TrainOutcome => ({ workload: workload.name, backend, unavailable: why, peakRssMb: 0 });
    child.on('error', (err) => resolve(failed(`could not start ${command}: ${err.message}`)));
    child.on('close', (code) => {
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (line !== undefined) return resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as TrainOutcome);
      const tail = stderr.trim().split('\n').slice(-3).join(' / ');
      resolve(failed(`trainer exited with code ${code} without a result${tail ? `: ${tail}` : ''}`));
    });
  });
}

function pytorchStatus(): { ok: boolean; reason: string } {
  const probe = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8' });
  if (probe.error) return { ok: false, reason: `${PYTHON} not found` };
  if (probe.status !== 0) return { ok: false, reason: `${PYTHON} cannot import torch and numpy (apt-get install python3-torch)` };
  return { ok: true, reason: '' };
}

/**
 * Both frameworks start from the same weights and see the same batches, so their first losses
 * should agree closely (PyTorch's second bias vector is zero, not absent, so they can differ in
 * the last digits). Said in the notes so a broken weight transfer is visible.
 */
function lossAgreement(runs: TrainOutcome[], pytorch: TrainOutcome[]): string[] {
  const notes: string[] = [];
  for (const p of pytorch) {
    const reference = p.firstBatchLosses?.[0];
    if (reference === undefined) continue;
    const parts = runs.filter((r) => r.workload === p.workload && r.firstBatchLosses?.[0] !== undefined).map((r) => `${r.backend} ${r.firstBatchLosses![0].toFixed(5)}`);
    // nn.GRU is reset-after, TSAE's GRU reset-before (bench/workloads.ts): only the LSTM losses should match.
    const differentCell = WORKLOADS.find((w) => w.name === p.workload)?.cell === 'gru' ? " (PyTorch's GRU is reset-after: not expected to match)" : '';
    if (parts.length > 0) notes.push(`${p.workload}: first-batch loss PyTorch ${reference.toFixed(5)}, ${parts.join(', ')}${differentCell}`);
  }
  return notes;
}

function machineLine(loadAtStart: number): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `${cpu}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${process.platform}; load average ${loadAtStart.toFixed(1)} at start, ${loadavg()[0].toFixed(1)} at end`;
}

function versionsLine(root: string, withTorch: boolean): string {
  const packageVersion = (name: string) => {
    try {
      return (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      return 'unknown';
    }
  };
  const parts = [`Node ${process.versions.node}`, `@tensorflow/tfjs ${tf.version.tfjs}`, `@tensorflow/tfjs-backend-wasm ${packageVersion('@tensorflow/tfjs-backend-wasm')}`];
  if (withTorch) {
    const torch = spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
    const blas = spawnSync('update-alternatives', ['--query', 'libblas.so.3-x86_64-linux-gnu'], { encoding: 'utf8' });
    const value = /^Value: (.*)$/m.exec(blas.stdout ?? '')?.[1];
    parts.push(`PyTorch ${torch.stdout.trim() || 'unknown'} (1 thread, BLAS ${value ?? 'unknown'})`);
  }
  return parts.join(', ');
}

const BENCHMARKS_PREAMBLE = `# Benchmarks

Produced by \`npm run bench\` (bench/bench.ts). Figures vary by 10-15 % from run to run and
more on a busy machine: compare within one run, as ratios.
`;

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
  // Bad options are a usage error; a speed figure never fails the run.
  process.exitCode = 2;
});
