// TSAE208 (features not reconstructed) on constructed multi-sensor windows: short windows of
// slow sensors, each window mostly one level per sensor, as in pitfall 04.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runDetectors } from '../../src/core/detectors';
import { featureReconstructions, featuresNotReconstructed } from '../../src/core/detectors/tsae208-features-not-reconstructed';
import { pairedWindows } from '../../src/core/detectors/windows';
import { createRng } from '../../src/core/data/random';
import type { RunFinding } from '../../src/core/run/types';
import { config, fallingLosses, history, input, sineWindows, stalledLosses, windowMeans, type Window } from './inputs';

const SENSORS = ['s1', 's2', 's3', 's4', 's5', 's6', 's7'];
const sensorsConfig = (latentSize: number) =>
  config((c) => {
    c.data.columns = [...SENSORS];
    c.windowing.length = 5;
    c.model.latent.size = latentSize;
  });

/** `count` 5-step windows of independent slow sensors: a random level per window, a little noise per step. */
function sensorWindows(count = 64, features = SENSORS.length, seed = 7): Window[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => {
    const levels = Array.from({ length: features }, () => 2 * rng() - 1);
    return Array.from({ length: 5 }, () => levels.map((level) => level + 0.05 * (rng() - 0.5)));
  });
}

/** `windows` with each feature's output replaced by `outputOf(feature, row)`. */
function reconstruct(windows: Window[], outputOf: (feature: number, row: number[]) => number): Window[] {
  return windows.map((w) => w.map((row) => row.map((_, f) => outputOf(f, row))));
}

const windows = sensorWindows();
const rng = createRng(11);
const faithful = reconstruct(windows, (f, row) => row[f] + 0.05 * (rng() - 0.5));
// What a 1-unit bottleneck learns: two sensors carried, the others guessed at their mean (0).
const twoCarried = reconstruct(windows, (f, row) => (f < 2 ? row[f] : 0));

const only208 = (findings: RunFinding[]): RunFinding => {
  const found = findings.filter((f) => f.code === 'TSAE208');
  assert.equal(found.length, 1, `expected one TSAE208, got ${JSON.stringify(findings.map((f) => f.code))}`);
  return found[0];
};
const fires = (parts: Parameters<typeof input>[0]): boolean => featuresNotReconstructed.detect(input(parts)) !== undefined;

