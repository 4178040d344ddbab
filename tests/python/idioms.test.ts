// Idioms of real LSTM/GRU autoencoder code that the Python front end reads: each fixture is a
// minimal program written here with one construct found in public code (models built in
// functions nobody calls, wrapper classes, class bodies, layers moved to a device, open stack
// depths, latent projections ...), and the test states the description a careful reader gets.
// Unknown is asserted where the code leaves a value open: a guess there would be a defect.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describePython, type PythonDescription } from '../../src/core/python/describe';
import { lintPython, parseTolerant, pythonRuleContext } from '../../src/core/python/lint';
import { runRulesInContext } from '../../src/core/rules/engine';
import { initPythonParser } from '../../src/core/python/parser';
import { repoRoot } from '../helpers/textEdits';

const dir = join(repoRoot(), 'tests', 'fixtures', 'python');

interface Read {
  found: boolean;
  framework?: string;
  cell?: unknown;
  encoder?: Array<number | null>;
  latentSize?: unknown;
  latentActivation?: unknown;
  bridge?: unknown;
  decoder?: Array<number | null>;
  outputActivation?: unknown;
  optimizer?: unknown;
  learningRate?: unknown;
  window?: unknown;
  features?: number;
}

function describeFixture(file: string): { read: Read; description: PythonDescription } {
  const tree = parseTolerant(readFileSync(join(dir, file), 'utf8'));
  try {
    const description = describePython(tree.rootNode);
    const v = description.value as Record<string, Record<string, unknown> | undefined>;
    const model = (v.model ?? {}) as Record<string, unknown>;
    const latent = (model.latent ?? {}) as Record<string, unknown>;
    const units = (layers: unknown) =>
      Array.isArray(layers) && layers.length > 0 ? layers.map((l: { units?: unknown }) => (typeof l?.units === 'number' ? l.units : null)) : undefined;
    const columns = v.data?.columns;
    const read: Read = {
      found: description.modelRange !== undefined,
      framework: description.framework,
      cell: model.cell,
      encoder: units(model.encoder),
      latentSize: latent.size,
      latentActivation: latent.activation,
      bridge: model.bridge,
      decoder: units(model.decoder),
      outputActivation: model.outputActivation,
      optimizer: v.training?.optimizer,
      learningRate: v.training?.learningRate,
      window: v.windowing?.length,
      features: Array.isArray(columns) ? columns.length : undefined,
    };
    for (const key of Object.keys(read) as Array<keyof Read>) if (read[key] === undefined) delete read[key];
    return { read, description };
  } finally {
    tree.delete();
  }
}

before(async () => {
  await initPythonParser();
});

describe('models wherever they are built', () => {
  test('a Sequential built in a factory function nobody calls is read with the parameter defaults', () => {
    assert.deepEqual(describeFixture('keras_model_built_in_function.py').read, {
      found: true,
      framework: 'keras',
      cell: 'lstm',
      encoder: [24],
      latentSize: 24,
      latentActivation: 'tanh',
      bridge: 'repeat',
      decoder: [24],
      outputActivation: 'linear',
      optimizer: 'adam',
      learningRate: 5e-4,
      window: 48,
      features: 3,
    });
  });

  test('a plain wrapper class nobody creates: the model of its __init__, compiled in a method', () => {
    assert.deepEqual(describeFixture('keras_wrapper_class.py').read, {
      found: true,
      framework: 'keras',
      cell: 'gru',
      encoder: [48],
      latentSize: 12,
      latentActivation: 'tanh',
      bridge: 'repeat',
      decoder: [12, 48],
      outputActivation: 'linear',
      optimizer: 'rmsprop',
      learningRate: 0.001,
    });
  });

  test('a model built by statements in a class body', () => {
    const { read } = describeFixture('keras_model_in_class_body.py');
    assert.deepEqual([read.found, read.encoder, read.latentSize, read.bridge, read.decoder, read.window, read.features], [true, [10], 10, 'repeat', [10], 20, 6]);
  });

  test('bare Keras layer names with no import in the file are Keras', () => {
    const { read } = describeFixture('keras_bare_names_unimported.py');
    assert.deepEqual([read.found, read.framework, read.encoder, read.latentSize, read.decoder, read.outputActivation], [true, 'keras', [40], 10, [10, 40], 'linear']);
  });
});

