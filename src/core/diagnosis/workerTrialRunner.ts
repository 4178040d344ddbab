// Diagnosis trials in worker threads (the CLI and the editor): one fresh worker per trial,
// because a worker's wasm heap never shrinks, up to one per core side by side, each stopped when
// it exceeds the plan's timeout or the diagnosis is cancelled. The host never loads tfjs.

import * as os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { BackendName } from '../config/types';
import { isWorkerEvent, type WorkerRequest } from '../protocol/worker';
import type { ConfigSourceFile } from '../run/types';
import type { TrialRunner } from './diagnose';
import type { TrialOutcome, TrialPlan } from './types';

const failed = (failure: string): TrialOutcome => ({ nmse: null, symptoms: [], epochs: 0, trainWindows: 0, seconds: 0, failure });

export class WorkerTrialRunner implements TrialRunner {
  readonly parallelism: number;

  constructor(
    private readonly workerPath: string,
    private readonly backend?: BackendName,
    parallelism = Math.max(1, Math.min(2, os.availableParallelism?.() ?? os.cpus().length)),
  ) {
    this.parallelism = parallelism;
  }

  run(config: ConfigSourceFile, plan: TrialPlan, signal: AbortSignal | undefined): Promise<TrialOutcome> {
    if (signal?.aborted) return Promise.resolve(failed('cancelled'));
    return new Promise<TrialOutcome>((resolve) => {
      let worker: Worker;
      try {
        // stdout/stderr are captured so a trial's prints cannot corrupt a CLI's --json output.
        worker = new Worker(this.workerPath, { stdout: true, stderr: true });
      } catch (error) {
        resolve(failed(`cannot start a trial worker ${this.workerPath}: ${(error as Error).message}`));
        return;
      }
      let settled = false;
      const finish = (outcome: TrialOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        worker.removeAllListeners();
        worker.on('error', () => undefined);
        void worker.terminate().catch(() => undefined);
        resolve(outcome);
      };
      const onAbort = () => finish(failed('cancelled'));
      const timer = setTimeout(() => finish(failed('timed out')), plan.timeoutSeconds * 1000);
      signal?.addEventListener('abort', onAbort, { once: true });
      worker.stdout?.resume();
      worker.stderr?.resume();
      worker.on('message', (message: unknown) => {
        if (isWorkerEvent(message) && message.type === 'trialResult') finish(message.outcome);
      });
      worker.on('error', (error) => finish(failed(`the trial worker crashed: ${error.message}`)));
      worker.on('exit', (code) => finish(failed(`the trial worker exited (code ${code}) without a result`)));
      const request: WorkerRequest = { type: 'trial', configFile: config.fileName, configText: config.text, plan, ...(this.backend ? { backend: this.backend } : {}) };
      worker.postMessage(request);
    });
  }
}
