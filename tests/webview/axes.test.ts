// The charts' axis policy: log ticks that fit, zeros kept visible on log axes, early epochs as points.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { labelRows, logFloor, logTicks, pointRadius, ticksThatFit } from '../../webview/lib/axes';

test('log ticks step 1-2-5 inside a decade and thin out to fit', () => {
  // Inside one decade (a loss from 0.9 to 0.3): every digit, as long as they fit.
  assert.deepEqual(logTicks(0.3, 0.9, 10), [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]);
  assert.deepEqual(logTicks(0.3, 0.9, 4), []);
  assert.deepEqual(logTicks(0.1, 1, 10), [0.1, 0.2, 0.5, 1]);
  // Four decades at ten ticks: 1-2-5 would be 13, so 1-3.
  assert.deepEqual(logTicks(1e-3, 10, 10), [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10]);
  const wide = logTicks(1e-8, 1e3, 5);
  assert.ok(wide.length <= 5 && wide.length >= 2, JSON.stringify(wide));
  assert.ok(wide.every((v, i) => i === 0 || v > wide[i - 1]));
  assert.deepEqual(logTicks(0, 1, 5), []);
  assert.deepEqual(logTicks(1, 10, 1), []);
});

test('the number of ticks follows the axis length', () => {
  assert.equal(ticksThatFit(100), 3);
  assert.equal(ticksThatFit(10), 2);
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
