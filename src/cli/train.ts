// `tsae train CONFIG`: trains in the same worker the extension uses (dist/worker.js beside
// dist/cli.js) and shows progress: a live line on a terminal, one line per epoch otherwise, or
// one JSON object per line with --json. Ctrl-C, SIGTERM and SIGHUP (a closed terminal, a
// supervisor stopping the job) cancel cleanly: the model learned so far is saved, exit 130. A
// second signal kills the worker; the run folder then says `interrupted`.

import * as path from 'node:path';
import { BACKEND_NAMES, isBackendName, type BackendName } from '../core/config/types';
import type { ErrorLocation, WorkerEvent } from '../core/protocol/worker';
import { RUN_FILES, type RunFinding, type RunSummary } from '../core/run/types';
import { TrainingRun, type FinalEvent } from '../core/train/workerHost';
import { DEFAULT_MAX_MEMORY_MB } from '../core/model/memory';
import { diagnoseRun, findWorkerBundle, parseDiagnosisOption, printDiagnosis, type DiagnosisSettings } from './diagnose';
import { EXIT_FINDINGS, EXIT_OK, processIo, type CliIo, exitForUsage } from './io';
import { formatNumber } from '../core/format';

export const EXIT_INTERRUPTED = 130;

/** Signals that end a run like Ctrl-C. (SIGHUP does not exist on Windows; listening is harmless.) */
const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

const USAGE = `Usage: tsae train CONFIG [options]
       tsae train --resume RUN_DIR [options]

Trains the autoencoder CONFIG describes and writes a run folder <out>/<YYYYMMDD-HHMMSS>-<name>/.
With --resume, continues an interrupted or cancelled run in its folder from its last saved
epoch up to its planned epochs (or --epochs N), with the config the run used.

Options:
  --out DIR       folder for run folders (default: .tsae/runs in the current directory)
  --epochs N      train N epochs instead of training.epochs (with --resume: up to epoch N)
  --resume DIR    continue the run in folder DIR (see tsae runs for interrupted runs)
  --max-memory MB refuse to train when the memory estimate is above MB (default ${DEFAULT_MAX_MEMORY_MB})
  --backend B     auto | fused | tensorflow | wasm | cpu (default: auto)
  --json          one JSON object per line: {"type":"runFolder",...} as soon as the run
                  folder exists, then each epoch, then {"type":"summary",...}
  --diagnose      after a run with findings, verify their cause with short trials
                  (tsae diagnose --help); the summary then includes the diagnosis
  --diagnose-budget S  seconds for the trials (default: about the run's time, 20-60)
  -h, --help      show this help

Exit codes: 0 completed, 1 failed, 2 bad command line, 130 interrupted (Ctrl-C, SIGTERM or SIGHUP;
the model is saved).
`;

export interface TrainArgs {
  /** The config file; for --resume, the run folder's config.resolved.json. */
  config: string;
  resume?: string;
  maxMemoryMB?: number;
  out?: string;
  epochs?: number;
  backend?: BackendName;
  json: boolean;
  diagnose: boolean;
  diagnosis: DiagnosisSettings;
}

export interface TrainCliOptions {
  /** The worker bundle; default dist/worker.js next to this bundle. */
  workerPath?: string;
  /** Treat stdout as a terminal (live progress line); default: process.stdout.isTTY. */
  tty?: boolean;
  /** Cancels the run like Ctrl-C (tests). */
  signal?: AbortSignal;
}

export function parseTrainArgs(argv: string[]): TrainArgs | { help: true } | { error: string } {
  const args: Partial<TrainArgs> & { json: boolean; diagnose: boolean; diagnosis: DiagnosisSettings } = { json: false, diagnose: false, diagnosis: {} };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string | undefined => argv[++i];
    const diagnosisOption = parseDiagnosisOption(argv, i, args.diagnosis);
    if (typeof diagnosisOption === 'object') return diagnosisOption;
    if (diagnosisOption > 0) {
      args.diagnose = true;
      i += diagnosisOption - 1;
      continue;
    }
    switch (arg) {
      case '--diagnose':
        args.diagnose = true;
        break;
      case '-h':
      case '--help':
        return { help: true };
      case '--json':
        args.json = true;
        break;
      case '--out': {
        const v = value();
        if (v === undefined) return { error: '--out needs a folder' };
        args.out = v;
        break;
      }
      case '--epochs': {
        const v = value();
        const n = Number(v);
        if (v === undefined || !Number.isInteger(n) || n < 1) return { error: `--epochs needs a whole number >= 1, got ${v ?? 'nothing'}` };
        args.epochs = n;
        break;
      }
      case '--resume': {
        const v = value();
        if (v === undefined) return { error: '--resume needs a run folder' };
        args.resume = v;
        break;
      }
      case '--max-memory': {
        const v = value();
        const n = Number(v);
        if (v === undefined || v.trim() === '' || !(n > 0) || !Number.isFinite(n)) return { error: `--max-memory needs a number of MB > 0, got ${v ?? 'nothing'}` };
        args.maxMemoryMB = n;
        break;
      }
      case '--backend': {
        const v = value();
        if (!isBackendName(v)) return { error: `--backend must be one of ${BACKEND_NAMES.join(', ')}, got ${v ?? 'nothing'}` };
        args.backend = v;
        args.diagnosis.backend = v;
        break;
      }
      default:
        if (arg.startsWith('-')) return { error: `unknown option ${arg}` };
        if (args.config !== undefined) return { error: `one CONFIG only, got ${args.config} and ${arg}` };
        args.config = arg;
    }
  }
  if (args.resume !== undefined) {
    if (args.config !== undefined) return { error: `--resume continues a run with the config it used; drop CONFIG (${args.config})` };
    args.config = path.join(args.resume, RUN_FILES.config);
  }
  if (args.config === undefined) return { error: 'missing CONFIG' };
  return args as TrainArgs;
}

