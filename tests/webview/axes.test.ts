// The charts' axis policy: log ticks that fit, zeros kept visible on log axes, early epochs as points.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { labelRows, logFloor, logTicks, pointRadius } from '../../webview/lib/axes';

test('log ticks: the densest 1-2-5 style set whose neighbours stay apart on the axis', () => {
  // A loss from 1.1 to 0.27 on 400 px: every digit fits (0.9 to 1 is 30 px apart).
  assert.deepEqual(logTicks(0.27, 1.1, 400), [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
  // On 150 px the top digits would touch: 1-2-3-5.
  assert.deepEqual(logTicks(0.27, 1.1, 150), [0.3, 0.5, 1]);
  assert.deepEqual(logTicks(0.1, 1, 100), [0.1, 0.2, 0.5, 1]);
  // Four decades on 200 px: decades only.
  assert.deepEqual(logTicks(1e-3, 10, 200), [0.001, 0.01, 0.1, 1, 10]);
  const wide = logTicks(1e-8, 1e3, 100);
  assert.ok(wide.length >= 2 && wide.length <= 5, JSON.stringify(wide));
  assert.deepEqual(logTicks(0, 1, 100), []);
  assert.deepEqual(logTicks(0.5, 0.5, 100), []);
});

test('an exact zero sits a decade below the smallest positive value', () => {
  assert.equal(logFloor([0, 0.05, 3, null]), 0.001);
  assert.equal(logFloor([0, null]), 1e-8);
});

test('few epochs are drawn as points, many as a line', () => {
  assert.equal(pointRadius(1), 3);
  assert.equal(pointRadius(12), 1.5);
  assert.equal(pointRadius(300), 0);
});

test('labels at close x positions go to separate rows; distant ones share the first row', () => {
  // q0.95 and q0.99 three pixels apart, each 60 px wide: never on one row.
  assert.deepEqual(labelRows([100, 103], [60, 60]), [0, 1]);
  assert.deepEqual(labelRows([100, 300], [60, 60]), [0, 0]);
  assert.deepEqual(labelRows([103, 100, 400], [60, 60, 60]), [1, 0, 0]);
});
