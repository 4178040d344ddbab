// The training worker (bundled to dist/worker.js and run in a worker_threads Worker). It takes
// one request, a run ('start'), a diagnosis trial ('trial'), scoring a data file ('score') or one
// window's reconstruction ('reconstruct'), runs it to the end posting
// WorkerEvents, and honours 'cancel'. One request per worker: the wasm heap never shrinks, so
// the host ends the worker after it.

import { parentPort } from 'node:worker_threads';
import { isWorkerRequest, type WorkerEvent } from '../core/protocol/worker';
import { runTrainingRequest } from '../core/train/runRequest';
import { runTrialRequest } from '../core/diagnosis/trialRequest';
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

const abort = new AbortController();
let started = false;

const post = (event: WorkerEvent): void => port.postMessage(event);

port.on('message', (message: unknown) => {
  if (!isWorkerRequest(message)) {
    post({ type: 'log', level: 'warn', message: `training worker ignored a malformed message: ${JSON.stringify(message)?.slice(0, 200)}` });
    return;
  }
  if (message.type === 'cancel') {
    abort.abort();
    return;
  }
  if (started) {
    post({ type: 'log', level: 'warn', message: 'training worker runs one request; a second start was ignored' });
    return;
  }
  started = true;
  const work =
    message.type === 'trial'
      ? runTrialRequest(message, post, abort.signal)
      : message.type === 'score'
        ? runScoreRequest(message, post, abort.signal)
        : message.type === 'reconstruct'
          ? runReconstructRequest(message, post, abort.signal)
          : runTrainingRequest(message, post, abort.signal);
  void work.finally(() => port.close());
});
