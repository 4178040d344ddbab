// `tsae eval` on damaged run folders (issue 11 item 5): each case copies a real run trained by
// `tsae train`, damages one thing, and expects exit 1 with a message naming the file at fault;
// never "internal error" with a stack, never NaN scores with exit 0. The cases run through
// runEval in this process (the same function dist/cli.js calls); two also go through the real CLI.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runEval } from '../../src/cli/eval';
import type { CliIo } from '../../src/cli/io';
import { validateRunFolder } from '../../src/core/run/validate';
import { DATA_DIR, DIST_DIR, tempDir, writeConfig } from '../train/helpers';

const CLI = path.join(DIST_DIR, 'cli.js');
const DATA = path.join(DATA_DIR, 'art_daily_small_noise.csv');

type Json = Record<string, unknown>;
const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as Json;
const writeJson = (file: string, value: unknown) => fs.writeFileSync(file, JSON.stringify(value));
const truncate = (file: string, keep = 0.5) => {
  const text = fs.readFileSync(file);
  fs.writeFileSync(file, text.subarray(0, Math.floor(text.length * keep)));
};
const editJson = (file: string, edit: (v: Json) => void) => {
  const v = readJson(file);
  edit(v);
  writeJson(file, v);
};

interface Case {
  name: string;
  damage(runDir: string): string | void;
  /** The file the message must name, relative to the run folder ('' = the folder itself). */
  file: string;
  message: RegExp;
}

