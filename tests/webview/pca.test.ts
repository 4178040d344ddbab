import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { covariance, dominantEigen, pca } from '../../webview/lib/pca';
import { createRng } from '../../src/core/data/random';

function gaussian(r: () => number): number {
  return Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
}

describe('PCA by power iteration', () => {
  test('recovers the dominant direction of an anisotropic cloud', () => {
    const r = createRng(7);
    // Variance 25 along (1, 2, 2)/3, 1 along (2, -2, 1)/3 and 0.04 along the third axis.
    const u = [1 / 3, 2 / 3, 2 / 3];
    const v = [2 / 3, -2 / 3, 1 / 3];
    const w = [2 / 3, 1 / 3, -2 / 3];
    const rows = Array.from({ length: 2000 }, () => {
      const a = 5 * gaussian(r),
        b = gaussian(r),
        c = 0.2 * gaussian(r);
      return [0, 1, 2].map((i) => 10 + a * u[i] + b * v[i] + c * w[i]);
    });
    const result = pca(rows, 2);
    const cos1 = Math.abs(result.components[0].reduce((s, x, i) => s + x * u[i], 0));
    const cos2 = Math.abs(result.components[1].reduce((s, x, i) => s + x * v[i], 0));
    assert.ok(cos1 > 0.999, `PC1 should align with u, |cos| = ${cos1}`);
    assert.ok(cos2 > 0.99, `PC2 should align with v, |cos| = ${cos2}`);
    assert.ok(Math.abs(result.variances[0] - 25) < 2.5, `variance along PC1 ~25, got ${result.variances[0]}`);
    assert.ok(result.explained[0] > 0.9 && result.explained[0] < 0.97);
    assert.equal(result.projected.length, rows.length);
    // Projections are centred.
    const mean0 = result.projected.reduce((s, p) => s + p[0], 0) / rows.length;
    assert.ok(Math.abs(mean0) < 1e-9);
  });

  test('constant input has no components and projects to 0', () => {
    const rows = Array.from({ length: 10 }, () => [3, 3, 3]);
    const result = pca(rows, 2);
    assert.deepEqual(result.variances, [0, 0]);
    assert.deepEqual(result.explained, [0, 0]);
    assert.ok(result.projected.every((p) => p[0] === 0 && p[1] === 0));
  });

  test('data on a line has one component and a zero second one', () => {
    const rows = Array.from({ length: 20 }, (_, i) => [i, 2 * i]);
    const result = pca(rows, 2);
    assert.ok(Math.abs(result.explained[0] - 1) < 1e-9);
    assert.equal(result.variances[1], 0);
    assert.ok(result.components[1].every((x) => x === 0));
  });

  test('degenerate shapes: no rows, one row, zero-width rows', () => {
    assert.deepEqual(pca([], 2).projected, []);
    assert.deepEqual(pca([[1, 2, 3]], 2).projected, [[0, 0]]);
    assert.deepEqual(pca([[], []], 2).projected, [
      [0, 0],
      [0, 0],
    ]);
  });

  test('covariance and eigen helpers agree with a hand-computed case', () => {
    const { mean, cov } = covariance([
      [1, 0],
      [-1, 0],
      [0, 2],
      [0, -2],
    ]);
    assert.deepEqual(mean, [0, 0]);
    assert.ok(Math.abs(cov[0][0] - 2 / 3) < 1e-12 && Math.abs(cov[1][1] - 8 / 3) < 1e-12 && cov[0][1] === 0);
    const { vector, value } = dominantEigen([
      [2, 0],
      [0, 5],
    ]);
    assert.ok(Math.abs(value - 5) < 1e-9);
    assert.ok(Math.abs(vector[1] - 1) < 1e-6, 'sign is canonical: largest entry positive');
  });
});
