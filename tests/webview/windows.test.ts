import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { diffFindings } from '../../webview/lib/findings';
import { folderName, formatNumber, formatSeconds } from '../../src/core/format';
import { featureSeries, meanError, rankedWindows, sameWindow, sortedErrors, sortWindows, stepWindow, worstReconstruction, worstWindow } from '../../src/core/run/windows';
import type { WindowReconstruction } from '../../src/core/run/types';
import { RELU_FINDING } from './fixtureRun';

const windows = [
  { index: 0, error: 0.2 },
  { index: 1, error: 0.9 },
  { index: 2, error: Number.NaN },
  { index: 3, error: 0.2 },
  { index: 4, error: 0.05 },
];

describe('sorting and stepping through windows', () => {
  test('worst first by default order, NaN counts as worst, ties keep position', () => {
    assert.deepEqual(
      sortWindows(windows, 'error-desc').map((w) => w.index),
      [2, 1, 0, 3, 4],
    );
    assert.deepEqual(
      sortWindows(windows, 'error-asc').map((w) => w.index),
      [4, 0, 3, 1, 2],
    );
    assert.deepEqual(
      sortWindows(windows, 'index').map((w) => w.index),
      [0, 1, 2, 3, 4],
    );
    assert.equal(worstWindow(windows)?.index, 2);
    assert.equal(worstWindow([]), undefined);
  });

  test('sorting does not modify the input', () => {
    const copy = windows.map((w) => ({ ...w }));
    sortWindows(windows, 'error-desc');
    assert.deepEqual(windows, copy);
  });

  test('prev/next clamp at the ends; an unknown current starts at the top', () => {
    const sorted = sortWindows(windows, 'error-desc');
    assert.equal(stepWindow(sorted, 1, 1)?.index, 0);
    assert.equal(stepWindow(sorted, 1, -1)?.index, 2);
    assert.equal(stepWindow(sorted, 2, -1)?.index, 2);
    assert.equal(stepWindow(sorted, 4, 1)?.index, 4);
    assert.equal(stepWindow(sorted, 99, 1)?.index, 2);
    assert.equal(stepWindow([], 0, 1), undefined);
  });

  test('validation and held-out windows of the same index are different windows', () => {
    const mixed = [
      { index: 1, error: 0.5, heldOut: true },
      { index: 1, error: 0.5 },
      { index: 0, error: 0.1, heldOut: true },
    ];
    assert.deepEqual(
      sortWindows(mixed, 'error-desc').map((w) => `${w.index}${w.heldOut ? 'h' : 'v'}`),
      ['1v', '1h', '0h'],
      'ties: validation before held-out',
    );
    assert.ok(!sameWindow(mixed[0], mixed[1]));
    assert.ok(sameWindow(mixed[1], { index: 1, heldOut: false }));
    assert.equal(stepWindow(sortWindows(mixed, 'error-desc'), 1, 1, true)?.index, 0);
  });

  test('the worst window is the worst of the whole ranking, found among the saved values', () => {
    const values = (index: number, error: number, heldOut = false): WindowReconstruction => ({
      index,
      start: index,
      ...(heldOut ? { heldOut } : {}),
      input: [[0]],
      output: [[0]],
      error,
      stepError: [error],
    });
    // The saved values hold a sample (0, 5) and the worst (held-out 7); the ranking has them all.
    const file = {
      windows: [values(0, 0.1), values(5, 0.3), values(7, 2, true)],
      ranking: [
        { index: 0, start: 0, error: 0.1 },
        { index: 3, start: 3, error: 0.9 },
        { index: 5, start: 5, error: 0.3 },
        { index: 7, start: 7, error: 2, heldOut: true },
      ],
    };
    assert.equal(rankedWindows(file).length, 4);
    assert.deepEqual(worstReconstruction(file), file.windows[2]);
    // Without a ranking (runs before it), the saved windows are the ranking.
    assert.deepEqual(worstReconstruction({ windows: file.windows.slice(0, 2) }), file.windows[1]);
    // A ranking whose worst window was not saved has no worst reconstruction (not a wrong one).
    assert.equal(worstReconstruction({ windows: file.windows.slice(0, 2), ranking: file.ranking }), undefined);
  });

  test('errors for the before/after curve skip non-finite values', () => {
    assert.deepEqual(sortedErrors(windows), [0.05, 0.2, 0.2, 0.9]);
    assert.ok(Math.abs((meanError(windows) ?? 0) - 1.35 / 4) < 1e-12);
    assert.equal(meanError([]), null);
  });

  test('featureSeries picks one column and marks missing ones NaN', () => {
    assert.deepEqual(
      featureSeries(
        [
          [1, 2],
          [3, 4],
        ],
        1,
      ),
      [2, 4],
    );
    assert.ok(featureSeries([[1]], 3).every(Number.isNaN));
  });
});

describe('findings diff', () => {
  test('matches by code and config path, not by message', () => {
    const other = { ...RELU_FINDING, code: 'TSAE201', configPath: 'training.learningRate' };
    const same = { ...RELU_FINDING, message: '3 of 3 latent units are dead' };
    const fresh = { ...RELU_FINDING, code: 'TSAE205', configPath: 'model.output.activation' };
    const diff = diffFindings([RELU_FINDING, other, RELU_FINDING], [same, fresh]);
    assert.deepEqual(
      diff.onlyA.map((f) => f.code),
      ['TSAE201'],
    );
    assert.deepEqual(
      diff.onlyB.map((f) => f.code),
      ['TSAE205'],
    );
    assert.equal(diff.both.length, 1, 'duplicates count once');
    assert.equal(diff.both[0].b.message, same.message);
  });
});

describe('formatting', () => {
  test('numbers, seconds and folder names', () => {
    assert.equal(formatNumber(null), '-');
    assert.equal(formatNumber(Number.NaN), 'NaN');
    assert.equal(formatNumber(0.000012345), '1.234e-5');
    assert.equal(formatNumber(0.123456), '0.1235');
    assert.equal(formatNumber(Number.POSITIVE_INFINITY), '∞');
    assert.equal(formatSeconds(12.34), '12.3 s');
    assert.equal(formatSeconds(125), '2 min 5 s');
    assert.equal(folderName('/w/.tsae/runs/20260102-1000-relu/'), '20260102-1000-relu');
  });
});
