// Each pitfall rule on real config text through the real linter (parse, validate, resolve, probe
// the real data slice, run the rules): it fires on the exact range, stays silent on the corrected
// variant, and applying its fix removes the finding without introducing config errors.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintText } from '../../src/core/lint';
import { loadDataset } from '../../src/core/data';
import type { Finding, Range } from '../../src/core/types';
import { applyConfigChanges } from '../../src/core/fixes/configChanges';
import { applyEdits, positionAt, rangeOfText, repoRoot } from '../helpers/textEdits';

const fixtures = join(repoRoot(), 'tests', 'fixtures', 'rules');
const configFile = join(fixtures, 'pitfall.tsae.yaml');

/** A config every rule accepts: 3 real NAB series, 120 rows, 12 windows of 10 (10 train, 2 validation). */
const BASE = `data:
  path: nab-three-series.csv
windowing:
  length: 10
  stride: 10
model:
  encoder:
    - units: 16
  latent:
    size: 8
  decoder:
    - units: 16
training:
  epochs: 2
`;

function lint(text: string): Finding[] {
  return lintText(text, { fileName: configFile }).findings;
}

function only(text: string, code: string): Finding[] {
  return lint(text).filter((finding) => finding.code === code);
}

/** Replaces exactly one occurrence, so a typo in a test edit fails loudly instead of testing BASE. */
function edit(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  assert.ok(at >= 0 && text.indexOf(from, at + 1) < 0, `"${from}" occurs exactly once`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

/** Range of `needle` inside the one occurrence of `context`, e.g. the value in "size: 1". */
function rangeIn(text: string, context: string, needle: string): Range {
  const at = text.indexOf(context);
  assert.ok(at >= 0 && text.indexOf(context, at + 1) < 0, `"${context}" occurs exactly once`);
  const inner = context.indexOf(needle);
  assert.ok(inner >= 0, `"${needle}" is inside "${context}"`);
  return { start: positionAt(text, at + inner), end: positionAt(text, at + inner + needle.length) };
}

function assertRange(actual: Range, expected: Range, what: string): void {
  assert.deepEqual(actual, expected, `${what}: range`);
}

/** Applies the finding's fix, re-lints, and checks the code is gone and no config error appeared. */
function assertFixRemoves(text: string, finding: Finding): string {
  assert.ok(finding.fix, `${finding.code} offers a fix`);
  assert.ok(finding.fix.edits.length > 0);
  const fixed = applyEdits(text, finding.fix.edits);
  const after = lint(fixed);
  assert.deepEqual(
    after.filter((f) => f.code === finding.code && f.configPath === finding.configPath).map((f) => f.message),
    [],
    `after "${finding.fix.title}":\n${fixed}`,
  );
  assert.deepEqual(
    after.filter((f) => /^TSAE00/.test(f.code)).map((f) => f.message),
    [],
    'the fix keeps the config valid',
  );
  return fixed;
}

test('the base config is clean', () => {
  assert.deepEqual(
    lint(BASE).map((f) => `${f.code} ${f.message}`),
    [],
  );
});

describe('TSAE101 non-negative latent activation', () => {
  const bad = edit(BASE, '    size: 8\n', '    size: 8\n    activation: relu\n');
  test('fires on the activation value', () => {
    const [finding, ...rest] = only(bad, 'TSAE101');
    assert.equal(rest.length, 0);
    assertRange(finding.range, rangeOfText(bad, 'relu'), 'TSAE101');
    assert.equal(finding.configPath, 'model.latent.activation');
    assert.equal(finding.severity, 'warning');
    assert.match(finding.message, /8-unit latent/);
    assert.equal(finding.fix?.title, 'Set model.latent.activation to linear');
    assert.equal(finding.fix?.safety, 'unsafe');
    assertFixRemoves(bad, finding);
  });
  test('sigmoid fires too, tanh and the default do not', () => {
    assert.equal(only(edit(bad, 'relu', 'sigmoid'), 'TSAE101').length, 1);
    assert.equal(only(edit(bad, 'relu', 'tanh'), 'TSAE101').length, 0);
    assert.equal(only(BASE, 'TSAE101').length, 0);
  });
});

describe('TSAE102 target reduced over time', () => {
  const bad = BASE + '  targetReduction: timeMean\n';
  test('fires on the value and the fix sets none', () => {
    const [finding] = only(bad, 'TSAE102');
    assertRange(finding.range, rangeOfText(bad, 'timeMean'), 'TSAE102');
    assert.equal(finding.severity, 'error');
    assert.match(finding.message, /each of the 10 predicted steps/);
    const fixed = assertFixRemoves(bad, finding);
    assert.match(fixed, /targetReduction: none/);
  });
  test('does not fire on none', () => {
    assert.equal(only(BASE + '  targetReduction: none\n', 'TSAE102').length, 0);
  });
});

describe('TSAE103 undersized latent', () => {
  const bad = edit(BASE, 'size: 8', 'size: 1');
  test('states the compression ratio from the data file columns', () => {
    const [finding, ...rest] = only(bad, 'TSAE103');
    assert.equal(rest.length, 0);
    assertRange(finding.range, rangeIn(bad, 'size: 1', '1'), 'TSAE103');
    assert.equal(finding.configPath, 'model.latent.size');
    assert.match(finding.message, /10 steps x 3 features = 30 values per window : 1 latent unit, 30:1 compression/);
    assert.deepEqual({ ratio: finding.data?.compressionRatio, values: finding.data?.valuesPerWindow, latent: finding.data?.latentUnits }, { ratio: 30, values: 30, latent: 1 });
    assert.equal(finding.fix?.safety, 'suggestion');
    const fixed = assertFixRemoves(bad, finding);
    assert.match(fixed, /size: 3\n/);
  });
  test('fires above 20:1 even with more latent units than features', () => {
    const long = edit(edit(bad, 'length: 10', 'length: 30'), 'stride: 10', 'stride: 30');
    const withFour = edit(long, 'size: 1', 'size: 4');
    const [finding] = only(withFour, 'TSAE103');
    assert.match(finding.message, /90 values per window : 4 latent units, 22.5:1/);
    assert.equal(only(edit(long, 'size: 1', 'size: 5'), 'TSAE103').length, 0, '18:1 is fine');
  });
  test('flags a layer narrower than the latent on its units', () => {
    const narrow = edit(BASE, '    - units: 16\n  latent', '    - units: 4\n  latent');
    const [finding, ...rest] = only(narrow, 'TSAE103');
    assert.equal(rest.length, 0);
    assert.equal(finding.configPath, 'model.encoder.0.units');
    assertRange(finding.range, rangeIn(narrow, 'units: 4', '4'), 'narrow layer');
    assert.match(finding.message, /narrower than the 8-unit latent/);
    // The fix widens the layer to the latent, so a fix planner can repair a wider latent with it.
    assert.deepEqual(finding.fix?.changes, [{ path: 'model.encoder.0.units', value: 8 }]);
    assertFixRemoves(narrow, finding);
  });
  test('a bidirectional layer counts both directions', () => {
    const narrow = edit(BASE, '    - units: 16\n  latent', '    - units: 4\n      bidirectional: true\n  latent');
    assert.equal(only(narrow, 'TSAE103').length, 0, '2 x 4 outputs carry an 8-unit latent');
    const [finding] = only(edit(narrow, 'units: 4', 'units: 3'), 'TSAE103');
    assert.match(finding.message, /passes through 6 units/);
  });
  test('does not fire at 30 values : 8 units', () => {
    assert.equal(only(BASE, 'TSAE103').length, 0);
  });
});

describe('TSAE104 learning rate out of range', () => {
  const bad = BASE + '  learningRate: 0.000001\n';
  test('adam at 1e-6 fires and the fix restores 0.001', () => {
    const [finding] = only(bad, 'TSAE104');
    assertRange(finding.range, rangeOfText(bad, '0.000001'), 'TSAE104');
    assert.match(finding.message, /1e-6 is outside \[1e-5, 0.01\] for adam/);
    const fixed = assertFixRemoves(bad, finding);
    assert.match(fixed, /learningRate: 0.001\n/);
  });
  test('the range depends on the optimizer', () => {
    assert.equal(only(BASE + '  optimizer: sgd\n  learningRate: 0.5\n', 'TSAE104').length, 0);
    assert.equal(only(BASE + '  optimizer: adam\n  learningRate: 0.5\n', 'TSAE104').length, 1);
    const sgd = BASE + '  optimizer: sgd\n  learningRate: 2\n';
    const [finding] = only(sgd, 'TSAE104');
    assertRange(finding.range, rangeIn(sgd, 'learningRate: 2', '2'), 'sgd');
    assert.match(assertFixRemoves(sgd, finding), /learningRate: 0.01\n/);
  });
});

describe('TSAE105 latent as time axis', () => {
  const bad = edit(BASE, '  decoder:', '  bridge: sequence\n  decoder:');
  test('fires on the bridge and the fix sets repeat', () => {
    const [finding] = only(bad, 'TSAE105');
    assertRange(finding.range, rangeOfText(bad, 'sequence'), 'TSAE105');
    assert.match(finding.message, /8 latent units reach the decoder as 8 time steps/);
    assertFixRemoves(bad, finding);
  });
  test('repeat and initialState do not fire', () => {
    assert.equal(only(edit(bad, 'sequence', 'repeat'), 'TSAE105').length, 0);
    assert.equal(only(edit(bad, 'sequence', 'initialState'), 'TSAE105').length, 0);
  });
});

describe('TSAE106 unbounded cell activation', () => {
  const bad = edit(BASE, '    - units: 16\n  latent', '    - units: 16\n      activation: relu\n  latent');
  test('fires on a ReLU cell and the fix sets tanh', () => {
    const [finding, ...rest] = only(bad, 'TSAE106');
    assert.equal(rest.length, 0);
    assert.equal(finding.configPath, 'model.encoder.0.activation');
    assertRange(finding.range, rangeOfText(bad, 'relu'), 'TSAE106');
    assert.match(finding.message, /range \[0, ∞\]/);
    assert.match(assertFixRemoves(bad, finding), /activation: tanh/);
  });
  test('fires on gates outside [0, 1]', () => {
    const encoderGates = edit(BASE, '    - units: 16\n  latent', '    - units: 16\n      recurrentActivation: relu\n  latent');
    assert.equal(only(encoderGates, 'TSAE106')[0]?.configPath, 'model.encoder.0.recurrentActivation');
    const decoderGates = edit(BASE, '  decoder:\n    - units: 16\n', '  decoder:\n    - units: 16\n      recurrentActivation: tanh\n');
    const [finding] = only(decoderGates, 'TSAE106');
    assert.equal(finding.configPath, 'model.decoder.0.recurrentActivation');
    assertRange(finding.range, rangeOfText(decoderGates, 'tanh'), 'gates');
    assertFixRemoves(decoderGates, finding);
  });
  test('tanh, softsign and hardSigmoid gates do not fire', () => {
    assert.equal(only(edit(bad, 'relu', 'softsign'), 'TSAE106').length, 0);
    assert.equal(only(edit(bad, 'activation: relu', 'recurrentActivation: hardSigmoid'), 'TSAE106').length, 0);
  });
});

describe('TSAE107 encoder widens toward the bottleneck', () => {
  const bad = edit(BASE, '    - units: 16\n  latent', '    - units: 8\n    - units: 16\n  latent');
  test('fires on the wider layer and has no fix', () => {
    const [finding, ...rest] = only(bad, 'TSAE107');
    assert.equal(rest.length, 0);
    assert.equal(finding.configPath, 'model.encoder.1.units');
    assertRange(finding.range, rangeIn(bad, '- units: 8\n    - units: 16', '16'), 'TSAE107');
    assert.match(finding.message, /encoder widths 8 -> 16 -> 8/);
    assert.equal(finding.fix, undefined);
  });
  test('narrowing encoders do not fire', () => {
    assert.equal(only(edit(bad, '    - units: 8\n    - units: 16\n', '    - units: 16\n    - units: 8\n'), 'TSAE107').length, 0);
  });
});

describe('TSAE108 stateful misuse', () => {
  const stateful = edit(BASE, '  decoder:', '  stateful: true\n  decoder:');
  test('default shuffle and a ragged last batch fire on the training key, with the numbers', () => {
    const findings = only(stateful, 'TSAE108');
    assert.deepEqual(findings.map((f) => f.configPath).sort(), ['training.batchSize', 'training.shuffle']);
    const trainingKey = rangeOfText(stateful, 'training');
    for (const finding of findings) assertRange(finding.range, trainingKey, finding.configPath);
    const batch = findings.find((f) => f.configPath === 'training.batchSize')!;
    assert.match(batch.message, /120 rows give 12 windows of 10 \(stride 10\), 2 for validation, leaving 10 training windows/);
    assert.match(batch.message, /last batch has 10/);
    assert.equal(batch.fix?.safety, 'suggestion');
    assert.match(assertFixRemoves(stateful, batch), /batchSize: 10\n/);
    const shuffle = findings.find((f) => f.configPath === 'training.shuffle')!;
    assert.equal(shuffle.fix?.safety, 'safe');
    assert.match(assertFixRemoves(stateful, shuffle), /shuffle: false\n/);
  });
  test('overlapping windows fire on the stride', () => {
    const overlapping = edit(stateful, 'stride: 10', 'stride: 5');
    const finding = only(overlapping, 'TSAE108').find((f) => f.configPath === 'windowing.stride')!;
    assertRange(finding.range, rangeIn(overlapping, 'stride: 5', '5'), 'stride');
    assert.match(finding.message, /overlap by 5 steps/);
    assertFixRemoves(overlapping, finding);
  });
  test('rows layout counts sequences and has no stride to overlap', () => {
    const ecg = `data:
  path: ecg5000-head.txt
windowing:
  length: 140
model:
  stateful: true
  encoder:
    - units: 32
  latent:
    size: 8
  decoder:
    - units: 32
training:
  shuffle: false
  batchSize: 32
`;
    const [finding, ...rest] = only(ecg, 'TSAE108');
    assert.equal(rest.length, 0);
    assert.equal(finding.configPath, 'training.batchSize');
    assert.match(finding.message, /20 rows are 20 sequences, 4 for validation, leaving 16 training windows/);
    assert.equal(only(edit(ecg, 'batchSize: 32', 'batchSize: 8'), 'TSAE108').length, 0);
  });
  test('a correct stateful config and a stateless one do not fire', () => {
    assert.equal(only(stateful + '  shuffle: false\n  batchSize: 5\n', 'TSAE108').length, 0);
    assert.equal(only(edit(BASE, 'stride: 10', 'stride: 1'), 'TSAE108').length, 0);
  });
});

describe('TSAE109 unreachable output range', () => {
  const bad = edit(BASE, '  decoder:', '  outputActivation: sigmoid\n  decoder:');
  test('sigmoid on standard-scaled data fires and the fix sets linear', () => {
    const [finding] = only(bad, 'TSAE109');
    assertRange(finding.range, rangeOfText(bad, 'sigmoid'), 'TSAE109');
    assert.match(finding.message, /outputs \[0, 1\] but the targets come from standard scaling/);
    assertFixRemoves(bad, finding);
  });
  test('minmax ranges are compared with the output range', () => {
    const minmax = (range: string, activation: string): string =>
      edit(edit(BASE, 'model:', `preprocessing:\n  scaling: minmax\n  range: ${range}\nmodel:`), '  decoder:', `  outputActivation: ${activation}\n  decoder:`);
    assert.equal(only(minmax('[0, 1]', 'sigmoid'), 'TSAE109').length, 0);
    assert.equal(only(minmax('[-1, 1]', 'tanh'), 'TSAE109').length, 0);
    const [finding] = only(minmax('[-1, 1]', 'sigmoid'), 'TSAE109');
    assert.match(finding.message, /preprocessing.range \[-1, 1\]/);
    assert.equal(only(minmax('[0, 2]', 'tanh'), 'TSAE109').length, 1);
  });
  test('unscaled data is compared with its observed range', () => {
    const unscaled = edit(bad, 'model:', 'preprocessing:\n  scaling: none\nmodel:');
    const [finding] = only(unscaled, 'TSAE109');
    assert.match(finding.message, /unscaled data ranging over \[/);
  });
});

describe('TSAE110 excessive dropout', () => {
  test('layer dropout above 0.5 fires on its value', () => {
    const bad = edit(BASE, '    - units: 16\n  latent', '    - units: 16\n      recurrentDropout: 0.8\n  latent');
    const [finding] = only(bad, 'TSAE110');
    assert.equal(finding.configPath, 'model.encoder.0.recurrentDropout');
    assertRange(finding.range, rangeOfText(bad, '0.8'), 'TSAE110');
    assert.match(finding.message, /80% of the 16-unit layer's recurrent state/);
    assert.match(assertFixRemoves(bad, finding), /recurrentDropout: 0.2\n/);
    assert.equal(only(edit(bad, '0.8', '0.3'), 'TSAE110').length, 0);
  });
  test('any latent dropout fires', () => {
    const bad = edit(BASE, '    size: 8\n', '    size: 8\n    dropout: 0.25\n');
    const [finding] = only(bad, 'TSAE110');
    assertRange(finding.range, rangeOfText(bad, '0.25'), 'latent dropout');
    assert.match(finding.message, /on average 2 of the 8 latent units/);
    assertFixRemoves(bad, finding);
    assert.equal(only(edit(bad, '0.25', '0'), 'TSAE110').length, 0);
  });
});

describe('TSAE111 reversed target not unreversed', () => {
  const bad = edit(BASE, '  decoder:', '  reverseTarget: true\n  unreverseOutput: false\n  decoder:');
  test('fires on unreverseOutput and the safe fix sets true', () => {
    const [finding] = only(bad, 'TSAE111');
    assertRange(finding.range, rangeOfText(bad, 'false'), 'TSAE111');
    assert.equal(finding.fix?.safety, 'safe');
    assert.match(assertFixRemoves(bad, finding), /unreverseOutput: true/);
  });
  test('reversing with the default unreverseOutput does not fire', () => {
    assert.equal(only(edit(BASE, '  decoder:', '  reverseTarget: true\n  decoder:'), 'TSAE111').length, 0);
  });
});

describe('TSAE112 unscaled input', () => {
  const machine = `data:
  path: machine-temperature-head.csv
windowing:
  length: 10
preprocessing:
  scaling: none
model:
  encoder:
    - units: 16
  latent:
    size: 8
  decoder:
    - units: 16
`;
  test('raw NAB temperatures fire on the scaling value with the column statistics', () => {
    const [finding] = only(machine, 'TSAE112');
    assertRange(finding.range, rangeOfText(machine, 'none'), 'TSAE112');
    const values = readFileSync(join(fixtures, 'machine-temperature-head.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => Number(line.split(',')[1]));
    const mean = values.reduce((sum, x) => sum + x, 0) / values.length;
    const maxAbs = Math.max(...values.map(Math.abs));
    assert.ok(finding.message.includes(`"value" (|mean| ${Number(mean.toPrecision(3))} > 3 x std`), finding.message);
    assert.ok(finding.message.includes(`max |x| ${Number(maxAbs.toPrecision(3))} > 10`), finding.message);
    assert.match(finding.message, /preprocessing.differencing to 1/);
    assert.match(assertFixRemoves(machine, finding), /scaling: standard/);
  });
  test('z-normalised ECG5000 rows do not fire without scaling', () => {
    const ecg = `data:
  path: ecg5000-head.txt
windowing:
  length: 140
preprocessing:
  scaling: none
model:
  encoder:
    - units: 32
  latent:
    size: 8
  decoder:
    - units: 32
`;
    const findings = lint(ecg);
    assert.deepEqual(
      findings.filter((f) => f.code === 'TSAE112' || /^TSAE00/.test(f.code)).map((f) => f.message),
      [],
    );
  });
});

describe('rules on a JSON config', () => {
  const jsonFile = join(fixtures, 'pitfall.tsae.json');
  const json = `{
  "data": { "path": "nab-three-series.csv" },
  "windowing": { "length": 10, "stride": 10 },
  "model": {
    "encoder": [{ "units": 16 }],
    "latent": { "size": 8, "activation": "relu" },
    "decoder": [{ "units": 16 }],
    "stateful": true
  },
  "training": { "epochs": 2, "batchSize": 5 }
}
`;
  const lintJson = (text: string): Finding[] => lintText(text, { fileName: jsonFile }).findings;

  test('findings sit on the JSON value, and an absent default on its parent key', () => {
    const findings = lintJson(json);
    assert.deepEqual(
      findings.map((f) => `${f.code} ${f.configPath}`),
      ['TSAE101 model.latent.activation', 'TSAE108 training.shuffle'],
    );
    assertRange(findings[0].range, rangeOfText(json, '"relu"'), 'TSAE101 in JSON');
    assertRange(findings[1].range, rangeOfText(json, '"training"'), 'TSAE108 in JSON');
  });

  test('fixes replace and insert JSON values and leave valid JSON', () => {
    let text = json;
    for (const code of ['TSAE101', 'TSAE108']) {
      const finding = lintJson(text).find((f) => f.code === code);
      assert.ok(finding?.fix, `${code} has a fix`);
      text = applyEdits(text, finding.fix.edits);
      JSON.parse(text);
    }
    assert.deepEqual(
      lintJson(text).map((f) => `${f.code} ${f.message}`),
      [],
    );
    const value = JSON.parse(text);
    assert.equal(value.model.latent.activation, 'linear');
    assert.equal(value.training.shuffle, false);
  });
});

describe('rules on odd but parseable configs', () => {
  const odd: Array<[string, string]> = [
    ['latent of 0 units', edit(BASE, 'size: 8', 'size: 0')],
    ['no encoder layers', edit(BASE, '  encoder:\n    - units: 16\n', '  encoder: []\n')],
    ['window longer than the data', edit(edit(BASE, 'length: 10', 'length: 500'), '  decoder:', '  stateful: true\n  decoder:')],
    ['unknown activation', edit(BASE, '    size: 8\n', '    size: 8\n    activation: swish\n')],
    ['string where a number belongs', BASE + '  learningRate: fast\n'],
    ['missing data file', edit(BASE, 'nab-three-series.csv', 'no-such-file.csv') + '  batchSize: 7\n'],
    ['every pitfall at once', BASE.replace('size: 8', 'size: 1\n    activation: relu\n    dropout: 0.9') + '  targetReduction: timeMean\n  learningRate: 5\n'],
  ];
  for (const [what, text] of odd) {
    test(`${what}: no rule crashes`, () => {
      const crashes = lint(text).filter((f) => f.code === 'TSAE000');
      assert.deepEqual(
        crashes.map((f) => f.message),
        [],
      );
    });
  }
});

describe('TSAE108 fixes are consistent', () => {
  test('applying every TSAE108 fix together leaves no TSAE108, and the stride fix says it cuts the training windows', () => {
    const text = edit(BASE, '  decoder:', '  stateful: true\n  decoder:')
      .replace('stride: 10', 'stride: 3')
      .replace('training:\n', 'training:\n  batchSize: 1000\n  shuffle: true\n');
    const findings = lint(text).filter((f) => f.code === 'TSAE108');
    assert.deepEqual(findings.map((f) => f.configPath).sort(), ['training.batchSize', 'training.shuffle', 'windowing.stride']);
    const stride = findings.find((f) => f.configPath === 'windowing.stride');
    assert.match(stride?.fix?.title ?? '', /cuts the training windows from \d+ to \d+/);
    const fixed = applyConfigChanges(
      text,
      configFile,
      findings.flatMap((f) => f.fix?.changes ?? []),
    );
    assert.deepEqual(
      lint(fixed)
        .filter((f) => f.code === 'TSAE108')
        .map((f) => f.message),
      [],
    );
  });
});

describe('TSAE108 window count matches the data pipeline', () => {
  const variants: Array<[string, string]> = [
    ['stride 10', BASE],
    ['stride 3', edit(BASE, 'stride: 10', 'stride: 3')],
    ['stride 1, 30% validation', edit(BASE, 'stride: 10', 'stride: 1') + 'split:\n  validation: 0.3\n'],
    ['differencing', edit(BASE, 'stride: 10', 'stride: 4') + 'preprocessing:\n  differencing: 1\n'],
    ['maxRows', edit(BASE, '  path: nab-three-series.csv\n', '  path: nab-three-series.csv\n  maxRows: 77\n')],
  ];
  for (const [what, config] of variants) {
    test(what, async () => {
      const text = edit(config, '  decoder:', '  stateful: true\n  decoder:');
      const withBatch = text.replace('training:\n', 'training:\n  batchSize: 1000\n  shuffle: false\n');
      const result = lintText(withBatch, { fileName: configFile });
      const finding = result.findings.find((f) => f.code === 'TSAE108' && f.configPath === 'training.batchSize');
      assert.ok(finding && result.resolved, `batch finding for ${what}`);
      // Counted as the pipeline will cut them once the stride fix of the same rule is applied too.
      const { length, stride } = result.resolved.windowing;
      const dataset = await loadDataset({ ...result.resolved, windowing: { length, stride: Math.max(stride, length) } });
      assert.equal(finding.data?.trainingWindows, dataset.train.count, finding.message);
    });
  }
});

describe('bundled examples', () => {
  const examples = join(repoRoot(), 'examples');
  const pitfallDir = join(examples, 'pitfalls');
  const pitfalls = readdirSync(pitfallDir).filter((file) => /\.tsae\.(ya?ml|json)$/.test(file));
  test('there is one pitfall config per reported setup', () => {
    assert.ok(pitfalls.length >= 5, pitfalls.join(', '));
  });
  for (const file of pitfalls) {
    test(`${file}: every expected pitfall rule fires`, () => {
      const text = readFileSync(join(pitfallDir, file), 'utf8');
      const expected = (/^# expect:(.*)$/m.exec(text)?.[1] ?? '')
        .trim()
        .split(/\s+/)
        .filter((code) => code.startsWith('TSAE1'));
      assert.ok(expected.length > 0, `${file} has an "# expect:" line with TSAE1xx codes`);
      const fired = new Set(lintText(text, { fileName: join(pitfallDir, file) }).findings.map((f) => f.code));
      assert.deepEqual(
        expected.filter((code) => !fired.has(code)),
        [],
        `codes that did not fire on ${file}`,
      );
    });
  }
  for (const file of readdirSync(examples).filter((name) => /\.tsae\.(ya?ml|json)$/.test(name))) {
    test(`${file}: a good example has no pitfall finding`, () => {
      const text = readFileSync(join(examples, file), 'utf8');
      const findings = lintText(text, { fileName: join(examples, file) }).findings;
      assert.deepEqual(
        findings.map((f) => `${f.code} ${f.message}`),
        [],
      );
    });
  }
});

/** A UCR file of ECG5000 beats (rows of 140 steps) and a model that suits it. */
function ucrConfig(file: string): string {
  return `data:
  path: ${file}
windowing:
  length: 140
model:
  encoder:
    - units: 32
  latent:
    size: 8
  decoder:
    - units: 32
`;
}

describe('TSAE113 unfiltered training labels', () => {
  const ecg = ucrConfig('ecg5000-mixed.txt');
  test('several classes without trainLabels fire on the data key, with the label range', () => {
    const [finding, ...rest] = only(ecg, 'TSAE113');
    assert.equal(rest.length, 0);
    assert.equal(finding.configPath, 'data.trainLabels');
    assertRange(finding.range, rangeOfText(ecg, 'data'), 'TSAE113');
    assert.match(finding.message, /label column "0" holds labels from 1 to 5 in its 18 rows/);
    assert.equal(finding.fix, undefined);
  });
  test('trainLabels, or a single class, do not fire', () => {
    assert.equal(only(edit(ecg, '  path: ecg5000-mixed.txt\n', '  path: ecg5000-mixed.txt\n  trainLabels: [1]\n'), 'TSAE113').length, 0);
    assert.equal(only(edit(ecg, 'ecg5000-mixed.txt', 'ecg5000-head.txt'), 'TSAE113').length, 0);
  });
});

describe('TSAE119 series-only scoring on rows', () => {
  const rows = `${ucrConfig('ecg5000-head.txt')}evaluation:
  smoothing: 4
  history: 64
`;
  test('smoothing and history on UCR rows: one warning on each key, saying it is ignored', () => {
    const findings = only(rows, 'TSAE119');
    assert.deepEqual(
      findings.map((f) => [f.configPath, f.severity]),
      [
        ['evaluation.smoothing', 'warning'],
        ['evaluation.history', 'warning'],
      ],
    );
    assert.match(findings[1].message, /^evaluation\.history is 64, but data\.layout is rows \(independent sequences\).*scoring ignores it/);
    assert.ok(findings.every((f) => f.fix === undefined));
  });
  test('0 (off), or the same settings on a series, do not fire', () => {
    assert.deepEqual(only(edit(edit(rows, 'smoothing: 4', 'smoothing: 0'), 'history: 64', 'history: 0'), 'TSAE119'), []);
    assert.deepEqual(only(`${BASE}evaluation:\n  smoothing: 4\n  history: 64\n`, 'TSAE119'), []);
  });
});