const CASES: Case[] = [
  { name: 'no such folder', damage: (d) => fs.rmSync(d, { recursive: true }), file: '', message: /no such folder/ },
  { name: 'a file instead of a folder', damage: (d) => (fs.rmSync(d, { recursive: true }), fs.writeFileSync(d, 'x')), file: '', message: /is a file, not a run folder/ },
  { name: 'summary.json missing', damage: (d) => fs.rmSync(path.join(d, 'summary.json')), file: 'summary.json', message: /is missing; is .* a TSAE run folder/ },
  { name: 'summary.json truncated', damage: (d) => truncate(path.join(d, 'summary.json')), file: 'summary.json', message: /not valid JSON, probably truncated/ },
  {
    name: 'config.resolved.json missing',
    damage: (d) => fs.rmSync(path.join(d, 'config.resolved.json')),
    file: 'config.resolved.json',
    message: /is missing; the run's resolved config is needed/,
  },
  { name: 'config.resolved.json truncated', damage: (d) => truncate(path.join(d, 'config.resolved.json')), file: 'config.resolved.json', message: /not valid JSON/ },
  {
    name: 'config without windowing',
    damage: (d) => editJson(path.join(d, 'config.resolved.json'), (c) => delete c.windowing),
    file: 'config.resolved.json',
    message: /lacks or has invalid windowing\.length/,
  },
  { name: 'scaler.json missing', damage: (d) => fs.rmSync(path.join(d, 'scaler.json')), file: 'scaler.json', message: /is missing; the run's scaler is needed/ },
  { name: 'scaler.json empty', damage: (d) => fs.writeFileSync(path.join(d, 'scaler.json'), ''), file: 'scaler.json', message: /is empty/ },
  {
    name: 'scaler of the wrong shape',
    damage: (d) => editJson(path.join(d, 'scaler.json'), (s) => (s.mean = [1, 2])),
    file: 'scaler.json',
    message: /mean has 2 values for 1 feature/,
  },
  {
    name: 'scaler std 0 (constant feature)',
    damage: (d) => editJson(path.join(d, 'scaler.json'), (s) => (s.std = [0])),
    file: 'scaler.json',
    message: /std of feature 'value' is 0: the feature was constant/,
  },
  {
    name: 'scaler mean null (overflowed)',
    damage: (d) => editJson(path.join(d, 'scaler.json'), (s) => (s.mean = [null])),
    file: 'scaler.json',
    message: /mean of feature 'value' is null, not a finite number/,
  },
  {
    name: 'minmax scaler with max = min',
    damage: (d) => writeJson(path.join(d, 'scaler.json'), { kind: 'minmax', features: ['value'], min: [3], max: [3], range: [0, 1], differencing: 0 }),
    file: 'scaler.json',
    message: /min 3 and max 3: it was constant/,
  },
  { name: 'not a scaler', damage: (d) => writeJson(path.join(d, 'scaler.json'), { kind: 'zscore' }), file: 'scaler.json', message: /is not a scaler/ },
  { name: 'model folder missing', damage: (d) => fs.rmSync(path.join(d, 'model'), { recursive: true }), file: 'model/model.json', message: /is missing: the run saved no model/ },
  { name: 'model.json empty', damage: (d) => fs.writeFileSync(path.join(d, 'model', 'model.json'), ''), file: 'model/model.json', message: /is empty/ },
  { name: 'model.json truncated', damage: (d) => truncate(path.join(d, 'model', 'model.json'), 0.7), file: 'model/model.json', message: /not valid JSON, probably truncated/ },
  {
    name: 'model.json without topology',
    damage: (d) => editJson(path.join(d, 'model', 'model.json'), (m) => delete m.modelTopology),
    file: 'model/model.json',
    message: /has no modelTopology/,
  },
  {
    name: 'model.json without weights manifest',
    damage: (d) => editJson(path.join(d, 'model', 'model.json'), (m) => delete m.weightsManifest),
    file: 'model/model.json',
    message: /has no weightsManifest/,
  },
  { name: 'weights.bin missing', damage: (d) => fs.rmSync(path.join(d, 'model', 'weights.bin')), file: 'model/weights.bin', message: /is missing: the model's weights are gone/ },
  { name: 'weights.bin truncated', damage: (d) => truncate(path.join(d, 'model', 'weights.bin')), file: 'model/weights.bin', message: /holds \d+ bytes, model.json describes \d+/ },
  {
    name: 'weights manifest pointing outside the folder',
    damage: (d) => editJson(path.join(d, 'model', 'model.json'), (m) => ((m.weightsManifest as Array<{ paths: string[] }>)[0].paths = ['../summary.json'])),
    file: 'model/model.json',
    message: /weights file outside the model folder/,
  },
  {
    name: 'model for another window length',
    damage: (d) => editJson(path.join(d, 'config.resolved.json'), (c) => ((c.windowing as Json).length = 24)),
    file: 'model/model.json',
    message: /expects windows of 12 steps, .* windowing\.length 24/,
  },
  {
    name: 'scaler for another number of features',
    damage: (d) => editJson(path.join(d, 'scaler.json'), (s) => Object.assign(s, { features: ['a', 'b'], mean: [0, 0], std: [1, 1] })),
    file: 'model/model.json',
    message: /expects 1 input features, scaler.json has 2/,
  },
  {
    name: 'no thresholds anywhere',
    damage: (d) => (fs.rmSync(path.join(d, 'thresholds.json')), editJson(path.join(d, 'summary.json'), (s) => delete s.thresholds)),
    file: 'thresholds.json',
    message: /no thresholds: the run never scored its training windows/,
  },
  { name: 'thresholds.json truncated', damage: (d) => truncate(path.join(d, 'thresholds.json')), file: 'thresholds.json', message: /not valid JSON/ },
  {
    name: 'thresholds all null',
    damage: (d) => writeJson(path.join(d, 'thresholds.json'), { windows: 3, quantiles: { '0.99': null, '1': null } }),
    file: 'thresholds.json',
    message: /no finite error quantile/,
  },
];

function captureIo(cwd: string): CliIo & { out: string; err: string } {
  const io = { out: '', err: '', cwd, stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) };
  return io;
}

describe('tsae eval on damaged run folders', { skip: fs.existsSync(CLI) ? false : 'dist/cli.js missing: run npm run build' }, () => {
  let source = '';
  before(() => {
    const config = writeConfig({
      name: 'damage-source',
      data: { path: DATA, timestamp: 'timestamp', maxRows: 300 },
      windowing: { length: 12, stride: 6 },
      model: { encoder: [{ units: 4 }], latent: { size: 2, activation: 'tanh' }, decoder: [{ units: 4 }] },
      training: { epochs: 2, batchSize: 16 },
    });
    const r = spawnSync(process.execPath, [CLI, 'train', config, '--json', '--backend', 'cpu', '--out', tempDir('tsae-damage-')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    source = (JSON.parse(r.stdout.trim().split('\n').pop()!) as { runDir: string }).runDir;
  });

  const copy = () => {
    const dir = path.join(tempDir('tsae-damaged-'), 'run');
    fs.cpSync(source, dir, { recursive: true });
    return dir;
  };

  test('the intact run validates clean and scores (the control case)', async () => {
    assert.deepEqual(await validateRunFolder(source, 'eval'), []);
    const io = captureIo(path.dirname(source));
    assert.equal(await runEval([source, DATA, '--json', '--windows', '--backend', 'cpu'], io), 0, io.err);
    const report = JSON.parse(io.out) as { windows: Array<{ score: number }> };
    assert.ok(report.windows.length > 0 && report.windows.every((w) => Number.isFinite(w.score)));
  });

  for (const c of CASES) {
    test(`${c.name}: exit 1 naming ${c.file || 'the folder'}`, async () => {
      const dir = copy();
      c.damage(dir);
      const io = captureIo(path.dirname(dir));
      const code = await runEval([dir, DATA, '--backend', 'cpu'], io);
      assert.equal(code, 1, `stdout: ${io.out}\nstderr: ${io.err}`);
      const file = c.file === '' ? dir : path.join(dir, c.file);
      const line = io.err.split('\n').find((l) => l.startsWith(`tsae eval: ${file}: `) && c.message.test(l));
      assert.ok(line, `no line naming ${file} and matching ${c.message}:\n${io.err}`);
      assert.equal(io.out, '', 'nothing scored');
      assert.doesNotMatch(io.err, /internal error|\n\s+at /);
    });
  }

  test('through the real CLI: a truncated model.json and a std-0 scaler exit 1 without a stack', () => {
    for (const damage of [(d: string) => truncate(path.join(d, 'model', 'model.json'), 0.6), (d: string) => editJson(path.join(d, 'scaler.json'), (s) => (s.std = [0]))]) {
      const dir = copy();
      damage(dir);
      const r = spawnSync(process.execPath, [CLI, 'eval', dir, DATA], { encoding: 'utf8' });
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`^tsae eval: ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/(model/model\\.json|scaler\\.json): `, 'm'));
      assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
      assert.equal(r.stdout, '');
    }
  });
});
