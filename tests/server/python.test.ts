// Python files and notebook cells in the language server over stdio: diagnostics on the exact
// Python range, the compression ratio on hover, a quick fix that edits the literal, and
// diagnostics published per notebook cell (notebook document sync).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction } from 'vscode-languageserver-protocol/node';
import { applyEdits, LspStdioClient, repoRoot } from '../../bench/lspStdioClient';
import { readIpynb } from '../../src/core/python/notebook';

const FIXTURES = join(repoRoot(), 'tests', 'fixtures', 'python');

function rangeOfLine(text: string, lineContains: string, needle: string) {
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes(lineContains));
  const character = lines[line].indexOf(needle);
  return { start: { line, character }, end: { line, character: character + needle.length } };
}

describe('Python in the language server', () => {
  let client: LspStdioClient;
  before(async () => {
    client = await LspStdioClient.start();
  });
  after(async () => {
    await client.dispose();
  });

  test('a .py file gets TSAE101 on the activation argument, hover shows the compression, the fix edits the literal', async () => {
    const file = join(FIXTURES, 'report2_keras_relu_bottleneck.py');
    const uri = pathToFileURL(file).href;
    const text = readFileSync(file, 'utf8');
    await client.open(uri, 'python', text);
    const { diagnostics } = await client.diagnostics(uri);
    const relu = diagnostics.find((d) => d.code === 'TSAE101');
    assert.ok(relu, JSON.stringify(diagnostics));
    assert.deepEqual(relu.range, rangeOfLine(text, 'layers.LSTM(code_dim, activation=', "activation='relu'"));
    assert.deepEqual(diagnostics.map((d) => d.code).sort(), ['TSAE101', 'TSAE103', 'TSAE106', 'TSAE106', 'TSAE106']);

    const hover = await client.hover(uri, { line: relu.range.start.line, character: relu.range.start.character + 2 });
    const markdown = hover && typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
    assert.match(markdown, /30 steps x 9 features = 270 values per window : 3 latent units, 90:1 compression/);
    assert.match(markdown, /TSAE101/);

    const actions = (await client.codeActions(uri, relu.range, [relu])) ?? [];
    const fix = actions.find((a): a is CodeAction => 'kind' in a && a.kind === 'quickfix');
    const edits = fix?.edit?.changes?.[uri] ?? [];
    assert.equal(edits.length, 1, JSON.stringify(actions));
    assert.match(applyEdits(text, edits), /layers\.LSTM\(code_dim, activation='linear'/);
    assert.ok(!actions.some((a) => 'kind' in a && a.kind === 'source.fixAll.tsae'), 'no config fix-all on Python');
    await client.close(uri);
  });

  test('notebook cells get their own diagnostics and hovers (magics blanked)', async () => {
    const file = join(FIXTURES, 'notebook_keras_relu.ipynb');
    const cells = readIpynb(readFileSync(file, 'utf8'), file).map((c) => ({ kind: c.kind === 'code' ? ('code' as const) : ('markup' as const), text: c.text }));
    const cellUris = await client.openNotebook(pathToFileURL(file).href, cells);
    const third = await client.diagnostics(cellUris[2]);
    assert.deepEqual(
      third.diagnostics.map((d) => [d.code, d.range.start.line]),
      [['TSAE101', 3]],
    );
    const second = await client.diagnostics(cellUris[1]);
    assert.deepEqual(second.diagnostics, [], 'the cell with %matplotlib and !pip has no finding');
    const hover = await client.hover(cellUris[2], { line: 3, character: 8 });
    const markdown = hover && typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
    assert.match(markdown, /values per window : 6 latent units/);

    // The quick fix edits the cell's own text, at the cell's coordinates.
    const relu = third.diagnostics[0];
    const actions = (await client.codeActions(cellUris[2], relu.range, [relu])) ?? [];
    const fix = actions.find((a): a is CodeAction => 'kind' in a && a.kind === 'quickfix');
    const edits = fix?.edit?.changes?.[cellUris[2]] ?? [];
    assert.equal(edits.length, 1, JSON.stringify(actions));
    assert.match(applyEdits(cells[2].text, edits).split('\n')[3], /layers\.Dense\(6, activation='linear'\)/);
  });
});
