// Each runtime detector on constructed inputs: fires on a clear failure with its figures, stays
// silent on a healthy case, blames the right key per config variant, and never throws.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DETECTORS, FindingTracker, runDetectors, type DetectorInput } from '../../src/core/detectors';
import type { RunFinding } from '../../src/core/run/types';
import { createRng } from '../../src/core/data/random';
import { config, fallingLosses, history, input, latents, shrunk, sineWindows, stalledLosses, windowMeans } from './inputs';

const codes = (findings: RunFinding[]): string[] => findings.map((f) => f.code).sort();
const only = (findings: RunFinding[], code: string): RunFinding => {
  const found = findings.filter((f) => f.code === code);
  assert.equal(found.length, 1, `expected one ${code}, got ${JSON.stringify(codes(findings))}`);
  return found[0];
};

const windows = sineWindows();
// Same signal family, other phases: full variance, but an error above the mean baseline.
const wrongShape = sineWindows(40, 48, 2, 99);
const faithful = shrunk(windows, 1, 0.02);

describe('healthy run', () => {
  test('no detector fires on a faithful reconstruction with a converging loss', () => {
    const losses = fallingLosses(12);
    const found = runDetectors(
      input({
        inputs: windows,
        outputs: faithful,
        latents: latents(40, 8),
        history: history(
          losses,
          losses.map((l) => l * 1.1),
          losses.map(() => ({ encoder_0: 0.2, latent: 0.1, output: 0.3 })),
        ),
      }),
    );
    assert.deepEqual(found, []);
  });
});

