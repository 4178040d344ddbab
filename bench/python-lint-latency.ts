// Lint latency of a 1,000-line Python file over stdio (issue 13: under 50 ms median): the time
// from `didChange` to `publishDiagnostics` against the real bundled server, debounce 0. The file
// is a realistic training script: data helpers, plotting and evaluation code around a Keras
// autoencoder with a ReLU bottleneck, so the lint parses, interprets and reports every time.
//
// Run alone: `node esbuild.mjs && npx tsc -p tsconfig.test.json && node out/bench/python-lint-latency.js`

import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { benchLintLatency, formatLintLatency, type LintLatencyResult } from './lint-latency';
import { repoRoot } from './lspStdioClient';

export const PYTHON_LINT_LATENCY_TARGET_MS = 50;
export const PYTHON_BENCH_LINES = 1000;

/** A Python training script of exactly `lines` lines (helpers repeated with distinct names around one model). */
export function thousandLinePython(lines = PYTHON_BENCH_LINES): string {
  const head = [
    'import json',
    'import numpy as np',
    'import pandas as pd',
    'from sklearn.preprocessing import StandardScaler',
    'from tensorflow.keras import Model, Sequential, layers',
    '',
    'window = 30',
    'n_sensors = 9',
    'code_dim = 3',
    '',
  ];
  const model = [
    'scaler = StandardScaler()',
    '',
    '',
    'class SensorAE(Model):',
    '    def __init__(self, code_dim):',
    '        super().__init__()',
    '        self.encoder = Sequential([',
    '            layers.LSTM(32, input_shape=(window, n_sensors)),',
    "            layers.Dense(code_dim, activation='relu'),",
    '            layers.RepeatVector(window),',
    '        ])',
    '        self.decoder = Sequential([',
    '            layers.LSTM(32, return_sequences=True),',
    '            layers.TimeDistributed(layers.Dense(n_sensors)),',
    '        ])',
    '',
    '    def call(self, x):',
    '        return self.decoder(self.encoder(x))',
    '',
    '',
    'ae = SensorAE(code_dim)',
    "ae.compile(optimizer='adam', loss='mse')",
    'ae.fit(train_windows, train_windows, epochs=20, batch_size=64)',
  ];
  const helper = (i: number): string[] => [
    '',
    '',
    `def load_part_${i}(path, columns=None, limit=${1000 + i}):`,
    `    """Reads part ${i} of the recordings and returns a cleaned frame."""`,
    '    frame = pd.read_csv(path)',
    '    if columns is not None:',
    '        frame = frame[columns]',
    '    frame = frame.dropna()',
    '    frame = frame.iloc[:limit]',
    '    for name in frame.columns:',
    '        frame[name] = frame[name].astype(float)',
    '    return frame',
    '',
    '',
    `def windows_${i}(series, size=window, step=1):`,
    '    out = []',
    '    for start in range(0, len(series) - size + 1, step):',
    '        out.append(series[start:start + size])',
    '    return np.array(out)',
    '',
    '',
    `def report_${i}(history, path='report_${i}.json'):`,
    '    summary = {',
    "        'loss': float(np.min(history['loss'])),",
    `        'part': ${i},`,
    '    }',
    "    with open(path, 'w') as handle:",
    '        json.dump(summary, handle)',
    '    return summary',
  ];
  const out = [...head];
  let i = 0;
  while (out.length + helper(i).length + model.length <= lines) out.push(...helper(i++));
  out.push(...model);
  while (out.length < lines) out.push(`# padding ${out.length}`);
  return `${out.join('\n')}\n`;
}

export function benchPythonLintLatency(): Promise<LintLatencyResult> {
  const text = thousandLinePython();
  return benchLintLatency({
    document: {
      label: `a generated ${text.split('\n').length - 1}-line Python file`,
      uri: pathToFileURL(join(repoRoot(), 'bench', 'generated_training_script.py')).toString(),
      text,
      languageId: 'python',
      targetMs: PYTHON_LINT_LATENCY_TARGET_MS,
    },
  });
}

if (/python-lint-latency\.js$/.test(process.argv[1] ?? '')) {
  benchPythonLintLatency().then(
    (result) => console.log(formatLintLatency(result)),
    (error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