describe('PyTorch idioms', () => {
  test('a layer moved to a device (.cuda() in a conditional, .to(device)) is the same layer', () => {
    const { read } = describeFixture('torch_layer_on_device_conditional.py');
    assert.deepEqual([read.found, read.cell, read.encoder, read.latentSize, read.bridge, read.decoder, read.outputActivation], [true, 'gru', [32], 32, 'repeat', [32], 'linear']);
  });

  test('num_layers left open: no layer list is claimed for either stack', () => {
    const { read, description } = describeFixture('torch_num_layers_open.py');
    assert.equal(read.encoder, undefined);
    assert.equal(read.decoder, undefined);
    assert.ok(description.unknown.has('model.encoder'));
    assert.ok(description.unknown.has('model.decoder'));
    assert.deepEqual([read.found, read.latentActivation, read.bridge, read.outputActivation], [true, 'tanh', 'repeat', 'linear']);
  });

  test('a code projected back up before the repeat: the narrow layer is the latent', () => {
    const { read } = describeFixture('torch_latent_expanded_back.py');
    assert.deepEqual([read.latentSize, read.latentActivation, read.bridge, read.window, read.encoder, read.decoder], [8, 'tanh', 'repeat', 30, [64], [64]]);
  });

  test('nn.LSTM with proj_size emits a linear projection', () => {
    assert.equal(describeFixture('torch_lstm_projection_output.py').read.outputActivation, 'linear');
  });

  test('a repeat count the code leaves open makes the window unknown, whatever like-named constants say', () => {
    const { read, description } = describeFixture('torch_repeat_count_open.py');
    assert.equal(read.window, undefined);
    assert.ok(description.unknown.has('windowing.length'));
    assert.deepEqual([read.found, read.bridge, read.features], [true, 'repeat', 1]);
  });
});

describe('layer lists and ops not modelled', () => {
  test('stacks in nn.ModuleList built by loops over a list of widths, run by loops in forward', () => {
    assert.deepEqual(describeFixture('torch_modulelist_stack.py').read, {
      found: true,
      framework: 'pytorch',
      cell: 'lstm',
      encoder: [48, 24],
      latentSize: 6,
      latentActivation: 'linear',
      bridge: 'repeat',
      decoder: [24, 48],
      outputActivation: 'linear',
      features: 2,
    });
  });

  test('layers appended by a loop of unknown length: no layer list is claimed', () => {
    const { read, description } = describeFixture('torch_modulelist_open_depth.py');
    assert.equal(read.decoder, undefined);
    assert.ok(description.unknown.has('model.decoder'));
    assert.deepEqual([read.found, read.cell, read.encoder, read.bridge], [true, 'gru', [null], 'repeat']);
  });

  test('an embedding before the encoder and a matrix product as output keep the chain, and leave width and range open', () => {
    const { read, description } = describeFixture('torch_embedding_and_matmul.py');
    assert.deepEqual([read.found, read.cell, read.encoder, read.latentSize, read.bridge, read.decoder], [true, 'gru', [64], 64, 'repeat', [64]]);
    assert.equal(read.features, undefined, 'the GRU reads embeddings, not features');
    assert.equal(read.outputActivation, undefined);
    assert.ok(description.unknown.has('model.outputActivation'));
  });

  test('a one-layer final state repeated along its singleton axis and permuted to batch-first is the repeat bridge', () => {
    const { read } = describeFixture('torch_state_permuted.py');
    assert.deepEqual([read.found, read.encoder, read.latentSize, read.bridge, read.decoder, read.outputActivation], [true, [20], 20, 'repeat', [3], 'tanh']);
  });

  test('a final state transposed and repeated with a tuple of sizes is the repeat bridge', () => {
    const { read } = describeFixture('torch_state_transposed_tuple.py');
    assert.deepEqual([read.found, read.bridge, read.decoder, read.outputActivation], [true, 'repeat', [20], 'linear']);
  });
});

describe('scripts and single sequences', () => {
  test('layers run on a batch at module level, no nn.Module: the script is the model; out[:, -1:] reduces time', () => {
    assert.deepEqual(describeFixture('torch_script_without_module.py').read, {
      found: true,
      framework: 'pytorch',
      cell: 'lstm',
      encoder: [32],
      latentSize: 32,
      latentActivation: 'tanh',
      bridge: 'repeat',
      decoder: [32],
      outputActivation: 'linear',
      window: 30,
      features: 4,
    });
  });

  test('unbatched code: repeat(steps, k) then reshape((k, steps, h)) puts the code at every step', () => {
    const { read, description } = describeFixture('torch_unbatched_repeat_reshape.py');
    assert.deepEqual(
      [read.found, read.encoder, read.latentSize, read.latentActivation, read.bridge, read.decoder, read.outputActivation],
      [true, [32], 16, 'tanh', 'repeat', [16, 32], 'linear'],
    );
    assert.equal(read.window, undefined, 'steps is a constructor argument without a default');
    assert.ok(description.unknown.has('windowing.length'));
  });
});