describe('TSAE201 mean collapse', () => {
  test('fires at the end when the output is the window mean, with the variance ratio, as a hypothesis until verified', () => {
    const f = only(runDetectors(input({ inputs: windows, outputs: windowMeans(windows) })), 'TSAE201');
    assert.equal(f.severity, 'warning');
    assert.equal(f.certainty, 'hypothesis');
    assert.ok(Number(f.data?.varianceRatio) < 1e-6);
    assert.match(f.message, /variance is under 0\.1% of the input's: the model predicts the window mean/);
    assert.equal(f.epoch, undefined);
  });

  test('waits for the loss to stall before judging mid-run', () => {
    const collapsed = { inputs: windows, outputs: windowMeans(windows), final: false };
    assert.deepEqual(codes(runDetectors(input({ ...collapsed, history: history(fallingLosses(4)) }))), []);
    const f = only(runDetectors(input({ ...collapsed, history: history(stalledLosses()) })), 'TSAE201');
    assert.equal(f.epoch, 12);
  });

  test("slow windows: a flat output at each window's level is no collapse, a flat output at one level is", () => {
    // Windows of a slow signal: a level per window plus a little movement inside it.
    const slow = sineWindows(40, 48, 2, 7).map((w, i) => w.map((row) => row.map((v, f) => 3 * Math.sin(i + f) + 0.1 * v)));
    assert.ok(!codes(runDetectors(input({ inputs: slow, outputs: windowMeans(slow) }))).includes('TSAE201'), 'the levels are right');
    const grandMean = slow.map((w) => w.map(() => [0, 0]));
    only(runDetectors(input({ inputs: slow, outputs: grandMean })), 'TSAE201');
  });

  test('stays silent at 40% amplitude (that is TSAE203)', () => {
    assert.ok(!codes(runDetectors(input({ inputs: windows, outputs: shrunk(windows, 0.4) }))).includes('TSAE201'));
  });

  test('blames targetReduction, then an out-of-range learning rate, then bridge sequence, then a tiny latent; no cause otherwise', () => {
    const run = (c = config()) => only(runDetectors(input({ config: c, inputs: windows, outputs: windowMeans(windows) })), 'TSAE201');
    assert.deepEqual(run(config((c) => (c.training.targetReduction = 'timeMean'))).fix, {
      title: 'Compare every time step with its own target (targetReduction: none)',
      safety: 'unsafe',
      changes: [{ path: 'training.targetReduction', value: 'none' }],
    });
    const lr = run(config((c) => (c.training.learningRate = 1e-6)));
    assert.equal(lr.configPath, 'training.learningRate');
    assert.equal(lr.fix?.changes[0].value, 1e-3);
    const sequence = run(config((c) => (c.model.bridge = 'sequence')));
    assert.deepEqual([sequence.configPath, sequence.fix?.changes[0].value], ['model.bridge', 'repeat']);
    // 48 steps x 2 features into 2 units is 48:1; the fix asks for 96 / 16 = 6 units.
    const tiny = run(config((c) => (c.model.latent.size = 2)));
    assert.equal(tiny.configPath, 'model.latent.size');
    assert.equal(tiny.fix?.changes[0].value, 6);
    // Nothing in a healthy config explains it: no key is blamed rather than a generic one.
    const plain = run();
    assert.equal(plain.configPath, '');
    assert.equal(plain.fix, undefined);
    assert.match(plain.message, /No cause in the config could be identified/);
  });
});

describe('TSAE202 dead latent units', () => {
  test('fires on units stuck at zero and names them', () => {
    const f = only(runDetectors(input({ latents: latents(60, 4, [1, 3]) })), 'TSAE202');
    assert.equal(f.data?.deadUnits, 2);
    assert.equal(f.data?.stuckAtZero, 2);
    assert.match(f.message, /2 of 4 latent units are stuck at exactly zero across 60 windows \(units 1, 3\)/);
  });

  test('fires on a unit that is constant but not zero, relative to the active ones', () => {
    const l = latents(60, 3).map((v) => [v[0], 0.37 + 1e-6 * v[1], v[2]]);
    const f = only(runDetectors(input({ latents: l })), 'TSAE202');
    assert.match(f.message, /1 of 3 latent units are constant/);
  });

  test('stays silent when every unit varies, including ReLU units that are zero for some windows', () => {
    const l = latents(100, 4).map((v) => v.map((x) => Math.max(0, x)));
    assert.ok(!codes(runDetectors(input({ latents: l }))).includes('TSAE202'));
  });

  test('dead units under a good reconstruction are information (wasted capacity); under a poor one a warning', () => {
    const dead = latents(60, 4, [1, 3]);
    const good = only(runDetectors(input({ inputs: windows, outputs: faithful, latents: dead })), 'TSAE202');
    assert.equal(good.severity, 'info');
    assert.ok(Number(good.data?.errorShare) <= 0.3);
    assert.match(good.message, /capacity is wasted, the model is not failing/);
    const poor = only(runDetectors(input({ inputs: windows, outputs: shrunk(windows, 0.3), latents: dead })), 'TSAE202');
    assert.equal(poor.severity, 'warning');
    assert.ok(Number(poor.data?.errorShare) > 0.3);
    // No reconstruction to judge: the dead units stay a warning.
    assert.equal(only(runDetectors(input({ latents: dead })), 'TSAE202').severity, 'warning');
  });

  test('blames a relu-family latent activation (fix linear), then unscaled input; no cause otherwise', () => {
    const relu = only(runDetectors(input({ config: config((c) => (c.model.latent.activation = 'relu')), latents: latents(60, 3, [0]) })), 'TSAE202');
    assert.deepEqual([relu.configPath, relu.fix?.changes[0].value], ['model.latent.activation', 'linear']);
    const relu6 = only(runDetectors(input({ config: config((c) => (c.model.latent.activation = 'relu6')), latents: latents(60, 3, [0]) })), 'TSAE202');
    assert.equal(relu6.fix?.changes[0].value, 'linear');
    const unscaled = only(runDetectors(input({ config: config((c) => (c.preprocessing.scaling = 'none')), latents: latents(60, 3, [0]) })), 'TSAE202');
    assert.deepEqual([unscaled.configPath, unscaled.fix?.changes[0].value], ['preprocessing.scaling', 'standard']);
    const tanh = only(runDetectors(input({ latents: latents(60, 3, [0]) })), 'TSAE202');
    assert.deepEqual([tanh.configPath, tanh.fix], ['', undefined]);
  });
});

describe('TSAE203 amplitude loss', () => {
  test('fires when the output keeps 40% of the amplitude, with range and peak figures', () => {
    const f = only(runDetectors(input({ inputs: windows, outputs: shrunk(windows, 0.4) })), 'TSAE203');
    assert.ok(Math.abs(Number(f.data?.rangeRatio) - 0.4) < 0.05, String(f.data?.rangeRatio));
    assert.ok(Math.abs(Number(f.data?.peakRecovery) - 0.4) < 0.05);
    assert.match(f.message, /spans 4\d% of the input's range per window/);
  });

  test('fires when the output varies as much as the input but not with its peaks', () => {
    const f = only(runDetectors(input({ inputs: windows, outputs: sineWindows(40, 48, 2, 99) })), 'TSAE203');
    assert.ok(Number(f.data?.rangeRatio) >= 0.5);
    assert.match(f.message, /The top 5% peaks \(largest deviations from each window's mean\) are reconstructed at \d+% of their height/);
  });

  test('fires on a blurred copy that keeps range and peaks but leaves much of the variance, far above the noise, to the error', () => {
    // half the shape plus an unrelated one: range and peaks pass their bars, the error does not.
    const other = sineWindows(40, 48, 2, 77);
    const blurred = windows.map((w, i) => w.map((row, t) => row.map((v, f) => 0.5 * v + 0.8 * other[i][t][f])));
    const f = only(runDetectors(input({ inputs: windows, outputs: blurred })), 'TSAE203');
    assert.ok(Number(f.data?.rangeRatio) >= 0.5 && Number(f.data?.peakRecovery) >= 0.3, JSON.stringify(f.data));
    assert.ok(Number(f.data?.errorShare) > 0.4 && Number(f.data?.noiseShare) < 0.05, JSON.stringify(f.data));
    assert.match(f.message, /leaves \d+% of the input's variance to the error, \d+ times its step-to-step noise .*a poor copy of the window/);
    // The same error on white-noise windows is the noise itself: nothing a model could reproduce.
    const rng = createRng(11);
    const noise = sineWindows(40, 48, 2, 5).map((w) => w.map((row) => row.map(() => rng() - 0.5)));
    const noisy = noise.map((w, i) => w.map((row, t) => row.map((v, f) => 0.6 * v + 0.3 * noise[(i + 1) % noise.length][t][f])));
    assert.ok(!codes(runDetectors(input({ inputs: noise, outputs: noisy }))).includes('TSAE203'));
    // A good reconstruction is silent.
    assert.ok(!codes(runDetectors(input({ inputs: windows, outputs: shrunk(windows, 0.85, 0.02) }))).includes('TSAE203'));
  });

  test('ignores the peaks of flat windows at different levels (noise), unless the targets are unreachable', () => {
    // Short windows of a slow signal: each is a level plus small noise.
    const flat = sineWindows(40, 48, 1, 5).map((w, i) => w.map(([v]) => [3 * Math.sin(i) + 0.05 * v]));
    const noisy = flat.map((w, i) => w.map((_, t) => [3 * Math.sin(i) + 0.05 * Math.sin(t * 7 + i)]));
    assert.deepEqual(runDetectors(input({ inputs: flat, outputs: noisy })), []);
    const sigmoid = config((c) => (c.model.outputActivation = 'sigmoid'));
    const f = only(runDetectors(input({ config: sigmoid, inputs: flat, outputs: noisy })), 'TSAE203');
    assert.equal(f.configPath, 'model.outputActivation');
    assert.ok(Number(f.data?.withinWindowShare) < 0.1);
  });

  test('stays silent at 80% amplitude', () => {
    assert.deepEqual(runDetectors(input({ inputs: windows, outputs: shrunk(windows, 0.8, 0.02) })), []);
  });

  test('blames an unreachable output range, then bridge sequence (fix repeat), then a tiny latent, then epochs only while the loss falls', () => {
    const run = (c = config(), losses: number[] = []) =>
      only(runDetectors(input({ config: c, inputs: windows, outputs: shrunk(windows, 0.4), history: history(losses) })), 'TSAE203');
    // Pitfall 05: targets scaled to [-1, 1] under a sigmoid output.
    const sigmoid = run(config((c) => ((c.model.outputActivation = 'sigmoid'), (c.model.bridge = 'sequence'))));
    assert.deepEqual([sigmoid.configPath, sigmoid.fix?.changes[0].value], ['model.outputActivation', 'linear']);
    assert.deepEqual(run(config((c) => (c.model.bridge = 'sequence'))).fix?.changes[0].value, 'repeat');
    assert.equal(run(config((c) => (c.model.latent.size = 1))).fix?.changes[0].value, 6);
    const epochs = run(
      config((c) => (c.training.epochs = 20)),
      fallingLosses(20),
    );
    assert.deepEqual([epochs.configPath, epochs.fix?.changes[0].value], ['training.epochs', 40]);
    // A loss that has stopped falling is no reason to train longer.
    assert.deepEqual(
      run(
        config((c) => (c.training.epochs = 20)),
        stalledLosses(20),
      ).configPath,
      '',
    );
  });

  test('compares against targets when given (seq2seq)', () => {
    const targets = sineWindows(40, 48, 1, 9);
    const inputs = sineWindows(40, 48, 3, 8);
    assert.deepEqual(runDetectors(input({ inputs, targets, outputs: shrunk(targets, 1, 0.02) })), []);
    only(runDetectors(input({ inputs, targets, outputs: shrunk(targets, 0.4) })), 'TSAE203');
  });
});

describe('TSAE204 loss plateau', () => {
  test('fires when the loss is flat while the error is near the mean baseline', () => {
    const f = only(runDetectors(input({ history: history(stalledLosses()), inputs: windows, outputs: wrongShape, final: false })), 'TSAE204');
    assert.ok(Number(f.data?.errorShare) > 0.5);
    assert.equal(f.data?.relativeImprovement, 0);
    assert.match(f.message, /improved by 0% over the last 5 epochs/);
  });

  test('stays silent when the loss is flat because the model has converged, or still falling', () => {
    assert.ok(!codes(runDetectors(input({ history: history(stalledLosses()), inputs: windows, outputs: faithful }))).includes('TSAE204'));
    assert.ok(!codes(runDetectors(input({ history: history(fallingLosses()), inputs: windows, outputs: wrongShape }))).includes('TSAE204'));
    // Too few epochs to call a plateau.
    assert.ok(!codes(runDetectors(input({ history: history([1, 1, 1]), inputs: windows, outputs: wrongShape }))).includes('TSAE204'));
  });

  test('blames an unreachable output range, then stateful shuffling, then the learning rate', () => {
    const run = (c = config()) => only(runDetectors(input({ config: c, history: history(stalledLosses()), inputs: windows, outputs: wrongShape })), 'TSAE204');
    const sigmoid = run(config((c) => (c.model.outputActivation = 'sigmoid')));
    assert.deepEqual([sigmoid.configPath, sigmoid.fix?.changes[0].value], ['model.outputActivation', 'linear']);
    assert.match(sigmoid.message, /of the targets lie outside \[0, 1\]/);
    const stateful = run(config((c) => ((c.model.stateful = true), (c.training.shuffle = true))));
    assert.deepEqual([stateful.configPath, stateful.fix?.changes[0].value], ['training.shuffle', false]);
    const lr = run(config((c) => (c.training.learningRate = 1e-6)));
    assert.deepEqual([lr.configPath, lr.fix?.changes[0].value], ['training.learningRate', 1e-3]);
    const sgd = run(config((c) => ((c.training.optimizer = 'sgd'), (c.training.learningRate = 5))));
    assert.deepEqual([sgd.configPath, sgd.fix?.changes[0].value], ['training.learningRate', 1e-2]);
    assert.deepEqual([run().configPath, run().fix], ['', undefined]);
  });
});

describe('TSAE205 non-finite loss', () => {
  test('fires on nonFiniteLoss or a NaN in the history, naming where', () => {
    const f = only(runDetectors(input({ nonFiniteLoss: { epoch: 3, batch: 17 } })), 'TSAE205');
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /at epoch 3, batch 17/);
    const g = only(runDetectors(input({ history: history([1, 0.5, NaN]) })), 'TSAE205');
    assert.match(g.message, /became NaN at epoch 3/);
    assert.ok(!codes(runDetectors(input({ history: history([1, 0.5]) }))).includes('TSAE205'));
  });

  test('blames a high learning rate, then no scaling, then no clipping, then the rate; a hypothesis is a warning', () => {
    const run = (c = config()) => only(runDetectors(input({ config: c, nonFiniteLoss: { epoch: 1, batch: 0 } })), 'TSAE205');
    assert.deepEqual(run(config((c) => (c.training.learningRate = 0.5))).fix?.changes[0].value, 1e-3);
    assert.deepEqual(run(config((c) => (c.preprocessing.scaling = 'none'))).fix?.changes[0].value, 'standard');
    assert.deepEqual(run().fix, { title: 'Clip the gradient norm at 1', safety: 'unsafe', changes: [{ path: 'training.clipNorm', value: 1 }] });
    const clipped = run(config((c) => (c.training.clipNorm = 1)));
    assert.deepEqual([clipped.configPath, clipped.fix?.changes[0].value], ['training.learningRate', 1e-4]);
  });
});

describe('TSAE206 gradient scale', () => {
  const norms = (values: number[], layer = 'decoder_0') => values.map((v) => ({ encoder_0: 0.1, [layer]: v }));

  test('fires on a norm above 1e3 and on tenfold growth two epochs running', () => {
    const big = only(runDetectors(input({ history: history(fallingLosses(3), undefined, norms([0.5, 0.7, 4000])) })), 'TSAE206');
    assert.equal(big.data?.direction, 'exploding');
    assert.equal(big.data?.layer, 'decoder_0');
    assert.match(big.message, /layer decoder_0 reached 4\.0e\+3 in a batch at epoch 3/);
    const growth = only(runDetectors(input({ history: history(fallingLosses(3), undefined, norms([0.05, 0.6, 9])) })), 'TSAE206');
    assert.equal(growth.data?.growth, 180);
    assert.match(growth.message, /grew 180x in two epochs/);
  });

  test('fires on a vanishing first encoder layer while the loss is high, not once converged', () => {
    const vanishing = history(
      [1, 0.98, 0.97],
      undefined,
      [1, 2, 3].map(() => ({ encoder_0: 1e-9, output: 0.3 })),
    );
    assert.equal(only(runDetectors(input({ history: vanishing })), 'TSAE206').data?.direction, 'vanishing');
    const converged = history(
      [1, 0.1, 0.01],
      undefined,
      [1, 2, 3].map((e) => ({ encoder_0: e === 1 ? 0.1 : 1e-9, output: 0.3 })),
    );
    assert.ok(!codes(runDetectors(input({ history: converged }))).includes('TSAE206'));
  });

  test('judges every batch of an epoch, not its last one or its mean', () => {
    const stats = (mean: number, max: number, zeroFraction = 0) => ({ mean, max, min: 0, zeroFraction, nonFinite: 0, batches: 30 });
    // One batch of thirty blew up: the epoch mean (what the last batch or an average shows) stays small.
    const spike = history(fallingLosses(2)).map((e, i) => ({ ...e, gradStats: { encoder_0: stats(0.2, 0.5), decoder_0: i === 1 ? stats(40, 1.2e3) : stats(0.3, 0.6) } }));
    const f = only(runDetectors(input({ history: spike })), 'TSAE206');
    assert.deepEqual([f.data?.direction, f.data?.layer, f.data?.norm], ['exploding', 'decoder_0', 1.2e3]);
    // Exactly zero in every batch is "no gradient reaches the encoder" (saturated input), not an explosion.
    const dead = history([1, 0.99]).map((e) => ({ ...e, gradStats: { encoder_0: stats(0, 0, 1), output: stats(0.3, 0.5) } }));
    const v = only(runDetectors(input({ history: dead })), 'TSAE206');
    assert.deepEqual([v.data?.direction, v.data?.zeroFraction], ['vanishing', 1]);
    // Zero in some batches only (a relu cell resting) is neither.
    const partly = history(fallingLosses(2)).map((e) => ({ ...e, gradStats: { encoder_0: stats(0.1, 0.4, 0.3), output: stats(0.3, 0.5) } }));
    assert.deepEqual(runDetectors(input({ history: partly })), []);
  });

  test("fires on an epoch's mean loss ten times what predicting the mean costs, whatever the norms", () => {
    // Standardised windows (variance about 0.5 here); a relu cell without clipping reached a mean loss of 450 in epoch 1.
    const runaway = input({ inputs: windows, outputs: faithful, history: history([450, 0.4, 0.3], undefined, norms([0.5, 0.5, 0.5])) });
    const f = only(runDetectors(runaway), 'TSAE206');
    assert.equal(f.data?.direction, 'exploding');
    assert.equal(f.data?.epoch, 1);
    assert.ok((f.data?.lossRatio as number) > 100);
    // A first epoch near the baseline is how every fresh model starts.
    assert.deepEqual(codes(runDetectors(input({ inputs: windows, outputs: faithful, history: history([1.2, 0.4, 0.3], undefined, norms([0.5, 0.5, 0.5])) }))), []);
  });

  test('stays silent on steady norms and on growth from a negligible norm', () => {
    assert.deepEqual(runDetectors(input({ history: history(fallingLosses(4), undefined, norms([0.3, 0.2, 0.4, 0.3])) })), []);
    assert.deepEqual(runDetectors(input({ history: history(fallingLosses(3), undefined, norms([1e-4, 5e-3, 0.04])) })), []);
    // Real healthy run (nab-art-daily, epochs 3-6): one 11x jump, then it settles.
    assert.deepEqual(runDetectors(input({ history: history(fallingLosses(4), undefined, norms([0.072, 0.107, 1.2, 3.4])) })), []);
  });

  test('blames a relu cell, then missing clipping, then a high rate; vanishing blames sigmoid cells', () => {
    const exploding = (c = config()) => only(runDetectors(input({ config: c, history: history([1, 1], undefined, norms([1, 2e3])) })), 'TSAE206');
    const relu = exploding(config((c) => (c.model.decoder[0].activation = 'relu')));
    assert.deepEqual([relu.configPath, relu.fix?.changes[0].value], ['model.decoder.0.activation', 'tanh']);
    assert.deepEqual(exploding().fix?.changes[0].path, 'training.clipNorm');
    assert.deepEqual(exploding(config((c) => ((c.training.clipNorm = 1), (c.training.learningRate = 0.5)))).fix?.changes[0].value, 1e-3);
    const vanishing = history([1, 1], undefined, [{ encoder_0: 1e-9 }, { encoder_0: 1e-9 }]);
    const sigmoid = only(runDetectors(input({ config: config((c) => (c.model.encoder[0].activation = 'sigmoid')), history: vanishing })), 'TSAE206');
    assert.deepEqual([sigmoid.configPath, sigmoid.fix?.changes[0].value], ['model.encoder.0.activation', 'tanh']);
  });
});

describe('TSAE207 overfitting', () => {
  const train = fallingLosses(10);
  const val = [1, 0.8, 0.6, 0.5, 0.55, 0.6, 0.62, 0.65, 0.68, 0.7];

  test('fires when validation rose for 5+ epochs above 1.2x its minimum while training fell', () => {
    const f = only(runDetectors(input({ history: history(train, val), final: false })), 'TSAE207');
    assert.equal(f.data?.bestEpoch, 4);
    assert.equal(f.data?.epochsSinceBest, 6);
    assert.equal(f.data?.ratio, 1.4);
    assert.match(f.message, /40% above its minimum at epoch 4 and has not improved for 6 epochs/);
    assert.deepEqual(f.fix, {
      title: 'Stop early (patience 5) and keep the best weights',
      safety: 'unsafe',
      changes: [{ path: 'training.earlyStopping', value: { patience: 5 } }],
    });
    assert.equal(f.configPath, 'training.earlyStopping');
  });

  test('stays silent on a small rise, a short rise, or when training loss rises too', () => {
    const small = [1, 0.8, 0.6, 0.5, 0.52, 0.53, 0.55, 0.56, 0.57, 0.58];
    assert.deepEqual(runDetectors(input({ history: history(train, small) })), []);
    const short = [1, 0.8, 0.6, 0.5, 0.45, 0.4, 0.38, 0.5, 0.6, 0.7];
    assert.deepEqual(runDetectors(input({ history: history(train, short) })), []);
    const bothUp = [...train.slice(0, 4), ...train.slice(4).map((_, i) => 0.8 + 0.01 * i)];
    assert.deepEqual(runDetectors(input({ history: history(bothUp, val) })), []);
  });

  test('with early stopping configured, proposes no latent dropout (TSAE110 flags any)', () => {
    const c = config((c) => (c.training.earlyStopping = { patience: 10, minDelta: 0 }));
    const f = only(runDetectors(input({ config: c, history: history(train, val) })), 'TSAE207');
    assert.equal(f.severity, 'warning');
    assert.ok(!f.causes?.some((cause) => cause.configPath === 'model.latent.dropout'), JSON.stringify(f.causes));
  });

  test("is information once early stopping put the best epoch's weights back", () => {
    const c = config((c) => (c.training.earlyStopping = { patience: 6, minDelta: 0 }));
    const f = only(runDetectors(input({ config: c, history: history(train, val), final: true, restoredEpoch: 4 })), 'TSAE207');
    assert.equal(f.severity, 'info');
    assert.match(f.message, /early stopping kept that epoch's weights, so the saved model is the one before the rise\. Nothing in the config needs to change\.$/);
    // Weights of another epoch (or none) put back: still a warning.
    const other = only(runDetectors(input({ config: c, history: history(train, val), final: true, restoredEpoch: 7 })), 'TSAE207');
    assert.equal(other.severity, 'warning');
    assert.doesNotMatch(other.message, /Nothing in the config needs to change/);
  });
});

describe('robustness', () => {
  test('never throws on empty, ragged or non-finite input', () => {
    const junk: Array<Partial<DetectorInput>> = [
      {},
      { history: [], inputs: [], outputs: [], latents: [] },
      { inputs: [[]], outputs: [[[NaN]]], latents: [[1], [1, 2], [NaN, 3]] },
      { inputs: windows, outputs: windows.slice(0, 3).map((w) => w.slice(1)) },
      { inputs: [[[Infinity, 1]]], outputs: [[[1, 1]]] },
      { history: [null, { loss: 'x' }, { epoch: 2, loss: Infinity, valLoss: NaN, gradNorms: { encoder_0: NaN } }] as never },
      { history: history([1, 1, 1, 1, 1, 1, 1], [0, 0, 0, 0, 0, 0, 0]), inputs: windows, outputs: windows },
    ];
    for (const parts of junk) {
      for (const final of [false, true]) {
        const found = runDetectors(input({ ...parts, final }));
        assert.ok(Array.isArray(found));
        for (const f of found) assert.ok(DETECTORS.some((d) => d.code === f.code));
      }
    }
  });

  test('a detector that throws is skipped and reported, the others still run', () => {
    const errors: string[] = [];
    // A null config makes every blame function fail; TSAE205 needs blame, so it is skipped.
    const found = runDetectors({ config: null as never, history: history([1, NaN]), final: true }, (code) => errors.push(code));
    assert.deepEqual(errors, ['TSAE205']);
    assert.deepEqual(found, []);
  });

  test('a non-finite gradient norm counts as exploding', () => {
    const f = only(runDetectors(input({ history: history([1, 1], undefined, [{ output: 0.1 }, { output: Infinity }]) })), 'TSAE206');
    assert.equal(f.data?.direction, 'exploding');
  });
});

describe('FindingTracker', () => {
  test('reports a code once, keeps its latest figures, and drops cured conditions at the end', () => {
    const tracker = new FindingTracker();
    const collapsed = { inputs: windows, outputs: windowMeans(windows), history: history(stalledLosses()), final: false };
    assert.deepEqual(codes(tracker.check(input(collapsed))), ['TSAE201', 'TSAE204']);
    assert.deepEqual(tracker.check(input({ ...collapsed, history: history([...stalledLosses(), 0.9]) })), []);
    assert.equal(tracker.all().find((f) => f.code === 'TSAE201')?.epoch, 13);
    tracker.add(runDetectors(input({ nonFiniteLoss: { epoch: 14, batch: 2 } })));
    // The final pass sees a faithful model: the conditions are cured, the NaN event stays.
    tracker.check(input({ inputs: windows, outputs: faithful, history: history(fallingLosses()), final: true }));
    assert.deepEqual(codes(tracker.all()), ['TSAE205']);
  });
});

describe('detector contract', () => {
  test('every detector has a slug, a human title and lists causes only the config has', () => {
    for (const d of DETECTORS) {
      assert.match(d.name, /^[a-z]+(-[a-z]+)*$/, d.code);
      assert.ok(d.title.length > 10 && d.title !== d.name, d.code);
      const symptom = { measurement: 'x', data: {} };
      for (const cause of d.blame(input({ history: history(stalledLosses()) }), symptom)) assert.ok(cause.fix, `${d.code} blames ${cause.configPath} on a healthy config`);
    }
  });
});
