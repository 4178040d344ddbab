import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lttb, lttbIndices, lttbSeries } from '../../webview/lib/decimate';
import { bucketMax } from '../../webview/lib/series';

describe('LTTB decimation', () => {
  const n = 100_000;
  const ys = Array.from({ length: n }, (_, i) => Math.sin(i / 500) + 0.01 * Math.sin(i * 7.3));
  ys[61_234] = 25; // one spike

  test('reduces a 100k-point series to the threshold, keeping first and last', () => {
    const out = lttbSeries(ys, 2000);
    assert.equal(out.length, 2000);
    assert.deepEqual(out[0], { x: 0, y: ys[0] });
    assert.deepEqual(out[out.length - 1], { x: n - 1, y: ys[n - 1] });
  });

  test('keeps the extreme peak of a spike', () => {
    const out = lttbSeries(ys, 2000);
    assert.ok(
      out.some((p) => p.x === 61_234 && p.y === 25),
      'the spike must survive decimation',
    );
  });

  test('indices are strictly increasing', () => {
    const idx = lttbIndices(
      ys.map((y, x) => ({ x, y })),
      500,
    );
    for (let i = 1; i < idx.length; i++) assert.ok(idx[i] > idx[i - 1]);
  });

  test('short series and tiny thresholds come back whole', () => {
    const short = [
      { x: 0, y: 1 },
      { x: 1, y: 2 },
      { x: 2, y: 3 },
    ];
    assert.deepEqual(lttb(short, 10), short);
    assert.equal(
      lttb(
        ys.slice(0, 50).map((y, x) => ({ x, y })),
        2,
      ).length,
      50,
    );
    assert.deepEqual(lttb([], 10), []);
  });

  test('non-finite values do not break the selection', () => {
    const withNaN = ys.slice(0, 10_000);
    withNaN[5000] = Number.NaN;
    const out = lttbSeries(withNaN, 300);
    assert.equal(out.length, 300);
    assert.ok(out.every((p) => Number.isFinite(p.x)));
  });
});

describe('bucketMax', () => {
  test('keeps the worst step of each bucket and covers every index', () => {
    const values = Array.from({ length: 1000 }, (_, i) => (i === 437 ? 9 : 1));
    const buckets = bucketMax(values, 100);
    assert.equal(buckets.length, 100);
    assert.equal(buckets[0].start, 0);
    assert.equal(buckets[buckets.length - 1].end, 999);
    assert.equal(buckets.find((b) => b.start <= 437 && 437 <= b.end)?.value, 9);
  });
  test('NaN wins its bucket; empty input gives no buckets', () => {
    assert.ok(Number.isNaN(bucketMax([1, Number.NaN, 2], 1)[0].value));
    assert.deepEqual(bucketMax([], 5), []);
  });
});
