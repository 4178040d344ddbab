import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { deadUnits, maxAbs, sampleRows, unitActivity } from '../../webview/lib/latent';
import { heatmap, projectLatents, unitLabel } from '../../webview/lib/latentPlot';

describe('dead latent units', () => {
  test('a unit that is 0 in every window is dead (zero); a varying one is not', () => {
    const vectors = Array.from({ length: 50 }, (_, i) => [Math.sin(i), 0, Math.cos(i) * 0.01]);
    const units = unitActivity(vectors);
    assert.equal(units[0].dead, null);
    assert.equal(units[1].dead, 'zero');
    assert.equal(units[1].zeroShare, 1);
    assert.equal(units[2].dead, null, 'small but varying activations are alive');
    assert.deepEqual(deadUnits(vectors), [1]);
  });

  test('a unit stuck at the same non-zero value is dead (constant)', () => {
    const vectors = Array.from({ length: 30 }, (_, i) => [i % 5, 0.7615942, -i]);
    assert.equal(unitActivity(vectors)[1].dead, 'constant');
    assert.deepEqual(deadUnits(vectors), [1]);
  });

  test('a unit woken by a single window out of 200 still counts as dead', () => {
    const vectors = Array.from({ length: 200 }, (_, i) => [i, i === 17 ? 0.5 : 0]);
    assert.deepEqual(deadUnits(vectors), [1]);
  });

  test('no windows: no units; one window: only zeros are dead', () => {
    assert.deepEqual(unitActivity([]), []);
    assert.deepEqual(deadUnits([[0, 2]]), [0]);
  });

  test('axis label names dead units', () => {
    const units = unitActivity(Array.from({ length: 5 }, (_, i) => [i, 0]));
    assert.equal(unitLabel(units[0]), 'u0');
    assert.equal(unitLabel(units[1]), 'u1 (dead)');
  });
});

describe('heatmap and projection data', () => {
  test('cells cover sampled rows x units and the scale is the largest |value|', () => {
    const vectors = Array.from({ length: 500 }, (_, i) => [i / 100, -i / 50]);
    const map = heatmap(vectors, 100);
    assert.equal(map.rows.length, 100);
    assert.equal(map.cells.length, 200);
    assert.equal(map.scale, maxAbs(vectors));
    assert.equal(map.scale, 499 / 50);
    assert.deepEqual(map.cells[3], { x: 1, y: 1, v: -map.rows[1] / 50 });
  });

  test('sampleRows spreads evenly and keeps everything when small', () => {
    assert.deepEqual(sampleRows(3, 10), [0, 1, 2]);
    const rows = sampleRows(1000, 4);
    assert.deepEqual(rows, [0, 250, 500, 750]);
  });

  test('points are grouped by label, or by split without labels', () => {
    const vectors = [
      [0, 0],
      [1, 1],
      [2, 0],
      [3, 1],
    ];
    const byLabel = projectLatents(vectors, [10, 11, 12, 13], [0, 1, 0, 1]);
    assert.deepEqual(
      byLabel.groups.map((g) => g.label),
      ['label 0', 'label 1'],
    );
    assert.deepEqual(
      byLabel.groups[1].points.map((p) => p.window),
      [11, 13],
    );
    const bySet = projectLatents(vectors, [0, 1, 2, 3], undefined, ['validation', 'validation', 'heldOut', 'heldOut']);
    assert.deepEqual(
      bySet.groups.map((g) => g.label),
      ['held-out', 'validation'],
    );
    const plain = projectLatents(vectors, [0, 1, 2, 3]);
    assert.equal(plain.groups.length, 1);
    assert.ok(plain.explained[0] > plain.explained[1]);
  });
});
