// The one number-format policy: what the panels, the CLI and the editor print.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { folderName, formatCount, formatNumber, formatSeconds, formatSignedPercent } from '../../src/core/format';

test('formatNumber: integers as they are, four significant digits, exponent form at the extremes', () => {
  assert.equal(formatNumber(12), '12');
  assert.equal(formatNumber(0.123456), '0.1235');
  assert.equal(formatNumber(1e-6), '1e-6');
  assert.equal(formatNumber(2.5e7 + 0.5), '2.5e7');
  assert.equal(formatNumber(undefined), '-');
  assert.equal(formatNumber(Number.NaN), 'NaN');
  assert.equal(formatNumber(-Infinity), '-∞');
});

test('formatCount: singular for one, plural otherwise', () => {
  assert.equal(formatCount(1, 'window'), '1 window');
  assert.equal(formatCount(0, 'window'), '0 windows');
  assert.equal(formatCount(12, 'epoch'), '12 epochs');
});

test('formatSignedPercent and formatSeconds', () => {
  assert.equal(formatSignedPercent(-0.734), '-73 %');
  assert.equal(formatSignedPercent(0.04), '+4 %');
  assert.equal(formatSignedPercent(0), '0 %');
  assert.equal(formatSeconds(9.04), '9.0 s');
  assert.equal(formatSeconds(125), '2 min 5 s');
});

test('folderName takes the last path segment on either separator', () => {
  assert.equal(folderName('/w/.tsae/runs/20261206-1200-a/'), '20261206-1200-a');
  assert.equal(folderName('C:\\w\\.tsae\\runs\\b'), 'b');
});
