import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { EpochMetrics } from '../../src/core/run/types';
import { constantLearningRate, gradNormSeries, sharedHistogram } from '../../webview/lib/metrics';

const epoch = (e: number, lr: number, gradNorms?: Record<string, number>): EpochMetrics => ({
  epoch: e,
  loss: 1,
  valLoss: null,
  lr,
  seconds: e,
  ...(gradNorms ? { gradNorms } : {}),
});

describe('loss-section series', () => {
  test('gradient norms become one series per layer with gaps where unmeasured or not drawable', () => {
    const series = gradNormSeries([epoch(1, 1e-3, { encoder: 0.5, latent: 0 }), epoch(2, 1e-3), epoch(3, 1e-3, { encoder: 0.25, latent: Number.NaN, decoder: 2 })]);
    assert.deepEqual(
      series.map((s) => s.layer),
      ['encoder', 'latent', 'decoder'],
    );
    assert.deepEqual(series[0].points, [
      { x: 1, y: 0.5 },
      { x: 2, y: null },
      { x: 3, y: 0.25 },
    ]);
    assert.deepEqual(
      series[1].points.map((p) => p.y),
      [null, null, null],
      'zero and NaN cannot sit on a log axis',
    );
    assert.deepEqual(
      series[2].points.map((p) => p.y),
      [null, null, 2],
    );
    assert.deepEqual(gradNormSeries([epoch(1, 1e-3)]), []);
  });

  test('a learning rate is constant only if every epoch has the same one', () => {
    assert.equal(constantLearningRate([epoch(1, 1e-3), epoch(2, 1e-3)]), 1e-3);
    assert.equal(constantLearningRate([epoch(1, 1e-3), epoch(2, 5e-4)]), undefined);
    assert.equal(constantLearningRate([]), undefined);
  });
});

describe('shared histogram', () => {
  test('groups share bins over the joint range; every finite value is counted once', () => {
    const normal = [0, 0.12, 0.22, 0.24, 0.35];
    const anomalous = [0.9, 1.0, Number.NaN];
    const [a, b] = sharedHistogram([normal, anomalous], 10);
    assert.equal(a.length, 10);
    assert.deepEqual(
      a.map((x) => x.from),
      b.map((x) => x.from),
    );
    assert.equal(a[0].from, 0);
    assert.ok(Math.abs(a[9].to - 1) < 1e-12);
    assert.equal(
      a.reduce((s, x) => s + x.count, 0),
      5,
    );
    assert.equal(
      b.reduce((s, x) => s + x.count, 0),
      2,
    );
    assert.equal(b[9].count, 2, 'the maximum falls in the last bin');
    assert.equal(a[2].count, 2);
  });

  test('all-equal values fall in one bin; no values give no bins', () => {
    const [only] = sharedHistogram([[0.5, 0.5, 0.5]], 10);
    assert.deepEqual(
      only.map((x) => x.count),
      [3],
    );
    assert.deepEqual(sharedHistogram([[], [Number.NaN]], 10), [[], []]);
  });
});