export async function runTrain(argv: string[], io: CliIo = processIo(), options: TrainCliOptions = {}): Promise<number> {
  const parsed = parseTrainArgs(argv);
  if ('help' in parsed || 'error' in parsed) return exitForUsage('train', parsed, USAGE, io);
  const workerPath = options.workerPath ?? findWorkerBundle();
  if (workerPath === undefined) {
    io.stderr(`tsae train: the training worker bundle (worker.js) was not found next to ${__dirname}; run the build first\n`);
    return EXIT_FINDINGS;
  }

  const configFile = path.resolve(io.cwd, parsed.config);
  const resumeRunDir = parsed.resume !== undefined ? path.resolve(io.cwd, parsed.resume) : undefined;
  const runsDir = resumeRunDir ? path.dirname(resumeRunDir) : path.resolve(io.cwd, parsed.out ?? path.join('.tsae', 'runs'));
  const run = new TrainingRun(workerPath);
  const view = parsed.json ? new JsonView(io) : new TextView(io, options.tty ?? process.stdout.isTTY === true);
  // With --diagnose the summary is printed once the diagnosis has re-blamed its findings.
  view.holdSummary = parsed.diagnose;
  // The folder exists before the worker loads the data (the host creates it once the config passed its checks).
  run.onRunFolder((runDir) => view.folder(runDir));
  run.onEvent((e) => view.show(e));

  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals | 'abort'): void => {
    const what = signal === 'SIGINT' ? 'interrupt' : signal;
    if (interrupted) {
      io.stderr(`\ntsae train: second ${what}, killing the worker\n`);
      run.kill();
      return;
    }
    interrupted = true;
    io.stderr(`\ntsae train: ${what}: cancelling after the current batch (the model is saved; signal again to kill)\n`);
    run.cancel();
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  const onAbort = (): void => onSignal('abort');
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    run.start({
      type: 'start',
      configFile,
      runsDir,
      ...(parsed.epochs !== undefined ? { epochs: parsed.epochs } : {}),
      ...(parsed.backend !== undefined ? { backend: parsed.backend } : {}),
      ...(resumeRunDir !== undefined ? { resumeRunDir } : {}),
      ...(parsed.maxMemoryMB !== undefined ? { maxMemoryMB: parsed.maxMemoryMB } : {}),
    });
    let final = await run.final;
    if (parsed.diagnose) {
      final = await diagnoseAfterRun(final, workerPath, parsed, io, options.signal);
      // Held back until now; without --diagnose the view printed it with the final event.
      view.showSummary(final);
    }
    if (final.type === 'failed') return interrupted ? EXIT_INTERRUPTED : EXIT_FINDINGS;
    return final.summary.status === 'cancelled' || interrupted ? EXIT_INTERRUPTED : EXIT_OK;
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
    options.signal?.removeEventListener('abort', onAbort);
  }
}

