// Diagnosis trials in worker threads (the CLI and the editor): a pool of trial workers for one
// diagnosis, up to one per core side by side. Starting a worker costs seconds (the bundle, the
// wasm backend), reading the data more: a trial paid both, and a 20-60 s budget then fit only
// the control and one or two candidates. So a worker is started once (`warm` starts the backend
// before the first trial is planned) and serves several trials, keeping the data between trials
// that read the same windows. Each trial is still stopped when it exceeds the plan's timeout or
// the diagnosis is cancelled: its worker is terminated (a stopped trial leaves a model half built
// and its heap unknown) and a fresh one takes its place when the next trial needs one. A
// worker's wasm heap never shrinks, so the pool lives for one diagnosis only: whoever creates
// the runner calls `close()` when the diagnosis ends, which terminates every worker. Idle
// workers do not keep the process alive. The host never loads tfjs.

import * as os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { BackendName } from '../config/types';
import { isWorkerEvent, type WorkerRequest } from '../protocol/worker';
import type { ConfigSourceFile } from '../run/types';
import type { TrialRunner } from './diagnose';
import type { TrialOutcome, TrialPlan } from './types';

const failed = (failure: string): TrialOutcome => ({ nmse: null, symptoms: [], epochs: 0, trainWindows: 0, seconds: 0, failure });

interface PooledWorker {
  worker: Worker;
  busy: boolean;
  /** Trials this worker has answered. */
  served: number;
  /** Settles the trial in progress; set while busy. */
  settle?: (outcome: TrialOutcome, reusable: boolean) => void;
}

export interface TrialPoolStats {
  /** Workers started so far, replacements included. */
  started: number;
  /** Workers terminated because their trial timed out, was cancelled or crashed. */
  replaced: number;
  /** Workers alive now. */
  alive: number;
  /** Trials answered by a worker that had answered one before (so paid no start-up). */
  reused: number;
}

export class WorkerTrialRunner implements TrialRunner {
  readonly parallelism: number;
  private readonly workers = new Set<PooledWorker>();
  private closed = false;
  private startedCount = 0;
  private replacedCount = 0;
  private reusedCount = 0;

  constructor(
    private readonly workerPath: string,
    private readonly backend?: BackendName,
    parallelism = Math.max(1, Math.min(2, os.availableParallelism?.() ?? os.cpus().length)),
  ) {
    this.parallelism = parallelism;
  }

  get stats(): TrialPoolStats {
    return { started: this.startedCount, replaced: this.replacedCount, alive: this.workers.size, reused: this.reusedCount };
  }

  /** Starts the pool's workers (and their backends) ahead of the first trial; never throws. */
  warm(): void {
    if (this.closed) return;
    try {
      while (this.workers.size < this.parallelism) this.spawn();
    } catch {
      // run() reports a worker that cannot start, with its reason, as the trial's failure.
    }
  }

  run(config: ConfigSourceFile, plan: TrialPlan, signal: AbortSignal | undefined): Promise<TrialOutcome> {
    if (signal?.aborted) return Promise.resolve(failed('cancelled'));
    if (this.closed) return Promise.resolve(failed('the trial workers were closed'));
    let slot: PooledWorker;
    try {
      slot = [...this.workers].find((w) => !w.busy) ?? this.spawn();
    } catch (error) {
      return Promise.resolve(failed(`cannot start a trial worker ${this.workerPath}: ${(error as Error).message}`));
    }
    slot.busy = true;
    slot.worker.ref();
    return new Promise<TrialOutcome>((resolve) => {
      const finish = (outcome: TrialOutcome, reusable: boolean) => {
        if (slot.settle === undefined) return;
        slot.settle = undefined;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (reusable) {
          if (slot.served > 0) this.reusedCount++;
          slot.served++;
        }
        if (reusable && !this.closed) {
          slot.busy = false;
          slot.worker.unref();
        } else {
          this.discard(slot, !reusable);
        }
        resolve(outcome);
      };
      slot.settle = finish;
      const onAbort = () => finish(failed('cancelled'), false);
      const timer = setTimeout(() => finish(failed('timed out'), false), plan.timeoutSeconds * 1000);
      signal?.addEventListener('abort', onAbort, { once: true });
      const request: WorkerRequest = { type: 'trial', configFile: config.fileName, configText: config.text, plan, ...(this.backend ? { backend: this.backend } : {}) };
      slot.worker.postMessage(request);
    });
  }

  /** Terminates every worker; a trial still running resolves as cancelled. */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.workers];
    for (const slot of all) slot.settle?.(failed('cancelled'), false);
    await Promise.all(all.map((slot) => this.discard(slot, false)));
  }

  private spawn(): PooledWorker {
    // stdout/stderr are captured so a trial's prints cannot corrupt a CLI's --json output.
    const worker = new Worker(this.workerPath, { stdout: true, stderr: true });
    const slot: PooledWorker = { worker, busy: false, served: 0 };
    this.startedCount++;
    this.workers.add(slot);
    worker.stdout?.resume();
    worker.stderr?.resume();
    worker.on('message', (message: unknown) => {
      if (isWorkerEvent(message) && message.type === 'trialResult') slot.settle?.(message.outcome, true);
    });
    worker.on('error', (error) => {
      slot.settle?.(failed(`the trial worker crashed: ${error.message}`), false);
      void this.discard(slot, true);
    });
    worker.on('exit', (code) => {
      slot.settle?.(failed(`the trial worker exited (code ${code}) without a result`), false);
      if (this.workers.delete(slot)) this.replacedCount++;
    });
    const warm: WorkerRequest = { type: 'warm', ...(this.backend ? { backend: this.backend } : {}) };
    worker.postMessage(warm);
    worker.unref();
    return slot;
  }

  private async discard(slot: PooledWorker, replaced: boolean): Promise<void> {
    if (!this.workers.delete(slot)) return;
    if (replaced) this.replacedCount++;
    slot.worker.removeAllListeners('message');
    await slot.worker.terminate().catch(() => undefined);
  }
}
