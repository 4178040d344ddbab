// The host side of scoring (the extension; no vscode import): one fresh worker per request, as
// for training, so tfjs never loads in the host and the wasm heap goes away with the worker.
// Resolves with the final event ('scored', 'windowReconstruction' or 'failed'); never rejects.
// Cancelling asks the worker to stop between chunks, then terminates it after a grace period.

import { Worker } from 'node:worker_threads';
import { isWorkerEvent, isWorkerRequest, type WorkerEvent, type WorkerRequest } from '../protocol/worker';

export type ScoringRequest = Extract<WorkerRequest, { type: 'score' | 'reconstruct' }>;
export type ScoringFinal = Extract<WorkerEvent, { type: 'scored' | 'windowReconstruction' | 'failed' }>;

const CANCEL_GRACE_MS = 5000;

export function runScoringJob(workerPath: string, request: ScoringRequest, onEvent: (event: WorkerEvent) => void = () => undefined, signal?: AbortSignal): Promise<ScoringFinal> {
  if (signal?.aborted) return Promise.resolve({ type: 'failed', message: 'scoring cancelled' });
  // The worker ignores a malformed request and would wait for a good one forever.
  if (!isWorkerRequest(request)) return Promise.resolve({ type: 'failed', message: `malformed scoring request: ${JSON.stringify(request)}` });
  return new Promise<ScoringFinal>((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(workerPath, { stdout: true, stderr: true });
    } catch (error) {
      resolve({ type: 'failed', message: `cannot start the scoring worker ${workerPath}: ${(error as Error).message}` });
      return;
    }
    let settled = false;
    let grace: ReturnType<typeof setTimeout> | undefined;
    const finish = (event: ScoringFinal) => {
      if (settled) return;
      settled = true;
      if (grace) clearTimeout(grace);
      signal?.removeEventListener('abort', onAbort);
      worker.removeAllListeners();
      worker.on('error', () => undefined);
      void worker.terminate().catch(() => undefined);
      resolve(event);
    };
    const onAbort = () => {
      worker.postMessage({ type: 'cancel' } satisfies WorkerRequest);
      grace = setTimeout(() => finish({ type: 'failed', message: 'scoring cancelled' }), CANCEL_GRACE_MS);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.stdout?.resume();
    worker.stderr?.resume();
    worker.on('message', (message: unknown) => {
      if (!isWorkerEvent(message)) return;
      if (message.type === 'scored' || message.type === 'windowReconstruction' || message.type === 'failed') finish(message);
      else onEvent(message);
    });
    worker.on('error', (error) => finish({ type: 'failed', message: `the scoring worker crashed: ${error.message}` }));
    worker.on('exit', (code) => finish({ type: 'failed', message: `the scoring worker exited (code ${code}) without a result` }));
    worker.postMessage(request);
  });
}