/** The run's final event with its summary re-blamed by a diagnosis, when it has findings to diagnose. */
async function diagnoseAfterRun(final: FinalEvent, workerPath: string, args: TrainArgs, io: CliIo, signal?: AbortSignal): Promise<FinalEvent> {
  const summary = final.summary;
  if (!final.runDir || !summary || summary.status === 'cancelled' || summary.findings.length === 0) return final;
  try {
    const diagnosed = await diagnoseRun(final.runDir, workerPath, args.diagnosis, args.json ? undefined : io, signal);
    if (!args.json) printDiagnosis(io, diagnosed);
    return { ...final, summary: diagnosed.summary } as FinalEvent;
  } catch (error) {
    io.stderr(`tsae train: diagnosis failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return final;
  }
}

interface View {
  /** When set, the final event's summary waits for showSummary (a diagnosis may change it). */
  holdSummary: boolean;
  /** The run's folder exists (before its data is loaded). */
  folder(runDir: string): void;
  show(event: WorkerEvent): void;
  showSummary(final: FinalEvent): void;
}

/** Human output. On a terminal the batch progress rewrites one line; elsewhere only epochs print. */
class TextView implements View {
  holdSummary = false;
  private epochs = 0;
  private liveLine = false;
  private shownFolder: string | undefined;

  constructor(
    private readonly io: CliIo,
    private readonly tty: boolean,
  ) {}

  folder(runDir: string): void {
    if (this.shownFolder === runDir) return;
    this.shownFolder = runDir;
    this.line(`run folder: ${runDir}`);
  }

  show(e: WorkerEvent): void {
    switch (e.type) {
      case 'log':
        this.line(e.level === 'warn' ? `warning: ${e.message}` : e.message, e.level === 'warn');
        break;
      case 'started':
        this.epochs = e.epochs;
        this.folder(e.runDir);
        this.line(
          `windows: ${e.windows.train} train, ${e.windows.validation} validation, ${e.windows.heldOut} held out; ` +
            `${e.parameters} parameters, compression ${formatNumber(e.compressionRatio)}:1`,
        );
        break;
      case 'batch':
        if (this.tty) {
          this.io.stdout(`\r\x1b[2K${progressText(e.epoch, this.epochs, e.batch, e.batches, e.loss)}`);
          this.liveLine = true;
        }
        break;
      case 'epoch':
        this.line(
          `epoch ${e.epoch}/${this.epochs}  loss ${formatNumber(e.loss)}  val ${e.valLoss === null ? '-' : formatNumber(e.valLoss)}  ` +
            `lr ${formatNumber(e.lr)}  ${e.seconds.toFixed(1)} s`,
        );
        break;
      case 'finding':
        this.line(findingText(e.finding));
        break;
      case 'finished':
      case 'failed':
        if (!this.holdSummary) this.showSummary(e);
        break;
      case 'reconstructions':
      case 'latents':
      case 'trialResult':
        break;
    }
  }

  showSummary(e: FinalEvent): void {
    // Failures inside a run already say "training failed: ..."; others (a bad config) do not.
    if (e.type === 'failed')
      this.line(/^training failed\b/.test(e.message) ? `${locationText(e.location)}${e.message}` : `training failed: ${locationText(e.location)}${e.message}`, true);
    if (e.summary) this.summary(e.summary);
  }

  private summary(s: RunSummary): void {
    const parts = [`status ${s.status}`, `${s.epochs} epochs`, `${s.seconds.toFixed(1)} s`];
    if (s.trainLoss !== null) parts.push(`loss ${formatNumber(s.trainLoss)}`);
    if (s.valLoss !== null) parts.push(`val ${formatNumber(s.valLoss)}`);
    if (s.heldOutAuc !== undefined) parts.push(`held-out AUC ${s.heldOutAuc.toFixed(3)}`);
    this.line(parts.join(', '));
    if (s.reason) this.line(`reason: ${s.reason}`);
    if (s.findings.length > 0) {
      this.line(`findings (${s.findings.length}):`);
      for (const f of s.findings) this.line(`  ${findingText(f)}`);
    }
  }

  private line(text: string, toStderr = false): void {
    if (this.liveLine) {
      this.io.stdout('\r\x1b[2K');
      this.liveLine = false;
    }
    if (toStderr) this.io.stderr(`${text}\n`);
    else this.io.stdout(`${text}\n`);
  }
}

/** --json: one object per epoch, log lines and findings as they come, then one summary object. */
class JsonView implements View {
  holdSummary = false;

  constructor(private readonly io: CliIo) {}

  /** Scripts learn the folder at once (a run killed while loading its data leaves it, interrupted). */
  folder(runDir: string): void {
    this.io.stdout(`${JSON.stringify({ type: 'runFolder', runDir })}\n`);
  }

  show(e: WorkerEvent): void {
    switch (e.type) {
      case 'log':
      case 'started':
      case 'epoch':
      case 'finding':
        this.io.stdout(`${JSON.stringify(e)}\n`);
        break;
      case 'finished':
      case 'failed':
        if (!this.holdSummary) this.showSummary(e);
        break;
      case 'batch':
      case 'reconstructions':
      case 'latents':
      case 'trialResult':
        break;
    }
  }

  showSummary(e: FinalEvent): void {
    if (e.type === 'finished') {
      this.io.stdout(`${JSON.stringify({ type: 'summary', runDir: e.runDir, ...e.summary })}\n`);
      return;
    }
    this.io.stdout(
      `${JSON.stringify({ type: 'summary', status: 'failed', message: e.message, ...(e.location ? { location: e.location } : {}), ...(e.runDir ? { runDir: e.runDir } : {}), ...(e.summary ?? {}) })}\n`,
    );
  }
}

export function progressText(epoch: number, epochs: number, batch: number, batches: number, loss: number): string {
  const width = 20;
  const filled = Math.round((batch / Math.max(1, batches)) * width);
  return `epoch ${epoch}/${epochs} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] batch ${batch}/${batches} loss ${formatNumber(loss)}`;
}

function findingText(f: RunFinding): string {
  return `${f.code} ${f.severity} ${f.configPath}: ${f.message}`;
}

function locationText(location: ErrorLocation | undefined): string {
  if (location === undefined) return '';
  let text = location.file;
  if (location.line !== undefined) text += `:${location.line}`;
  if (location.line !== undefined && location.column !== undefined) text += `:${location.column}`;
  if (location.field !== undefined) text += ` (${location.field})`;
  return `${text}: `;
}
