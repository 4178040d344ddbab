// The training worker (bundled to dist/worker.js and run in a worker_threads Worker). A run
// ('start'), scoring a data file ('score') or one window's reconstruction ('reconstruct') is one
// request per worker: it runs to the end posting WorkerEvents, honours 'cancel', and the worker
// closes, because the wasm heap never shrinks. A trial worker ('warm' or 'trial' first) serves one
// diagnosis: trials one at a time, the backend started once and the data kept between trials
// with the same data sections; the host terminates it when the diagnosis ends, and whenever one
// of its trials is cancelled or times out (a stopped trial leaves a model half built).

import { parentPort } from 'node:worker_threads';
import { isWorkerRequest, type WorkerEvent } from '../core/protocol/worker';
import { runTrainingRequest } from '../core/train/runRequest';
import { runTrialRequest } from '../core/diagnosis/trialRequest';
import { TrialDataCache } from '../core/diagnosis/trial';
import { initBackend } from '../core/model/backend';
import { runReconstructRequest, runScoreRequest } from '../core/scoring/request';

const port = parentPort;
if (port === null) throw new Error('trainWorker must run in a worker thread');

// tfjs warns on every orthogonal initialisation of a matrix above 2000 elements (any LSTM with
// 23+ units). It costs a fraction of a second once per layer and users cannot act on it, so it
// is kept out of the run's log; every other warning passes through.
const warn = console.warn;
console.warn = (...args: unknown[]) => {
  if (typeof args[0] === 'string' && args[0].startsWith('Orthogonal initializer is being called on a matrix with more than')) return;
  warn(...args);
};

let abort: AbortController | undefined;
let mode: 'one request' | 'trials' | undefined;
const cache = new TrialDataCache();
// A trial worker's requests run one after another.
let queue: Promise<unknown> = Promise.resolve();

const post = (event: WorkerEvent): void => port.postMessage(event);

port.on('message', (message: unknown) => {
  if (!isWorkerRequest(message)) {
    post({ type: 'log', level: 'warn', message: `training worker ignored a malformed message: ${JSON.stringify(message)?.slice(0, 200)}` });
    return;
  }
  if (message.type === 'cancel') {
    abort?.abort();
    return;
  }
  if (message.type === 'trial' || message.type === 'warm') {
    if (mode === 'one request') {
      post({ type: 'log', level: 'warn', message: `training worker runs one request; a ${message.type} request was ignored` });
      return;
    }
    mode = 'trials';
    queue = queue.then(async () => {
      if (message.type === 'warm') {
        // A failure here shows again, with its reason, in the first trial's outcome.
        await initBackend(message.backend ?? 'auto').catch(() => undefined);
        return;
      }
      abort = new AbortController();
      await runTrialRequest(message, post, abort.signal, cache);
    });
    return;
  }
  if (mode !== undefined) {
    post({ type: 'log', level: 'warn', message: 'training worker runs one request; a second start was ignored' });
    return;
  }
  mode = 'one request';
  abort = new AbortController();
  const work =
    message.type === 'score'
      ? runScoreRequest(message, post, abort.signal)
      : message.type === 'reconstruct'
        ? runReconstructRequest(message, post, abort.signal)
        : runTrainingRequest(message, post, abort.signal);
  void work.finally(() => port.close());
});