describe('control flow of real scripts', () => {
  test('an optional import with a fallback flag, and an early return on it, do not hide the training code', () => {
    const { read } = describeFixture('torch_optional_import_guard.py');
    assert.deepEqual([read.found, read.cell, read.encoder, read.optimizer, read.learningRate], [true, 'gru', [24], 'adam', 3e-4]);
  });

  test('sizes set under if __name__ == "__main__" are the sizes the script runs with', () => {
    const { read } = describeFixture('torch_main_guard_sizes.py');
    assert.deepEqual([read.encoder, read.latentSize, read.decoder, read.features, read.optimizer, read.learningRate], [[24], 24, [24], 5, 'adam', 2e-3]);
  });

  test('layers from a loop over units[1:] with enumerate(start=2), and over units[::-1]', () => {
    const { read } = describeFixture('keras_layers_from_list_slice.py');
    assert.deepEqual([read.encoder, read.latentSize, read.latentActivation, read.decoder, read.window, read.features], [[48, 24, 12], 6, 'linear', [12, 24, 48], 40, 2]);
  });

  test('layer objects are truthy, and a return inside a loop at the last layer keeps every layer', () => {
    const { read } = describeFixture('torch_activation_object_flags.py');
    assert.deepEqual([read.encoder, read.latentSize, read.latentActivation, read.bridge, read.decoder], [[40], 10, 'tanh', 'repeat', [40]]);
  });

  test('a size name rebound by a call to something unknown is no evidence of the feature count', () => {
    const { read, description } = describeFixture('torch_feature_name_rebound.py');
    assert.equal(read.features, undefined);
    assert.ok(description.unknown.has('data.columns'));
    assert.deepEqual([read.found, read.latentSize, read.bridge, read.decoder], [true, 12, 'repeat', [12]]);
  });
});

describe('activations and settings', () => {
  test('an activation module after the last recurrent layer is the output activation', () => {
    const { read } = describeFixture('torch_relu_after_last_lstm.py');
    assert.deepEqual([read.found, read.outputActivation], [true, 'relu']);
  });

  test('denses of open widths around the code: the size is unknown, the shared linear activation is known', () => {
    const { read, description } = describeFixture('torch_code_widths_open.py');
    assert.equal(read.latentSize, undefined);
    assert.ok(description.unknown.has('model.latent.size'));
    assert.deepEqual([read.latentActivation, read.bridge], ['linear', 'repeat']);
  });

  test('sizes read from a settings dict with constant keys', () => {
    const { read } = describeFixture('keras_sizes_from_config_dict.py');
    assert.deepEqual([read.encoder, read.latentSize, read.decoder, read.window, read.features, read.optimizer, read.learningRate], [[12], 12, [12], 14, 3, 'adam', 5e-4]);
  });
});

describe('modules without forward', () => {
  test('training_step runs encoder and decoder; squeeze(), a repeat of the units and a reshape make the repeat bridge', () => {
    assert.deepEqual(describeFixture('torch_step_without_forward.py').read, {
      found: true,
      framework: 'pytorch',
      cell: 'lstm',
      encoder: [12],
      latentSize: 12,
      latentActivation: 'tanh',
      bridge: 'repeat',
      decoder: [12],
      outputActivation: 'linear',
      optimizer: 'adam',
      learningRate: 0.001,
      window: 30,
      features: 2,
    });
  });
});

describe('windows', () => {
  test('windows cut by a for loop over a range, the stop in parentheses: length and stride', () => {
    const { description } = describeFixture('keras_windows_cut_in_for_loop.py');
    const windowing = description.value.windowing as Record<string, unknown>;
    assert.deepEqual([windowing.length, windowing.stride], [36, 1]);
  });
});

describe('toy data', () => {
  test('len() and .shape of NumPy array literals size the window', () => {
    const { read } = describeFixture('keras_window_from_array_literal.py');
    assert.deepEqual([read.window, read.features, read.latentSize, read.decoder], [7, 1, 8, [8]]);
  });
});

describe('Keras idioms', () => {
  test('a Dropout before the Dense that makes the code is not dropout on the code', () => {
    const { description } = describeFixture('keras_dropout_before_dense_code.py');
    const latent = (description.value.model as { latent: Record<string, unknown> }).latent;
    assert.deepEqual([latent.size, latent.dropout], [16, 0]);
  });

  test('a last LSTM that emits the output is the output layer: no TSAE103 for being narrower than the code', () => {
    const { read, description } = describeFixture('keras_output_lstm_narrow.py');
    assert.deepEqual([read.latentSize, read.decoder, read.outputActivation], [32, [32, 6], 'tanh']);
    assert.equal(description.outputLayerPath, 'model.decoder.1');
    const text = readFileSync(join(dir, 'keras_output_lstm_narrow.py'), 'utf8');
    assert.deepEqual(
      lintPython(text, 'keras_output_lstm_narrow.py').findings.map((f) => f.code),
      [],
    );
    // The same layer in a config, where a dense head follows the decoder, is a bottleneck and is flagged.
    const ctx = pythonRuleContext(description, text, 'keras_output_lstm_narrow.py');
    assert.ok(runRulesInContext(ctx).some((f) => f.code === 'TSAE103' && f.configPath === 'model.decoder.1.units'));
  });

  test('a Dense after RepeatVector is not the latent', () => {
    assert.deepEqual(describeFixture('keras_dense_after_repeat.py').read, {
      found: true,
      framework: 'keras',
      cell: 'lstm',
      encoder: [64],
      latentSize: 16,
      latentActivation: 'tanh',
      bridge: 'repeat',
      decoder: [64],
      outputActivation: 'linear',
      optimizer: 'adam',
      learningRate: 0.001,
      window: 36,
      features: 2,
    });
  });
});