describe('TSAE208 features not reconstructed', () => {
  test('fires when sensors are reconstructed as a constant, naming them by column', () => {
    const f = only208(runDetectors(input({ config: sensorsConfig(1), inputs: windows, outputs: twoCarried })));
    assert.equal(f.severity, 'warning', 'unverified: a hypothesis');
    assert.equal(f.data?.features, 's3, s4, s5, s6, s7');
    assert.equal(f.data?.missed, 5);
    assert.equal(f.data?.judged, 7);
    assert.match(f.message, /^5 of 7 features are not reconstructed: the output follows s3 0%, s4 0%/);
  });

  test('fires on a sensor whose output moves as much as the input but with another sensor', () => {
    // The decoder moves s4 along with s1, the direction the latent carries: full variance, none of s4's.
    const borrowed = reconstruct(windows, (f, row) => (f === 3 ? row[0] : row[f]));
    const stats = featureReconstructions(pairedWindows(input({ inputs: windows, outputs: borrowed })));
    assert.ok(stats[3].varianceRatio > 0.5, `variance ratio ${stats[3].varianceRatio}`);
    assert.ok(stats[3].followedShare < 0.1, `followed share ${stats[3].followedShare}`);
    const f = only208(runDetectors(input({ config: sensorsConfig(1), inputs: windows, outputs: borrowed })));
    assert.equal(f.data?.features, 's4');
  });

  test('stays silent on a faithful reconstruction and on one that only shrinks the amplitude', () => {
    assert.equal(fires({ config: sensorsConfig(7), inputs: windows, outputs: faithful }), false);
    const shrunkToThird = reconstruct(windows, (f, row) => 0.3 * row[f] + 0.2);
    assert.equal(fires({ config: sensorsConfig(7), inputs: windows, outputs: shrunkToThird }), false);
  });

  test('does not judge a sensor that sits at one level in the sample, nor a single-feature run', () => {
    // s7 holds still (variance 1e-4 of the others'): missing it is not evidence of anything.
    const flatLast = windows.map((w) => w.map((row) => row.map((v, f) => (f === 6 ? 0.5 + 0.01 * v : v))));
    const ignoresLast = reconstruct(flatLast, (f, row) => (f === 6 ? 0 : row[f]));
    assert.equal(fires({ config: sensorsConfig(1), inputs: flatLast, outputs: ignoresLast }), false);
    const one = windows.map((w) => w.map((row) => [row[0]]));
    assert.equal(fires({ inputs: one, outputs: one.map((w) => w.map(() => [0])) }), false);
  });

  test('leaves an output collapsed to the window mean to TSAE201', () => {
    const sines = sineWindows(40, 48, 3);
    const found = runDetectors(input({ config: config((c) => (c.data.columns = ['a', 'b', 'c'])), inputs: sines, outputs: windowMeans(sines) }));
    assert.deepEqual(
      found.map((f) => f.code).filter((c) => c === 'TSAE201' || c === 'TSAE208'),
      ['TSAE201'],
    );
  });

  test('waits for the loss to stall before judging mid-run', () => {
    const parts = { config: sensorsConfig(1), inputs: windows, outputs: twoCarried, final: false };
    assert.equal(fires({ ...parts, history: history(fallingLosses(8)) }), false);
    const f = only208(runDetectors(input({ ...parts, history: history(stalledLosses()) })));
    assert.equal(f.epoch, 12);
  });

  test('names seq2seq targets by task.targetColumns', () => {
    const c = sensorsConfig(1);
    c.task.targetColumns = ['t1', 't2', 't3'];
    const targets = windows.map((w) => w.map((row) => row.slice(0, 3)));
    const outputs = reconstruct(targets, (f, row) => (f === 0 ? row[0] : 0));
    const f = only208(runDetectors(input({ config: c, inputs: windows, targets, outputs })));
    assert.equal(f.data?.features, 't2, t3');
  });

  test('blames a latent narrower than the features (one unit each), then high compression, then the learning rate, then epochs while the loss falls', () => {
    const blame = (c: ReturnType<typeof config>) => only208(runDetectors(input({ config: c, inputs: windows, outputs: twoCarried, history: history(fallingLosses(15)) })));
    const narrow = blame(sensorsConfig(1));
    assert.deepEqual([narrow.configPath, narrow.fix?.changes[0].value], ['model.latent.size', 7]);
    assert.match(narrow.message, /1 unit for 7 features/);
    // 48 steps x 7 features into 7 units is 48:1; 16:1 needs 21 units, more than one per feature.
    const long = blame(
      config((c) => {
        c.data.columns = [...SENSORS];
        c.model.latent.size = 7;
      }),
    );
    assert.deepEqual([long.configPath, long.fix?.changes[0].value], ['model.latent.size', 21]);
    const lowRate = sensorsConfig(8);
    lowRate.training.learningRate = 1e-6;
    assert.deepEqual([blame(lowRate).configPath, blame(lowRate).fix?.changes[0].value], ['training.learningRate', 1e-3]);
    const roomy = sensorsConfig(8);
    roomy.training.epochs = 15;
    const epochs = blame(roomy);
    assert.deepEqual([epochs.configPath, epochs.fix?.changes[0].value], ['training.epochs', 30]);
    // The detector's blame from the config and the windows alone agrees with the run's.
    assert.equal(featuresNotReconstructed.blame(input({ config: sensorsConfig(1), inputs: windows }), { measurement: '', data: {} })[0].fix?.changes[0].value, 7);
  });

  test('never throws on ragged or non-finite windows', () => {
    const ragged = [[[1, 2]], [[1, 2, 3]], [[NaN, 1]]];
    for (const outputs of [ragged, [], [[[Infinity, 0]]]]) {
      assert.equal(featuresNotReconstructed.detect(input({ inputs: ragged, outputs })), undefined);
    }
  });
});
