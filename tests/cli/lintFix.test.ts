// `tsae lint --fix` in process: safe fixes are applied in YAML and JSON alike, inserted when the
// key is absent, comments survive, and unsafe fixes are left alone.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import { parse as parseYaml } from 'yaml';
import { applyFixes } from '../../src/core/fixes/applyFixes';
import { lintText } from '../../src/core/lint';
import { repoRoot } from '../helpers/textEdits';

const dataFile = join(repoRoot(), 'examples', 'data', 'art_daily_small_noise.csv');
// Written next to nothing: data.path is absolute, so the config's own folder does not matter.
const configDir = join(repoRoot(), 'examples');

const yamlConfig = `# stateful, reversed and time-averaged: three safe fixes, one of them an insertion
data:
  path: ${JSON.stringify(dataFile)}
  columns: [value]
windowing:
  length: 24
  stride: 24
model:
  stateful: true
  encoder:
    - units: 16
  latent:
    size: 8
  decoder:
    - units: 16
  reverseTarget: true
  unreverseOutput: false # flipped on purpose
  outputActivation: sigmoid
training:
  batchSize: 16
  targetReduction: timeMean
`;

const jsonConfig = `// same mistakes in JSON with comments
{
  "data": { "path": ${JSON.stringify(dataFile)}, "columns": ["value"] },
  "windowing": { "length": 24, "stride": 24 },
  "model": {
    "stateful": true,
    "encoder": [{ "units": 16 }],
    "latent": { "size": 8 },
    "decoder": [{ "units": 16 }],
    "reverseTarget": true,
    "unreverseOutput": false, // flipped on purpose
    "outputActivation": "sigmoid"
  },
  "training": { "batchSize": 16, "targetReduction": "timeMean" }
}
`;

const SAFE_CODES = ['TSAE102', 'TSAE111'];

for (const [format, text, parse] of [
  ['yaml', yamlConfig, (t: string) => parseYaml(t)],
  ['json', jsonConfig, (t: string) => parseJsonc(t)],
] as const) {
  describe(`applyFixes on ${format}`, () => {
    const fileName = join(configDir, `fix-test.tsae.${format}`);

    test('the config has the safe and unsafe findings the test relies on', () => {
      const codes = lintText(text, { fileName }).findings.map((f) => `${f.code}:${f.fix?.safety ?? 'none'}`);
      for (const code of SAFE_CODES) assert.ok(codes.includes(`${code}:safe`), `${code} with a safe fix missing from ${codes.join(', ')}`);
      assert.ok(
        codes.some((c) => c.startsWith('TSAE108') && c.endsWith(':safe')),
        'TSAE108 shuffle fix missing',
      );
      assert.ok(codes.includes('TSAE109:unsafe'), 'the unsafe TSAE109 fix is what shows unsafe fixes stay unapplied');
    });

    test('applies every safe fix, inserting absent keys, and keeps comments and unsafe findings', () => {
      const result = applyFixes(text, fileName);
      assert.equal(result.applied, 3);
      const fixed = parse(result.text) as { training: Record<string, unknown>; model: Record<string, unknown> };
      assert.equal(fixed.training.targetReduction, 'none');
      assert.equal(fixed.training.shuffle, false);
      assert.equal(fixed.model.unreverseOutput, true);
      assert.equal(fixed.model.outputActivation, 'sigmoid', 'an unsafe fix was applied');
      assert.ok(result.text.includes('// flipped on purpose') || result.text.includes('# flipped on purpose'));
      assert.ok(
        result.findings.every((f) => f.fix?.safety !== 'safe'),
        'a safe fix is left',
      );
      assert.deepEqual(
        result.findings.filter((f) => f.severity === 'error'),
        [],
      );
      assert.ok(result.findings.some((f) => f.code === 'TSAE109'));
      // The returned findings are those of the returned text.
      assert.deepEqual(result.findings, lintText(result.text, { fileName }).findings);
    });

    test('a config without safe fixes is returned unchanged', () => {
      const clean = applyFixes(applyFixes(text, fileName).text, fileName);
      assert.equal(clean.applied, 0);
    });
  });
}
