// The five real setups (DEVELOPERS.md), as the editor shows them: each bundled pitfall config is
// opened from examples/pitfalls/ and must get exactly the findings it names in its `# expect:`
// line, each on the value to blame.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspStdioClient } from '../../bench/lspStdioClient';
import { EXAMPLES_DIR, rangeOf } from './configTexts';

/** [code, a text on the blamed line, the blamed value on that line]. */
type Expected = [code: string, lineMarker: string, value: string];

const PITFALLS: Record<string, Expected[]> = {
  '01-latent-as-time-axis.tsae.yaml': [['TSAE105', 'bridge: sequence', 'sequence']],
  '02-relu-bottleneck.tsae.yaml': [
    ['TSAE101', 'activation: relu', 'relu'],
    ['TSAE103', 'size: 3', '3'],
  ],
  '03-mean-collapse.tsae.yaml': [
    ['TSAE102', 'targetReduction: timeMean', 'timeMean'],
    ['TSAE103', 'size: 2', '2'],
    ['TSAE104', 'learningRate:', '0.000001'],
  ],
  '04-extreme-compression.tsae.yaml': [
    ['TSAE103', 'size: 1', '1'],
    // The first `- units: 16` is the encoder's, where the widths grow toward the bottleneck.
    ['TSAE107', '- units: 16', '16'],
  ],
  '05-stateful-seq2seq.tsae.yaml': [
    ['TSAE108', 'stride: 1', '1'],
    ['TSAE108', 'batchSize: 32', '32'],
    ['TSAE108', 'shuffle: true', 'true'],
    ['TSAE109', 'outputActivation: sigmoid', 'sigmoid'],
  ],
};

function expectLine(text: string): string[] {
  const line = text.split('\n').find((l) => l.startsWith('# expect:'));
  return line ? line.slice('# expect:'.length).trim().split(/\s+/) : [];
}

describe('pitfall configs in the editor', () => {
  let client: LspStdioClient;
  before(async () => {
    client = await LspStdioClient.start();
  });
  after(async () => {
    await client.dispose();
  });

  for (const [file, expected] of Object.entries(PITFALLS)) {
    test(file, async () => {
      const path = join(EXAMPLES_DIR, 'pitfalls', file);
      const text = readFileSync(path, 'utf8');
      const uri = pathToFileURL(path).toString();
      assert.deepEqual([...new Set(expected.map(([code]) => code))].sort(), expectLine(text).sort(), 'the table matches the file');
      await client.open(uri, 'tsae-yaml', text);
      const { diagnostics } = await client.diagnostics(uri);
      const key = (code: unknown, range: unknown): string => `${String(code)} ${JSON.stringify(range)}`;
      assert.deepEqual(
        diagnostics.map((d) => key(d.code, d.range)).sort(),
        expected.map(([code, marker, value]) => key(code, rangeOf(text, marker, value))).sort(),
        JSON.stringify(diagnostics, null, 1),
      );
      for (const d of diagnostics) assert.match(d.codeDescription?.href ?? '', new RegExp(`/${String(d.code)}\\.md$`));
    });
  }

  test('hover on the latent size of setup 4 states the 35:1 compression', async () => {
    const path = join(EXAMPLES_DIR, 'pitfalls', '04-extreme-compression.tsae.yaml');
    const text = readFileSync(path, 'utf8');
    const hover = await client.hover(pathToFileURL(path).toString(), rangeOf(text, 'size: 1', '1').start);
    assert.ok(hover && typeof hover.contents === 'object' && 'value' in hover.contents, JSON.stringify(hover));
    assert.match(hover.contents.value, /35(\.0)?:1/);
  });
});
