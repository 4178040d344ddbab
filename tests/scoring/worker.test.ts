// Scoring in the real worker bundle (dist/worker.js): a series with timestamps and an injected
// spike, trained for real on a small slice of NAB art_daily_small_noise, then scored in the
// worker (progress, scores.json, events with timestamps hitting the labelled spike), a window
// reconstructed on demand, and the failures (bad window, missing data, cancel) as one 'failed'.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { WorkerEvent } from '../../src/core/protocol/worker';
import { TrainingRun } from '../../src/core/train/workerHost';
import { runScoringJob } from '../../src/core/scoring/job';
import type { ScoresFile } from '../../src/core/scoring/types';
import { RUN_FILES, type ReconstructionsFile, type RunSummary } from '../../src/core/run/types';
import { worstReconstruction } from '../../src/core/run/windows';
import { DATA_DIR, WORKER_JS, readJson, tempDir, writeConfig } from '../train/helpers';

const ROWS = 700;
const SPIKE = 500;

describe('scoring in the worker', { skip: fs.existsSync(WORKER_JS) ? false : 'dist/worker.js missing: run npm run build' }, () => {
  let runDir = '';
  let dataFile = '';
  let labelFile = '';
  const dir = tempDir('tsae-score-worker-');

  before(async () => {
    const lines = fs.readFileSync(path.join(DATA_DIR, 'art_daily_small_noise.csv'), 'utf8').trim().split('\n');
    const train = path.join(dir, 'clean.csv');
    fs.writeFileSync(train, lines.slice(0, ROWS + 1).join('\n') + '\n');
    // The same rows with a spike of 12 rows far outside the signal's range.
    const spiked = lines.slice(0, ROWS + 1).map((line, i) => {
      if (i < SPIKE || i >= SPIKE + 12) return line;
      const [t] = line.split(',');
      return `${t},400`;
    });
    dataFile = path.join(dir, 'spiked.csv');
    fs.writeFileSync(dataFile, spiked.join('\n') + '\n');
    const stamp = (i: number) => spiked[i].split(',')[0];
    labelFile = path.join(dir, 'labels.json');
    fs.writeFileSync(labelFile, JSON.stringify({ 'artificialWithAnomaly/spiked.csv': [[stamp(SPIKE - 20), stamp(SPIKE + 30)]] }));
    const config = writeConfig(
      {
        name: 'score-worker',
        data: { path: train, timestamp: 'timestamp', columns: ['value'] },
        windowing: { length: 24, stride: 6 },
        model: { encoder: [{ units: 8 }], latent: { size: 4, activation: 'linear' }, decoder: [{ units: 8 }] },
        training: { epochs: 3, batchSize: 16, learningRate: 0.01, seed: 5 },
      },
      dir,
    );
    const run = new TrainingRun(WORKER_JS);
    run.start({ type: 'start', configFile: config, runsDir: path.join(dir, 'runs') });
    const final = await run.final;
    assert.equal(final.type, 'finished', final.type === 'failed' ? final.message : '');
    runDir = final.runDir!;
  });

  test('scores the whole file, reports progress, writes scores.json with timestamps, and the spike is an event on its label', async () => {
    const events: WorkerEvent[] = [];
    const final = await runScoringJob(WORKER_JS, { type: 'score', runDir, dataFile, labels: labelFile, threshold: { kind: 'quantile', q: 1 } }, (e) => events.push(e));
    assert.equal(final.type, 'scored', final.type === 'failed' ? final.message : '');
    assert.ok(events.some((e) => e.type === 'scoreProgress' && e.done === e.total));
    if (final.type !== 'scored') return;
    const scores = readJson<ScoresFile>(final.scoresFile);
    assert.equal(final.scoresFile, path.join(runDir, 'scores.json'));
    assert.equal(scores.windows.score.length, Math.floor((ROWS - 24) / 6) + 1);
    assert.equal(scores.rows.timestamp?.length, ROWS);
    assert.equal(scores.rows.score?.length, ROWS);
    assert.equal(scores.rows.values?.[0][SPIKE], 400);
    assert.equal(scores.timestampName, 'timestamp');
    const hit = scores.events.find((e) => e.labels?.includes(1));
    assert.ok(hit, `no event on the labelled spike: ${JSON.stringify(scores.events.map((e) => [e.start, e.end]))}`);
    assert.match(String(hit.start), /^2014-04-0\d \d\d:\d\d:\d\d$/);
    assert.ok(hit.peakScore > scores.threshold.value);
    assert.equal(scores.metrics?.events?.hits, 1);
    // Scores smoothed over 4 window lengths (96 rows = 16 windows of stride 6, centred: 17), the
    // calibration computed on the training windows scored alike; a row is above the threshold
    // exactly in an event.
    assert.deepEqual(scores.smoothing, { lengths: 4, windows: 17 });
    assert.equal(scores.calibration?.set, 'train');
    assert.equal(scores.windows.error?.length, scores.windows.score.length);
    const inEvent = (r: number) => scores.events.some((e) => e.startRow <= r && r <= e.endRow);
    scores.rows.score!.forEach((v, r) => assert.equal(v !== null && v > scores.threshold.value, inEvent(r), `row ${r}`));
    assert.ok(scores.metrics?.nab !== undefined && scores.metrics.auc !== undefined);
  });

  test('reconstructs one window on demand in original units', async () => {
    // Window 83 covers data rows 498..521 (0-based); the spike is rows 499..510.
    const final = await runScoringJob(WORKER_JS, { type: 'reconstruct', runDir, dataFile, window: 83 });
    assert.equal(final.type, 'windowReconstruction', final.type === 'failed' ? final.message : '');
    if (final.type !== 'windowReconstruction') return;
    assert.deepEqual(final.features, ['value']);
    assert.equal(final.window.input.length, 24);
    assert.equal(final.window.index, 83);
    // Float32 model inputs: 400 comes back within a few parts per million.
    assert.ok(Math.abs(final.window.input[1][0] - 400) < 1e-3, String(final.window.input[1][0]));
    assert.ok(Math.abs(final.window.input[0][0] - 400) > 100, String(final.window.input[0][0]));
    assert.ok(final.window.error > 0);
  });

  test('the run ranks every validation window; a ranked window reconstructed on demand is the one training saved', async () => {
    const saved = readJson<ReconstructionsFile>(path.join(runDir, RUN_FILES.reconstructions));
    const summary = readJson<RunSummary>(path.join(runDir, RUN_FILES.summary));
    assert.equal(saved.ranking?.length, summary.windows.validation + summary.windows.heldOut, 'every window ranked');
    assert.deepEqual(
      saved.ranking!.filter((w) => !w.heldOut).map((w) => w.index),
      Array.from({ length: summary.windows.validation }, (_, i) => i),
    );
    // The runs panel's worst window is the worst of the whole ranking, and its values were saved.
    const worst = worstReconstruction(saved)!;
    assert.ok(worst, 'the worst ranked window was saved with its values');
    assert.equal(worst.error, Math.max(...saved.ranking!.map((w) => w.error)));
    const final = await runScoringJob(WORKER_JS, { type: 'reconstruct', runDir, window: worst.index, set: worst.heldOut ? 'heldOut' : 'validation' });
    assert.equal(final.type, 'windowReconstruction', final.type === 'failed' ? final.message : '');
    if (final.type !== 'windowReconstruction') return;
    assert.equal(final.window.index, worst.index);
    assert.equal(final.window.start, worst.start);
    assert.ok(Math.abs(final.window.error - worst.error) <= 1e-4 * worst.error, `error ${final.window.error} vs saved ${worst.error}`);
    const gap = Math.max(...final.window.output.flatMap((row, t) => row.map((v, f) => Math.abs(v - worst.output[t][f]))));
    assert.ok(gap < 1e-3, `on-demand reconstruction differs from the saved one by ${gap}`);
    assert.deepEqual(final.window.input, worst.input);
    // A window the set does not have is a clear failure.
    const missing = await runScoringJob(WORKER_JS, { type: 'reconstruct', runDir, window: summary.windows.validation, set: 'validation' });
    assert.equal(missing.type, 'failed');
    if (missing.type === 'failed') assert.match(missing.message, /validation set has \d+ windows/);
  });

  test('failures end in one failed event naming the problem', async () => {
    const malformed = await runScoringJob(WORKER_JS, { type: 'reconstruct', runDir, dataFile, window: 1.5 });
    assert.deepEqual(malformed, {
      type: 'failed',
      message: 'malformed scoring request: {"type":"reconstruct","runDir":"' + runDir + '","dataFile":"' + dataFile + '","window":1.5}',
    });
    const bad = await runScoringJob(WORKER_JS, { type: 'reconstruct', runDir, dataFile, window: 10_000 });
    assert.equal(bad.type, 'failed');
    assert.match(bad.type === 'failed' ? bad.message : '', /window 10000 does not exist/);
    const missing = await runScoringJob(WORKER_JS, { type: 'score', runDir, dataFile: path.join(dir, 'nope.csv') });
    assert.equal(missing.type, 'failed');
    assert.match(missing.type === 'failed' ? missing.message : '', /nope\.csv.*file not found/);
    const controller = new AbortController();
    const cancelled = runScoringJob(WORKER_JS, { type: 'score', runDir, dataFile }, () => undefined, controller.signal);
    controller.abort();
    const result = await cancelled;
    assert.equal(result.type, 'failed');
    assert.match(result.type === 'failed' ? result.message : '', /cancelled/);
  });
});
