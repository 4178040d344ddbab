// The pool of trial workers (WorkerTrialRunner) with real worker threads of the built bundle on
// tiny data: a worker serves several trials of one diagnosis (and trains the same config to the
// same result as a fresh one), the data cache reads data again only when it changed, a trial that times out or is cancelled mid-way ends its worker
// and the next trial gets a fresh one, and close() ends every worker.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TrialDataCache } from '../../src/core/diagnosis/trial';
import { WorkerTrialRunner } from '../../src/core/diagnosis/workerTrialRunner';
import type { TrialPlan } from '../../src/core/diagnosis/types';
import type { ConfigSourceFile } from '../../src/core/run/types';
import { WORKER_JS, resolve, sensorsConfig, writeConfig } from '../train/helpers';

function source(overrides: Parameters<typeof sensorsConfig>[0] = {}): ConfigSourceFile {
  const file = writeConfig(sensorsConfig({ name: 'pool', ...overrides }));
  return { fileName: file, text: fs.readFileSync(file, 'utf8') };
}

const plan: TrialPlan = { epochs: 2, maxTrainWindows: 64, timeoutSeconds: 120 };

describe('trial data cache', () => {
  test('the data is read again only when the file or a section that shapes the windows changes', async () => {
    const cache = new TrialDataCache();
    const file = writeConfig(sensorsConfig({ name: 'cache' }));
    const config = resolve(sensorsConfig({ name: 'cache' }), path.dirname(file));
    assert.equal((await cache.load(config)).cached, false);
    const again = await cache.load(resolve(sensorsConfig({ name: 'cache', model: { latent: { size: 6 } }, training: { learningRate: 0.001 } }), path.dirname(file)));
    assert.equal(again.cached, true);
    assert.equal((await cache.load(resolve(sensorsConfig({ name: 'cache', windowing: { length: 8 } }), path.dirname(file)))).cached, false);
    assert.equal((await cache.load(resolve(sensorsConfig({ name: 'cache', windowing: { length: 8 } }), path.dirname(file)))).cached, true);
    // A data file changed on disk is read again.
    const csv = path.join(path.dirname(file), 'copy.csv');
    fs.copyFileSync(config.dataFile, csv);
    const copy = resolve(sensorsConfig({ name: 'cache', data: { path: csv } }), path.dirname(file));
    assert.equal((await cache.load(copy)).cached, false);
    assert.equal((await cache.load(copy)).cached, true);
    fs.appendFileSync(csv, '');
    const later = new Date(Date.now() + 5000);
    fs.utimesSync(csv, later, later);
    assert.equal((await cache.load(copy)).cached, false);
  });
});

describe('trial worker pool', { skip: fs.existsSync(WORKER_JS) ? false : 'dist/worker.js missing: run npm run build' }, () => {
  test('one worker serves several trials; the data is read once for trials that share it', { timeout: 180_000 }, async () => {
    const runner = new WorkerTrialRunner(WORKER_JS, 'fused', 1);
    try {
      runner.warm();
      const control = source();
      const first = await runner.run(control, plan, undefined);
      assert.equal(first.failure, undefined, JSON.stringify(first));
      assert.equal(first.epochs, 2);
      // A fix to the model keeps the data sections: the same windows, from the worker's cache.
      const second = await runner.run(source({ model: { latent: { size: 6, activation: 'tanh' } } }), plan, undefined);
      assert.equal(second.failure, undefined, JSON.stringify(second));
      assert.equal(second.trainWindows, first.trainWindows);
      assert.ok(first.overheadSeconds !== undefined && second.overheadSeconds !== undefined);
      // A warm worker trains like a fresh one: the control again gives the same error.
      const again = await runner.run(control, plan, undefined);
      assert.equal(again.nmse, first.nmse);
      assert.deepEqual(again.symptoms, first.symptoms);
      // Other data sections read the data again, on the same worker.
      const third = await runner.run(source({ windowing: { length: 8, stride: 4 } }), plan, undefined);
      assert.equal(third.failure, undefined, JSON.stringify(third));
      assert.notEqual(third.trainWindows, 0);
      assert.deepEqual(runner.stats, { started: 1, replaced: 0, alive: 1, reused: 3 });
    } finally {
      await runner.close();
    }
    assert.equal(runner.stats.alive, 0);
  });

  test('a timed-out trial ends its worker; the next trial gets a fresh one that still works', { timeout: 180_000 }, async () => {
    const runner = new WorkerTrialRunner(WORKER_JS, 'fused', 1);
    try {
      const long = source({ data: { maxRows: 2000 }, training: { epochs: 1, batchSize: 4 } });
      const timedOut = await runner.run(long, { epochs: 200, maxTrainWindows: 500, timeoutSeconds: 3 }, undefined);
      assert.equal(timedOut.failure, 'timed out');
      assert.deepEqual(runner.stats, { started: 1, replaced: 1, alive: 0, reused: 0 });
      const after = await runner.run(source(), plan, undefined);
      assert.equal(after.failure, undefined, JSON.stringify(after));
      assert.deepEqual(runner.stats, { started: 2, replaced: 1, alive: 1, reused: 0 });
    } finally {
      await runner.close();
    }
  });

  test('a trial cancelled mid-way answers at once and its worker is replaced', { timeout: 180_000 }, async () => {
    const runner = new WorkerTrialRunner(WORKER_JS, 'fused', 2);
    try {
      runner.warm();
      assert.equal(runner.stats.started, 2);
      const abort = new AbortController();
      const long = source({ data: { maxRows: 2000 }, training: { epochs: 1, batchSize: 4 } });
      const pending = runner.run(long, { epochs: 200, maxTrainWindows: 500, timeoutSeconds: 120 }, abort.signal);
      // Beside it, on the pool's other worker, a short trial finishes normally.
      const beside = await runner.run(source(), plan, undefined);
      assert.equal(beside.failure, undefined, JSON.stringify(beside));
      abort.abort();
      const cancelled = await pending;
      assert.equal(cancelled.failure, 'cancelled');
      assert.deepEqual(runner.stats, { started: 2, replaced: 1, alive: 1, reused: 0 });
      // Already cancelled: no worker is used.
      assert.equal((await runner.run(source(), plan, abort.signal)).failure, 'cancelled');
      const next = await runner.run(source(), plan, undefined);
      assert.equal(next.failure, undefined, JSON.stringify(next));
      assert.equal(runner.stats.reused, 1);
    } finally {
      await runner.close();
    }
    assert.equal((await runner.run(source(), plan, undefined)).failure, 'the trial workers were closed');
  });
});
