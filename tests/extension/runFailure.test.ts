import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeFailure } from '../../src/extension/runFailure';

test('a failed run names file, line and field once', () => {
  assert.equal(describeFailure('not a number', { file: 'cfg.tsae.yaml', line: 4, field: 'training.epochs' }), 'cfg.tsae.yaml:4: training.epochs: not a number');
  assert.equal(describeFailure('training.epochs must be > 0', { file: 'cfg.tsae.yaml', line: 4, field: 'training.epochs' }), 'cfg.tsae.yaml:4: training.epochs must be > 0');
  assert.equal(describeFailure('cannot read the file', { file: '/w/data.csv' }), '/w/data.csv: cannot read the file');
  assert.equal(describeFailure('data.csv:7:2: value "x" is not a number', { file: '/w/data.csv', line: 7, column: 2 }), 'data.csv:7:2: value "x" is not a number');
  assert.equal(describeFailure('boom'), 'boom');
});
