// "Open as TSAE Config": the config written for a Python model parses, names the line of each
// value, marks what could not be inferred, and gets the same TSAE1xx findings as the code.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as YAML from 'yaml';
import { lintText, resolveConfig } from '../../src/core/lint';
import { describePython } from '../../src/core/python/describe';
import { lintPython, parseTolerant } from '../../src/core/python/lint';
import { initPythonParser } from '../../src/core/python/parser';
import { configPathFor, configYamlFromPython } from '../../src/core/python/toConfig';
import { repoRoot } from '../helpers/textEdits';

const dir = join(repoRoot(), 'tests', 'fixtures', 'python');

function configFor(file: string): { yaml: string; python: string } {
  const python = readFileSync(join(dir, file), 'utf8');
  const tree = parseTolerant(python);
  try {
    return { yaml: configYamlFromPython(describePython(tree.rootNode), join(dir, file)), python };
  } finally {
    tree.delete();
  }
}

before(async () => {
  await initPythonParser();
});

describe('Open as TSAE Config', () => {
  for (const file of ['report2_keras_relu_bottleneck.py', 'report4_keras_extreme_compression.py', 'report1_torch_latent_as_time_axis.py', 'report3_torch_lstmcell_mean.py']) {
    test(`${file}: the config gets the code's findings, plus TSAE005 for the data file to name`, () => {
      const { yaml, python } = configFor(file);
      const configFile = join(dir, file.replace('.py', '.tsae.yaml'));
      const fromConfig = lintText(yaml, { fileName: configFile, readFile: () => undefined }).findings;
      const codes = (list: { code: string }[]) => [...new Set(list.map((f) => f.code))].sort();
      assert.deepEqual(codes(fromConfig.filter((f) => f.code !== 'TSAE005')), codes(lintPython(python, file).findings), yaml);
      assert.ok(fromConfig.some((f) => f.code === 'TSAE005' && f.configPath === 'data.path'));
      assert.match(yaml, /path: data\.csv {2}# not inferred/);
    });
  }

  test('values name their source line; unknowns are marked', () => {
    const { yaml } = configFor('report2_keras_relu_bottleneck.py');
    assert.match(yaml, /\n {4}size: 3 {2}# report2_keras_relu_bottleneck\.py:21\n/);
    assert.match(yaml, /\n {4}activation: relu {2}# report2_keras_relu_bottleneck\.py:21\n/);
    assert.match(yaml, /# stride: not inferred/);
    const unknown = configFor('unknown_window_length.py').yaml;
    assert.match(unknown, /\n {2}length: {2}# not inferred/);
  });

  test('the file goes beside the code and never over an existing one', () => {
    const taken = new Set(['/w/model.tsae.yaml']);
    assert.equal(
      configPathFor('/w/model.py', (f) => taken.has(f)),
      '/w/model-2.tsae.yaml',
    );
    assert.equal(
      configPathFor('/w/nb.ipynb', () => false),
      '/w/nb.tsae.yaml',
    );
  });
});

describe('hover on Python', () => {
  test('a value the code leaves open says so; a fix title names the literal it rewrites', async () => {
    const { pythonHover } = await import('../../src/core/python/hover');
    const text = readFileSync(join(dir, 'unknown_activation_from_cli.py'), 'utf8');
    const result = lintPython(text, 'unknown_activation_from_cli.py');
    const line = text.split('\n').findIndex((l) => l.includes('activation=act'));
    const hover = pythonHover(result, { line, character: text.split('\n')[line].indexOf('act)') });
    assert.match(hover?.markdown ?? '', /cannot infer `model\.latent\.activation` from the code here/);
    const relu = lintPython(readFileSync(join(dir, 'keras_functional_relu_latent.py'), 'utf8'), 'f.py').findings.find((f) => f.code === 'TSAE101');
    assert.equal(relu?.fix?.title, "Set model.latent.activation to linear ('relu' -> 'linear')");
  });
});

describe('a decoder of two layers, the first started from the latent (seq2seq style)', () => {
  // The zoo's good initial-state config (two decoder layers): what both fixtures build.
  const zooFile = join(repoRoot(), 'zoo', 'good', 'good-large-scale-initial-state.tsae.yaml');
  const expected = resolveConfig(YAML.parse(readFileSync(zooFile, 'utf8')), zooFile);

  for (const [file, trainingKeys] of [
    ['keras_state_fed_stacked_decoder.py', ['epochs', 'batchSize', 'optimizer', 'learningRate', 'loss']],
    ['torch_state_fed_stacked_decoder.py', ['optimizer', 'learningRate', 'loss']],
  ] as const) {
    test(`${file} describes to the same model as the YAML: the dense that makes h0 and c0 is the bridge, the one before it the latent`, () => {
      const tree = parseTolerant(readFileSync(join(dir, file), 'utf8'));
      try {
        const described = describePython(tree.rootNode);
        assert.deepEqual(
          [...described.unknown.keys()].filter((k) => k.startsWith('model')),
          [],
        );
        const actual = resolveConfig({ ...described.value, data: { path: 'data.csv' } }, join(dir, file.replace('.py', '.tsae.yaml')));
        assert.equal(expected.model.decoder.length, 2);
        assert.deepEqual(actual.model, expected.model);
        assert.deepEqual(actual.windowing, expected.windowing);
        for (const key of trainingKeys) assert.deepEqual(actual.training[key], expected.training[key], `training.${key}`);
      } finally {
        tree.delete();
      }
    });
  }

  // The encoder is one layer plus the latent in both: its top layer's state is the latent.
  for (const [file, call, latentFrom] of [
    ['torch_stacked_decoder_state_per_layer.py', 'self.decoder(torch.zeros_like(x), (h, c))', 'def __init__'],
    ['keras_stacked_decoder_state_per_layer.py', 'initial_state=[h_top, c_top]', '_, h_top, c_top ='],
  ] as const) {
    test(`${file}: every decoder layer starts from a state of its own, so the bridge is left open, saying why, and both layers are kept`, async () => {
      const { yaml, python } = configFor(file);
      const line = python.split('\n').findIndex((l) => l.includes(call));
      assert.match(yaml, new RegExp(`# bridge: not inferred \\(${file.replace('.', '\\.')}:${line + 1}\\): each of the 2 stacked decoder layers starts from a state of its own`));
      assert.match(yaml, /decoder:\n {4}- units: (\d+).*\n(?: {6}.*\n)* {4}- units: \1/);
      const latentLine = python.split('\n').findIndex((l) => l.includes(latentFrom)) + 1;
      assert.match(yaml, new RegExp(`encoder:\\n {4}- units: \\d+.*\\n(?: {6}.*\\n)* {2}latent:\\n {4}size: \\d+ {2}# ${file.replace('.', '\\.')}:${latentLine}\\n`));
      const { pythonHover } = await import('../../src/core/python/hover');
      const hover = pythonHover(lintPython(python, file), { line, character: python.split('\n')[line].indexOf(call) + call.length - 2 });
      assert.match(hover?.markdown ?? '', /cannot express `model\.bridge` of the code here: each of the 2 stacked decoder layers/);
    });
  }

  test('a GRU decoder started from an LSTM encoder: the cell is left open, saying why', () => {
    const file = 'torch_gru_decoder_from_lstm_state.py';
    const { yaml, python } = configFor(file);
    const line = python.split('\n').findIndex((l) => l.includes('nn.GRU(')) + 1;
    assert.match(yaml, new RegExp(`# cell: not inferred \\(${file.replace('.', '\\.')}:${line}\\): the recurrent layers are of different kinds \\(LSTM, GRU\\)`));
    assert.match(yaml, /\n {2}bridge: initialState/);
  });
});
